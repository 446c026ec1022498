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

    /// The first lines, wrapped to the popup's width.
    func intro(width: Int) -> [Line] {
        let text =
            "Each feature's contribution C[j,f] = J[j,f]\(theme.dot)(x[f] \(theme.minus) \(theme.mu)[f]) sums exactly to "
            + "coordinate z_j (\(theme.mu): the training mean). Rows are 0-based, as --rows and pandas count them."
        return Paragraph.wrap(Line(text, style: theme.label), width: max(1, width)) + [Line("")]
    }

    /// The key table, its descriptions wrapped to `width` (the popup's inside).
    func table(width: Int) -> Table {
        keymap.helpTable(
            glyphs: theme.glyphs, keyStyle: theme.key, sectionStyle: Style(fg: .indexed(214), modifiers: [.bold]), width: width)
    }

    /// As wide as the table needs (up to the screen), the descriptions wrapped to that.
    func popup(in screen: Rect) -> (popup: Popup, table: Table, intro: [Line]) {
        let width = min(screen.width - 2, max(60, table(width: .max / 2).contentWidth + 4))
        let table = table(width: width - 4)
        let intro = intro(width: width - 4)
        let height = min(screen.height - 2, table.contentHeight + intro.count + 2)
        let footer = KeyMode.help.footerText(theme)
        return (Popup(block: theme.block("Keys", isFocused: true, footer: footer), width: width, height: height), table, intro)
    }

    /// Rows visible for the table and rows it has (for scrolling).
    public func scrollExtent(in screen: Rect) -> (visible: Int, content: Int) {
        let p = popup(in: screen)
        let inner = p.popup.contentArea(in: screen)
        return (max(0, inner.height - p.intro.count), p.table.contentHeight)
    }

    public func render(in screen: Rect, buffer: inout Buffer) {
        let (popup, table, intro) = popup(in: screen)
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
