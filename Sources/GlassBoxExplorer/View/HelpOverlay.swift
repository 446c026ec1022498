import GlassBoxTUI

/// `?`: every key binding, generated from the same `KeyMap` that dispatches keys, in a centred
/// popup that scrolls when the screen is short.
public struct HelpOverlay: Widget {
    public var keymap: KeyMap<Command>
    public var offset: Int
    public var theme: Theme

    public init(keymap: KeyMap<Command>, offset: Int, theme: Theme) {
        self.keymap = keymap
        self.offset = offset
        self.theme = theme
    }

    var intro: [Line] {
        [Line("Each feature's contribution C[j,f] = J[j,f]·x[f] sums exactly to coordinate z_j.", style: theme.label),
         Line("")]
    }

    var table: Table {
        keymap.helpTable(glyphs: theme.glyphs, keyStyle: theme.key, sectionStyle: Style(fg: .indexed(214), modifiers: [.bold]))
    }

    func popup(in screen: Rect) -> Popup {
        let t = table
        let width = min(screen.width - 2, max(60, t.contentWidth + 4, (intro.map(\.width).max() ?? 0) + 4))
        let height = min(screen.height - 2, t.contentHeight + intro.count + 2)
        let footer = KeyMode.help.footerText(theme)
        return Popup(block: theme.block("Keys", isFocused: true, footer: footer), width: width, height: height)
    }

    /// Rows visible for the table and rows it has (for scrolling).
    public func scrollExtent(in screen: Rect) -> (visible: Int, content: Int) {
        let inner = popup(in: screen).contentArea(in: screen)
        return (max(0, inner.height - intro.count), table.contentHeight)
    }

    public func render(in screen: Rect, buffer: inout Buffer) {
        let popup = popup(in: screen)
        popup.render(in: screen, buffer: &buffer)
        var inner = popup.contentArea(in: screen)
        inner = inner.inner(horizontal: 1, vertical: 0)
        for (i, line) in intro.enumerated() where i < inner.height {
            line.render(in: inner.row(i), buffer: &buffer, alignment: .left, ellipsis: theme.glyphs.ellipsis)
        }
        var t = table
        t.offset = offset
        let top = min(inner.height, intro.count)
        t.render(in: Rect(x: inner.x, y: inner.y + top, width: inner.width, height: inner.height - top), buffer: &buffer)
    }
}
