/// Something that draws itself into a buffer region. Widgets never touch the terminal, so they
/// are tested by rendering into a `Buffer` and comparing `lines()`.
public protocol Widget {
    func render(in area: Rect, buffer: inout Buffer)
}

/// A widget whose rendering also reads and updates external state (selection, scrolling).
public protocol StatefulWidget {
    associatedtype State
    func render(in area: Rect, buffer: inout Buffer, state: inout State)
}

extension Span: Widget {
    /// Draws the span on the first row of `area`, truncated with "…".
    public func render(in area: Rect, buffer: inout Buffer) {
        Line([self]).render(in: area, buffer: &buffer, alignment: .left, ellipsis: "…")
    }
}

extension Line: Widget {
    /// Draws the line on the first row of `area` (its own alignment, else left), truncated with "…".
    public func render(in area: Rect, buffer: inout Buffer) {
        render(in: area, buffer: &buffer, alignment: .left, ellipsis: "…")
    }
}

extension Text: Widget {
    /// Draws one line per row, left-aligned and truncated.
    public func render(in area: Rect, buffer: inout Buffer) {
        Paragraph(self).render(in: area, buffer: &buffer)
    }
}

/// Blanks its area (draw it before a popup so the content underneath doesn't show through).
public struct Clear: Widget {
    public var style: Style

    public init(style: Style = Style()) {
        self.style = style
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        buffer.fill(area, with: Cell(" ", style: style))
    }
}
