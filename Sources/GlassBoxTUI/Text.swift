/// Horizontal alignment of a line within its area.
public enum Alignment: Sendable {
    case left, center, right
}

/// A run of text in one style.
public struct Span: Equatable, Sendable, ExpressibleByStringInterpolation {
    public var content: String
    public var style: Style

    public init(_ content: String, style: Style = Style()) {
        self.content = content
        self.style = style
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var width: Int { TextWidth.width(content) }
}

/// One line of styled spans. `style` is patched under every span.
public struct Line: Equatable, Sendable, ExpressibleByStringInterpolation {
    public var spans: [Span]
    public var style: Style
    /// Used by `Paragraph`, `Block` titles and table cells; nil means the container's default.
    public var alignment: Alignment?

    public init(_ spans: [Span], style: Style = Style(), alignment: Alignment? = nil) {
        self.spans = spans
        self.style = style
        self.alignment = alignment
    }

    public init(_ text: String, style: Style = Style(), alignment: Alignment? = nil) {
        self.init([Span(text)], style: style, alignment: alignment)
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var width: Int { spans.reduce(0) { $0 + $1.width } }

    /// The plain text of all spans.
    public var plainText: String { spans.map(\.content).joined() }

    /// The line cut to `maxWidth` columns with a trailing ellipsis (styled like the span it ends).
    public func truncated(to maxWidth: Int, ellipsis: String = "…") -> Line {
        guard width > maxWidth else { return self }
        guard maxWidth > 0 else { return Line([], style: style, alignment: alignment) }
        let ew = TextWidth.width(ellipsis)
        var budget = max(0, maxWidth - ew)
        var out: [Span] = []
        var lastStyle = spans.first?.style ?? Style()
        for span in spans {
            if budget == 0 { break }
            let w = span.width
            lastStyle = span.style
            if w <= budget {
                out.append(span)
                budget -= w
            } else {
                var cut = ""
                var used = 0
                for ch in span.content {
                    let cw = ch.terminalWidth
                    if used + cw > budget { break }
                    cut.append(ch)
                    used += cw
                }
                out.append(Span(cut, style: span.style))
                budget = 0
            }
        }
        if ew <= maxWidth { out.append(Span(ellipsis, style: lastStyle)) }
        return Line(out, style: style, alignment: alignment)
    }

    /// Renders the line into `area`'s first row with alignment, truncating with `ellipsis`.
    public func render(in area: Rect, buffer: inout Buffer, alignment fallback: Alignment = .left, ellipsis: String = "…") {
        guard !area.isEmpty else { return }
        let line = truncated(to: area.width, ellipsis: ellipsis)
        let w = line.width
        let x: Int
        switch alignment ?? fallback {
        case .left: x = area.x
        case .center: x = area.x + (area.width - w) / 2
        case .right: x = area.x + area.width - w
        }
        buffer.setLine(x, area.y, line, maxWidth: area.right - x)
    }
}

/// Multi-line styled text.
public struct Text: Equatable, Sendable, ExpressibleByStringInterpolation {
    public var lines: [Line]

    public init(_ lines: [Line]) {
        self.lines = lines
    }

    /// Splits on newlines, every line in `style`.
    public init(_ string: String, style: Style = Style()) {
        self.lines = string.split(separator: "\n", omittingEmptySubsequences: false)
            .map { Line(String($0), style: style) }
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var width: Int { lines.map(\.width).max() ?? 0 }
    public var height: Int { lines.count }
}
