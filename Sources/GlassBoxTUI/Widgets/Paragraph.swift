/// Styled multi-line text in an optional block. Lines longer than the area are truncated with
/// an ellipsis, or word-wrapped when `wrap` is set; `scroll` skips leading (wrapped) lines.
public struct Paragraph: Widget {
    public var text: Text
    public var block: Block?
    /// Patched under every line.
    public var style: Style
    /// Used for lines without their own alignment.
    public var alignment: Alignment
    public var wrap: Bool
    /// Number of (wrapped) lines skipped at the top.
    public var scroll: Int
    public var ellipsis: String

    public init(
        _ text: Text, block: Block? = nil, style: Style = Style(), alignment: Alignment = .left,
        wrap: Bool = false, scroll: Int = 0, ellipsis: String = "…"
    ) {
        self.text = text
        self.block = block
        self.style = style
        self.alignment = alignment
        self.wrap = wrap
        self.scroll = scroll
        self.ellipsis = ellipsis
    }

    public init(_ string: String, block: Block? = nil, style: Style = Style(), wrap: Bool = false) {
        self.init(Text(string), block: block, style: style, wrap: wrap)
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        block?.render(in: area, buffer: &buffer)
        let inner = block.inner(area).intersection(buffer.area)
        guard !inner.isEmpty else { return }
        buffer.setStyle(inner, style)
        let lines = wrap ? text.lines.flatMap { Paragraph.wrap($0, width: inner.width) } : text.lines
        for (row, line) in lines.dropFirst(max(0, scroll)).prefix(inner.height).enumerated() {
            line.render(in: inner.row(row), buffer: &buffer, alignment: alignment, ellipsis: ellipsis)
        }
    }

    /// Word-wraps a line to `width` columns, keeping span styles. Words longer than the width
    /// are broken; spaces at a break are dropped.
    public static func wrap(_ line: Line, width: Int) -> [Line] {
        guard width > 0, line.width > width else { return [line] }
        // Flatten into styled graphemes; text is short, so simplicity wins over speed here.
        var glyphs: [(ch: Character, style: Style, w: Int)] = []
        for span in line.spans {
            for ch in span.content { glyphs.append((ch, span.style, ch.terminalWidth)) }
        }
        var rows: [[(ch: Character, style: Style, w: Int)]] = []
        var current: [(ch: Character, style: Style, w: Int)] = []
        var currentWidth = 0
        var lastSpace: Int? = nil  // index in `current`
        for g in glyphs {
            if currentWidth + g.w > width {
                if g.ch == " " {
                    rows.append(current)
                    current = []; currentWidth = 0; lastSpace = nil
                    continue
                }
                if let sp = lastSpace {
                    rows.append(Array(current[..<sp]))
                    current = Array(current[(sp + 1)...])
                } else {
                    rows.append(current)
                    current = []
                }
                currentWidth = current.reduce(0) { $0 + $1.w }
                lastSpace = nil
            }
            if g.ch == " " { lastSpace = current.count }
            current.append(g)
            currentWidth += g.w
        }
        if !current.isEmpty { rows.append(current) }
        return rows.map { row in
            var spans: [Span] = []
            for g in row {
                if let last = spans.last, last.style == g.style {
                    spans[spans.count - 1].content.append(g.ch)
                } else {
                    spans.append(Span(String(g.ch), style: g.style))
                }
            }
            return Line(spans, style: line.style, alignment: line.alignment)
        }
    }
}
