/// One bar of a `BarChart`.
public struct Bar: Equatable, Sendable {
    public var label: String
    public var value: Double
    /// Overrides the chart's bar style for this bar (e.g. a gradient colour).
    public var style: Style?
    /// Text shown in the value column; nil formats `value` with `BarChart.decimals`.
    public var valueText: String?

    public init(_ label: String, _ value: Double, style: Style? = nil, valueText: String? = nil) {
        self.label = label
        self.value = value
        self.style = style
        self.valueText = valueText
    }
}

/// Horizontal bars, one per row: `label  bar  value`.
///
/// `.magnitude` draws bars from the left edge; `.diverging` draws negative values left of a
/// centre axis and positive values right of it. Bar ends have 1/8-cell precision (▏…▉); a
/// negative bar's partial cell must be anchored on its right, which Unicode block elements
/// lack, so it is drawn as the complementary left block in reverse video. The ASCII glyph set
/// rounds to whole `#` cells.
public struct BarChart: Widget {
    public enum Mode: Sendable { case magnitude, diverging }

    public var bars: [Bar]
    public var mode: Mode
    /// The value of a full-length bar; nil uses the largest |value|.
    public var maxValue: Double?
    /// Label column width; nil fits the longest label, up to a third of the area (values get
    /// up to another third).
    public var labelWidth: Int?
    /// Value column width; nil fits the longest value text, up to a third of the area.
    public var valueWidth: Int?
    public var showValues: Bool
    /// Decimals when formatting values.
    public var decimals: Int
    public var barStyle: Style
    /// Bar style for negative values in `.diverging` mode.
    public var negativeStyle: Style
    public var labelStyle: Style
    public var valueStyle: Style
    /// Index of a bar drawn with `highlightStyle` over its label and value.
    public var highlighted: Int?
    public var highlightStyle: Style
    /// First bar shown (scrolling).
    public var offset: Int
    public var block: Block?
    public var glyphs: GlyphSet

    public init(_ bars: [Bar], mode: Mode = .magnitude, maxValue: Double? = nil, labelWidth: Int? = nil,
                valueWidth: Int? = nil, showValues: Bool = true, decimals: Int = 2, glyphs: GlyphSet = .unicode,
                barStyle: Style = Style(fg: .cyan), negativeStyle: Style = Style(fg: .red),
                labelStyle: Style = Style(), valueStyle: Style = Style(modifiers: .dim),
                highlighted: Int? = nil, highlightStyle: Style = Style(modifiers: [.reverse]),
                offset: Int = 0, block: Block? = nil) {
        self.bars = bars
        self.mode = mode
        self.maxValue = maxValue
        self.labelWidth = labelWidth
        self.valueWidth = valueWidth
        self.showValues = showValues
        self.decimals = decimals
        self.barStyle = barStyle
        self.negativeStyle = negativeStyle
        self.labelStyle = labelStyle
        self.valueStyle = valueStyle
        self.highlighted = highlighted
        self.highlightStyle = highlightStyle
        self.offset = offset
        self.block = block
        self.glyphs = glyphs
    }

    private func valueText(_ bar: Bar) -> String {
        bar.valueText ?? NumberFormat.fixed(bar.value, decimals, signed: mode == .diverging)
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        block?.render(in: area, buffer: &buffer)
        let inner = block.inner(area).intersection(buffer.area)
        guard !inner.isEmpty, !bars.isEmpty else { return }
        let shown = Array(bars.dropFirst(max(0, offset)).prefix(inner.height))

        let labelW = min(labelWidth ?? bars.map { TextWidth.width($0.label) }.max() ?? 0, inner.width / 3)
        let naturalValueW = bars.map { TextWidth.width(valueText($0)) }.max() ?? 0
        let valueW = showValues ? (valueWidth.map { min(max(0, $0), inner.width) } ?? min(naturalValueW, inner.width / 3)) : 0
        // Columns: label, gap, bar, gap, value.
        let barX = inner.x + labelW + (labelW > 0 ? 1 : 0)
        let barW = max(0, inner.right - barX - (valueW > 0 ? valueW + 1 : 0))
        let scale = maxValue ?? bars.map { abs($0.value) }.filter { $0.isFinite }.max() ?? 0

        for (row, bar) in shown.enumerated() {
            let y = inner.y + row
            let index = offset + row
            let isHighlighted = highlighted == index
            let hl = isHighlighted ? highlightStyle : Style()
            if labelW > 0 {
                let label = Line(bar.label, style: labelStyle.patch(hl))
                label.render(in: Rect(x: inner.x, y: y, width: labelW, height: 1), buffer: &buffer,
                             alignment: .left, ellipsis: glyphs.ellipsis)
            }
            if valueW > 0 {
                Line(valueText(bar), style: valueStyle.patch(hl))
                    .render(in: Rect(x: inner.right - valueW, y: y, width: valueW, height: 1), buffer: &buffer,
                            alignment: .right, ellipsis: glyphs.ellipsis)
            }
            guard barW > 0 else { continue }
            let fraction = scale > 0 && bar.value.isFinite ? min(1, abs(bar.value) / scale) : 0
            switch mode {
            case .magnitude:
                let style = bar.style ?? barStyle
                drawRightward(x: barX, y: y, width: barW, fraction: fraction, style: style, buffer: &buffer)
            case .diverging:
                let half = (barW - 1) / 2
                let axisX = barX + half
                buffer.set(Cell(symbol: glyphs.axis, style: Style(modifiers: .dim), width: 1), x: axisX, y: y)
                if bar.value >= 0 {
                    drawRightward(x: axisX + 1, y: y, width: half, fraction: fraction, style: bar.style ?? barStyle, buffer: &buffer)
                } else {
                    drawLeftward(rightEdge: axisX, y: y, width: half, fraction: fraction, style: bar.style ?? negativeStyle, buffer: &buffer)
                }
            }
        }
    }

    /// Bar length in eighths of a cell (ASCII: whole cells, rounded).
    private func eighths(_ fraction: Double, width: Int) -> Int {
        let e = Int((fraction * Double(width) * 8).rounded())
        return glyphs.isUnicode ? e : ((e + 4) / 8) * 8
    }

    private func drawRightward(x: Int, y: Int, width: Int, fraction: Double, style: Style, buffer: inout Buffer) {
        let e = eighths(fraction, width: width)
        for i in 0..<(e / 8) {
            buffer.set(Cell(symbol: glyphs.barFull, style: style, width: 1), x: x + i, y: y)
        }
        if e % 8 > 0 {
            buffer.set(Cell(symbol: glyphs.barEighths[e % 8], style: style, width: 1), x: x + e / 8, y: y)
        }
    }

    /// A bar growing left from `rightEdge` (exclusive).
    private func drawLeftward(rightEdge: Int, y: Int, width: Int, fraction: Double, style: Style, buffer: inout Buffer) {
        let e = eighths(fraction, width: width)
        for i in 0..<(e / 8) {
            buffer.set(Cell(symbol: glyphs.barFull, style: style, width: 1), x: rightEdge - 1 - i, y: y)
        }
        if e % 8 > 0 {
            // Right-anchored k/8 = left-anchored (8-k)/8 with fg and bg swapped.
            buffer.set(Cell(symbol: glyphs.barEighths[8 - e % 8], style: style.reversed, width: 1),
                       x: rightEdge - 1 - e / 8, y: y)
        }
    }
}
