import GlassBoxTUI

/// The last row: on the left the keys that matter now (or the prompt of a text field, or the
/// last message); on the right background progress and counts.
public struct StatusBar: Widget {
    public enum Left: Equatable, Sendable {
        /// Key hints for a panel: (keys, what) pairs.
        case hints(panel: String, [(String, String)])
        /// A text field: prompt, text, trailing hint (or an error about what was typed).
        case prompt(label: String, text: String, hint: String, isError: Bool)
        case message(StatusMessage)

        public static func == (a: Left, b: Left) -> Bool {
            switch (a, b) {
            case let (.hints(p1, h1), .hints(p2, h2)): return p1 == p2 && h1.elementsEqual(h2) { $0 == $1 }
            case let (.prompt(a1, b1, c1, d1), .prompt(a2, b2, c2, d2)): return a1 == a2 && b1 == b2 && c1 == c2 && d1 == d2
            case let (.message(m1), .message(m2)): return m1 == m2
            default: return false
            }
        }
    }

    public var left: Left
    /// Background work: nil when finished.
    public var progress: (label: String, fraction: Double, detail: String)?
    /// Counts (e.g. "700 samples").
    public var counts: String
    public var theme: Theme
    /// The hints win over the progress and counts when both don't fit (drawing a box).
    public var hintsFirst = false

    public init(left: Left, progress: (label: String, fraction: Double, detail: String)?, counts: String, theme: Theme) {
        self.left = left
        self.progress = progress
        self.counts = counts
        self.theme = theme
    }

    /// Column where the prompt's text ends (for the terminal cursor), or nil.
    public func cursorColumn(in area: Rect) -> Int? {
        guard case .prompt(let label, let text, _, _) = left else { return nil }
        return area.x + TextWidth.width(label) + 2 + TextWidth.width(text)
    }

    /// Hints beyond the last `reserved` are dropped from the end of the list first, so the
    /// most useful ones and "? help" always show.
    static let reserved = 2

    public func render(in area: Rect, buffer: inout Buffer) {
        var rightSpans: [Span] = []
        if let p = progress {
            let width = 10
            let filled = Int((p.fraction * Double(width)).rounded(.down))
            let bar =
                String(repeating: String(theme.glyphs.barFull), count: filled)
                + String(repeating: String(theme.glyphs.gaugeEmpty), count: max(0, width - filled))
            rightSpans += [
                Span("\(p.label) ", style: theme.dim), Span(bar, style: theme.key),
                Span(" \(Int(p.fraction * 100))% \(p.detail) ", style: theme.dim),
            ]
        }
        rightSpans.append(Span(counts + " "))
        // A message (a file's name) and, while drawing, the hints win over progress and counts.
        var needed = 0
        switch left {
        case .hints(let panel, let hints) where hintsFirst:
            needed = Line([Span(" \(panel) ")]).width + hints.reduce(0) { $0 + TextWidth.width(" \($1.0) \($1.1)") }
        case .message(let m):
            needed = TextWidth.width(m.text) + 2
        default:
            break
        }
        if needed + Line(rightSpans).width + 1 > area.width { rightSpans = [] }
        let available = area.width - Line(rightSpans).width - 1

        var leftSpans: [Span] = []
        switch left {
        case .hints(let panel, let hints):
            leftSpans.append(Span(" \(panel) ", style: theme.statusBadge))
            func spans(_ h: (String, String)) -> [Span] { [Span(" \(h.0)", style: theme.key), Span(" \(h.1)")] }
            let tail = hints.suffix(Self.reserved).flatMap(spans)
            var used = Line(leftSpans).width + Line(tail).width
            for h in hints.dropLast(Self.reserved) {
                let s = spans(h)
                let w = Line(s).width
                if used + w > available { break }
                leftSpans += s
                used += w
            }
            leftSpans += tail
        case .prompt(let label, let text, let hint, let isError):
            leftSpans = [
                Span(" \(label) ", style: theme.statusBadge), Span(text, style: theme.title),
                Span(" "), Span("  \(theme.text(hint))", style: isError ? theme.error : theme.dim),
            ]
        case .message(let m):
            leftSpans = [Span(" \(theme.text(m.text)) ", style: m.isError ? theme.error : theme.accent)]
        }
        StatusLine(left: leftSpans, right: rightSpans, style: theme.statusBar, ellipsis: theme.glyphs.ellipsis)
            .render(in: area, buffer: &buffer)
    }
}
