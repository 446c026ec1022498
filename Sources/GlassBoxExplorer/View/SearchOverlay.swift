import GlassBoxTUI

/// `/`: the features matching the typed text, updated on every key, the selection highlighted.
/// Drawn over the bottom of the embedding panel, just above the prompt in the status line.
public struct SearchOverlay: Widget {
    public var query: String
    public var matches: [Int]
    public var names: [String]
    public var selection: Int
    public var theme: Theme

    public init(query: String, matches: [Int], names: [String], selection: Int, theme: Theme) {
        self.query = query
        self.matches = matches
        self.names = names
        self.selection = selection
        self.theme = theme
    }

    /// The popup's rectangle inside `area` (anchored bottom-left).
    public static func frame(in area: Rect, rows: Int) -> Rect {
        let height = min(area.height, max(3, rows + 2))
        let width = min(area.width, 40)
        return Rect(x: area.x, y: area.bottom - height, width: width, height: height)
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let count = matches.count
        let title = query.isEmpty ? " Find a feature " : " \(Format.count(count)) match\(count == 1 ? "" : "es") "
        let block = theme.block(Line(title, style: theme.title), isFocused: true,
                                footer: KeyMode.search.footerText(theme),
                                focusedBorder: theme.accent)
        Clear().render(in: area, buffer: &buffer)
        block.render(in: area, buffer: &buffer)
        let inner = block.inner(area)
        guard !inner.isEmpty else { return }
        if query.isEmpty {
            Line("type part of a name (any case)", style: theme.dim).render(in: inner.row(0), buffer: &buffer)
            return
        }
        if matches.isEmpty {
            Line("no feature name contains '\(query)'", style: theme.error).render(in: inner.row(0), buffer: &buffer)
            return
        }
        var state = ListState(selected: selection, offset: max(0, selection - inner.height + 1))
        let items = matches.map { Line(names[$0]) }
        List(items, highlightStyle: theme.highlight, glyphs: theme.glyphs).render(in: inner, buffer: &buffer, state: &state)
    }
}
