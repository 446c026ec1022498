/// A horizontal progress bar with a centred label (e.g. "42%"), for status lines and loading
/// screens. Fills every row of its area; 1/8-cell precision with Unicode, `#`/`-` in ASCII.
public struct Gauge: Widget {
    /// Progress in 0...1 (clamped; NaN counts as 0).
    public var ratio: Double
    /// Text centred on the bar; nil shows the percentage.
    public var label: String?
    public var filledStyle: Style
    public var emptyStyle: Style
    public var glyphs: GlyphSet

    public init(
        ratio: Double, label: String? = nil, glyphs: GlyphSet = .unicode,
        filledStyle: Style = Style(fg: .cyan), emptyStyle: Style = Style(modifiers: .dim)
    ) {
        self.ratio = ratio
        self.label = label
        self.filledStyle = filledStyle
        self.emptyStyle = emptyStyle
        self.glyphs = glyphs
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let r = ratio.isNaN ? 0 : min(1, max(0, ratio))
        var eighths = Int((r * Double(area.width) * 8).rounded(.down))
        if !glyphs.isUnicode { eighths = (eighths / 8) * 8 }
        let full = eighths / 8, partial = eighths % 8
        let text = label ?? "\(Int((r * 100).rounded(.down)))%"
        let textW = TextWidth.width(text)
        let textX = area.x + max(0, (area.width - textW) / 2)
        let labelRow = area.y + area.height / 2
        for y in area.y..<area.bottom {
            for i in 0..<area.width {
                let x = area.x + i
                let cell: Cell
                if i < full {
                    cell = Cell(symbol: glyphs.barFull, style: filledStyle, width: 1)
                } else if i == full && partial > 0 {
                    cell = Cell(symbol: glyphs.barEighths[partial], style: filledStyle, width: 1)
                } else {
                    cell = Cell(symbol: glyphs.gaugeEmpty, style: emptyStyle, width: 1)
                }
                buffer.set(cell, x: x, y: y)
            }
        }
        // Label glyphs over the filled part swap colours so they stay readable on the bar.
        var x = textX
        for ch in text {
            let w = ch.terminalWidth
            guard w > 0 else { continue }
            if x + w > area.right { break }
            let style = x - area.x < full ? filledStyle.reversed : Style()
            buffer.set(Cell(symbol: ch, style: style, width: UInt8(w)), x: x, y: labelRow)
            x += w
        }
    }
}
