import Foundation
import GlassBoxTUI

/// `/`: the features matching the typed text, updated on every key, the selection highlighted.
/// Drawn over the bottom of the embedding panel, just above the prompt in the status line.
public struct SearchOverlay: Widget {
    public var query: String
    public var matches: [Int]
    public var names: [String]
    public var selection: Int
    public var theme: Theme

    /// What is searched: "feature", or "set" in the sets space.
    public var noun = "feature"

    public init(query: String, matches: [Int], names: [String], selection: Int, theme: Theme) {
        self.query = query
        self.matches = matches
        self.names = names
        self.selection = selection
        self.theme = theme
    }

    /// The popup's rectangle inside `area` (anchored bottom-left).
    public static func frame(in area: Rect, rows: Int, width: Int = 40) -> Rect {
        let height = min(area.height, max(3, rows + 2))
        let width = min(area.width, width)
        return Rect(x: area.x, y: area.bottom - height, width: width, height: height)
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let count = matches.count
        let title = query.isEmpty ? " Find a \(noun) " : " \(Format.count(count)) match\(count == 1 ? "" : "es") "
        guard
            let inner = FinderPopup.draw(
                title: title, mode: .search, hint: "type part of a name (any case)",
                emptyQuery: query.isEmpty, noMatch: matches.isEmpty ? "no \(noun) name contains '\(query)'" : nil,
                theme: theme, in: area, buffer: &buffer)
        else { return }
        var state = ListState(selected: selection, offset: max(0, selection - inner.height + 1))
        let items = NameFit.fit(matches.map { names[$0] }, width: max(1, inner.width - 3), ellipsis: theme.glyphs.ellipsis).map { Line($0) }
        List(items, highlightStyle: theme.highlight, glyphs: theme.glyphs).render(in: inner, buffer: &buffer, state: &state)
    }
}

/// `g`: the samples whose id holds the typed text (or its characters in order), and the row
/// of that number, updated on every key: how many match, and a list to choose from.
public struct SampleFinderOverlay: Widget {
    public var query: String
    public var found: SampleSearch.Result
    public var ids: [String]
    public var selection: Int
    public var theme: Theme

    public init(query: String, found: SampleSearch.Result, ids: [String], selection: Int, theme: Theme) {
        self.query = query
        self.found = found
        self.ids = ids
        self.selection = selection
        self.theme = theme
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let count = found.count
        let title =
            query.isEmpty
            ? " Find a sample "
            : " \(Format.count(count)) sample\(count == 1 ? "" : "s")\(found.isFuzzy ? " (letters in order)" : "") "
        guard
            let inner = FinderPopup.draw(
                title: title, mode: .goto, hint: "any part of an id (any case), or a row number",
                emptyQuery: query.isEmpty, noMatch: found.rows.isEmpty ? "no id holds '\(query)'" : nil,
                theme: theme, in: area, buffer: &buffer)
        else { return }
        var state = ListState(selected: selection, offset: max(0, selection - inner.height + 1))
        let rowWidth = "row \(Format.count(ids.count - 1))".count
        let idWidth = max(4, inner.width - 3 - rowWidth - 2)
        let names = NameFit.fit(found.rows.map { ids[$0] }, width: idWidth, ellipsis: theme.glyphs.ellipsis)
        let items = zip(found.rows, names).map { row, name in
            Line([
                Span(name), Span(String(repeating: " ", count: max(1, idWidth - TextWidth.width(name) + 2))),
                Span("row \(Format.count(row))".padding(toLength: rowWidth, withPad: " ", startingAt: 0), style: theme.dim),
            ])
        }
        List(items, highlightStyle: theme.highlight, glyphs: theme.glyphs).render(in: inner, buffer: &buffer, state: &state)
    }
}

/// The popup both finders draw: a focused block with the title and the mode's keys, then a hint
/// while nothing is typed, or a message when nothing matches.
enum FinderPopup {
    /// Draws it; returns the area for the list of matches, or nil when there is none to draw.
    static func draw(
        title: String, mode: KeyMode, hint: String, emptyQuery: Bool, noMatch: String?, theme: Theme, in area: Rect,
        buffer: inout Buffer
    ) -> Rect? {
        let block = theme.block(
            Line(title, style: theme.title), isFocused: true, footer: mode.footerText(theme), focusedBorder: theme.accent)
        Clear().render(in: area, buffer: &buffer)
        block.render(in: area, buffer: &buffer)
        let inner = block.inner(area)
        guard !inner.isEmpty else { return nil }
        if emptyQuery {
            Line(hint, style: theme.dim).render(in: inner.row(0), buffer: &buffer)
            return nil
        }
        if let noMatch {
            Line(noMatch, style: theme.error).render(in: inner.row(0), buffer: &buffer)
            return nil
        }
        return inner
    }
}
