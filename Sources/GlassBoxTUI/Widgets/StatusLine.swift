/// A one-row bar: context on the left, status (busy indicator, counts, pending keys) on the
/// right. When space runs out the left side is truncated first; the right side only when it
/// alone doesn't fit.
public struct StatusLine: Widget {
    public var left: [Span]
    public var right: [Span]
    /// Fills the whole row (give it a `bg`).
    public var style: Style
    public var ellipsis: String

    public init(left: [Span], right: [Span] = [], style: Style = Style(modifiers: .reverse), ellipsis: String = "…") {
        self.left = left
        self.right = right
        self.style = style
        self.ellipsis = ellipsis
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let row = area.row(0).intersection(buffer.area)
        guard !row.isEmpty else { return }
        buffer.fill(row, with: Cell(" ", style: style))
        let rightLine = Line(right).truncated(to: row.width, ellipsis: ellipsis)
        let rw = rightLine.width
        buffer.setLine(row.right - rw, row.y, rightLine)
        let leftBudget = row.width - rw - (rw > 0 ? 1 : 0)
        if leftBudget > 0 {
            buffer.setLine(row.x, row.y, Line(left).truncated(to: leftBudget, ellipsis: ellipsis))
        }
    }
}
