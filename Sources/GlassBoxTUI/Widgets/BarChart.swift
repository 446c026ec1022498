/// One bar of a `BarChart`.
public struct Bar: Equatable, Sendable {
    public var label: String
    public var value: Double
    /// Overrides the chart's bar style for this bar (e.g. a gradient colour).
    public var style: Style?
    /// Text shown in the value column; nil formats `value` with `BarChart.decimals`.
    public var valueText: String?
    /// Further columns right of the value, each right-aligned in its own column (e.g. the
    /// input a contribution multiplies); dropped from the last when the area is narrow.
    public var columns: [String]

    public init(_ label: String, _ value: Double, style: Style? = nil, valueText: String? = nil, columns: [String] = []) {
        self.label = label
        self.value = value
        self.style = style
        self.valueText = valueText
        self.columns = columns
    }
}

/// Horizontal bars, one per row: `label  bar  value  column…`.
///
/// `.magnitude` draws bars from the left edge; `.diverging` draws negative values left of a
/// centre axis and positive values right of it. Bar ends have 1/8-cell precision (▏…▉): a
/// bar growing left keeps its partial cell at the inner end, next to the axis, so the bar is
/// one solid run (block elements are left-anchored). The ASCII glyph set rounds to whole `#`
/// cells. Labels that don't fit lose their middle and never read alike (`NameFit`); values
/// and further columns are right-aligned, each in its own column.
public struct BarChart: Widget {
    public enum Mode: Sendable { case magnitude, diverging }

    public var bars: [Bar]
    public var mode: Mode
    /// The value of a full-length bar; nil uses the largest |value|.
    public var maxValue: Double?
    /// Label column width (at most the area's); nil fits the longest label, up to a third of the area.
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
    /// Titles of the value column and the further columns (`columnTitles(in:)` places them);
    /// a column is at least as wide as its title.
    public var titles: [String]
    /// Bar cells kept before further columns are dropped.
    public var minimumBarWidth: Int
    /// Bars not drawn whose texts the columns must fit too (a row drawn apart, e.g. pinned).
    public var sizingBars: [Bar] = []

    public init(
        _ bars: [Bar], mode: Mode = .magnitude, maxValue: Double? = nil, labelWidth: Int? = nil,
        valueWidth: Int? = nil, showValues: Bool = true, decimals: Int = 2, glyphs: GlyphSet = .unicode,
        barStyle: Style = Style(fg: .cyan), negativeStyle: Style = Style(fg: .red),
        labelStyle: Style = Style(), valueStyle: Style = Style(modifiers: .dim),
        highlighted: Int? = nil, highlightStyle: Style = Style(modifiers: [.reverse]),
        offset: Int = 0, block: Block? = nil, titles: [String] = [], minimumBarWidth: Int = 6
    ) {
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
        self.titles = titles
        self.minimumBarWidth = minimumBarWidth
    }

    private func valueText(_ bar: Bar) -> String {
        bar.valueText ?? NumberFormat.fixed(bar.value, decimals, signed: mode == .diverging)
    }

    /// Where things go across a row of `inner`: the label column, the bar, and the value and
    /// further columns that fit.
    public struct Columns: Equatable, Sendable {
        public var labelWidth: Int
        public var barX: Int
        public var barWidth: Int
        /// The value column first, then the further columns shown: (x, width).
        public var values: [(x: Int, width: Int)]

        public static func == (a: Columns, b: Columns) -> Bool {
            a.labelWidth == b.labelWidth && a.barX == b.barX && a.barWidth == b.barWidth
                && a.values.elementsEqual(b.values) { $0 == $1 }
        }
    }

    public func columns(in inner: Rect) -> Columns {
        let bars = self.bars + sizingBars
        let labelW = labelWidth.map { min($0, inner.width) } ?? min(bars.map { TextWidth.width($0.label) }.max() ?? 0, inner.width / 3)
        var widths: [Int] = []
        if showValues {
            let natural = max(bars.map { TextWidth.width(valueText($0)) }.max() ?? 0, titles.first.map { TextWidth.width($0) } ?? 0)
            widths.append(valueWidth.map { min(max(0, $0), inner.width) } ?? min(natural, inner.width / 3))
            let extra = bars.map(\.columns.count).max() ?? 0
            for c in 0..<extra {
                let title = titles.count > c + 1 ? TextWidth.width(titles[c + 1]) : 0
                widths.append(max(title, bars.map { c < $0.columns.count ? TextWidth.width($0.columns[c]) : 0 }.max() ?? 0))
            }
        }
        // Further columns go, last first, while the bar would be narrower than its minimum.
        func barWidth(_ w: [Int]) -> Int {
            inner.width - labelW - (labelW > 0 ? 1 : 0) - w.reduce(0) { $0 + ($1 > 0 ? $1 + 1 : 0) }
        }
        while widths.count > 1, barWidth(widths) < minimumBarWidth { widths.removeLast() }
        let barX = inner.x + labelW + (labelW > 0 ? 1 : 0)
        var x = inner.right
        var values: [(x: Int, width: Int)] = []
        for w in widths.reversed() {
            x -= w
            values.insert((x, w), at: 0)
            x -= 1
        }
        return Columns(labelWidth: labelW, barX: barX, barWidth: max(0, barWidth(widths)), values: values)
    }

    /// Draws `titles` right-aligned over their columns on the row `area` (an area as wide as
    /// the chart's); returns the column where the first title starts (or `area.right`).
    @discardableResult
    public func columnTitles(in area: Rect, buffer: inout Buffer, style: Style) -> Int {
        let c = columns(in: block.inner(Rect(x: area.x, y: area.y, width: area.width, height: 1)))
        var first = area.right
        for (i, column) in c.values.enumerated() where i < titles.count && column.width > 0 {
            Line(titles[i], style: style).render(
                in: Rect(x: column.x, y: area.y, width: column.width, height: 1), buffer: &buffer,
                alignment: .right, ellipsis: glyphs.ellipsis)
            first = min(first, column.x + column.width - min(column.width, TextWidth.width(titles[i])))
        }
        return first
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        block?.render(in: area, buffer: &buffer)
        let inner = block.inner(area).intersection(buffer.area)
        guard !inner.isEmpty, !bars.isEmpty else { return }
        let shown = Array(bars.dropFirst(max(0, offset)).prefix(inner.height))
        let c = columns(in: inner)
        let labels = NameFit.fit(shown.map(\.label), width: c.labelWidth, ellipsis: glyphs.ellipsis)
        let scale = maxValue ?? bars.map { abs($0.value) }.filter { $0.isFinite }.max() ?? 0

        for (row, bar) in shown.enumerated() {
            let y = inner.y + row
            let index = offset + row
            let isHighlighted = highlighted == index
            let hl = isHighlighted ? highlightStyle : Style()
            if c.labelWidth > 0 {
                Line(labels[row], style: labelStyle.patch(hl))
                    .render(
                        in: Rect(x: inner.x, y: y, width: c.labelWidth, height: 1), buffer: &buffer, alignment: .left,
                        ellipsis: glyphs.ellipsis)
            }
            for (i, column) in c.values.enumerated() where column.width > 0 {
                let text = i == 0 ? valueText(bar) : (i - 1 < bar.columns.count ? bar.columns[i - 1] : "")
                Line(text, style: valueStyle.patch(hl))
                    .render(
                        in: Rect(x: column.x, y: y, width: column.width, height: 1), buffer: &buffer,
                        alignment: .right, ellipsis: glyphs.ellipsis)
            }
            let barW = c.barWidth
            guard barW > 0 else { continue }
            let fraction = scale > 0 && bar.value.isFinite ? min(1, abs(bar.value) / scale) : 0
            switch mode {
            case .magnitude:
                let style = bar.style ?? barStyle
                drawRightward(x: c.barX, y: y, width: barW, fraction: fraction, style: style, buffer: &buffer)
            case .diverging:
                let half = (barW - 1) / 2
                let axisX = c.barX + half
                buffer.set(Cell(symbol: glyphs.axis, style: Style(modifiers: .dim), width: 1), x: axisX, y: y)
                if bar.value >= 0 {
                    drawRightward(x: axisX + 1, y: y, width: half, fraction: fraction, style: bar.style ?? barStyle, buffer: &buffer)
                } else {
                    drawLeftward(
                        rightEdge: axisX, y: y, width: half, fraction: fraction, style: bar.style ?? negativeStyle, buffer: &buffer)
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

    /// A bar growing left from `rightEdge` (exclusive): its partial cell sits at the inner
    /// end, against the axis, and the whole cells run left from it without a gap.
    private func drawLeftward(rightEdge: Int, y: Int, width: Int, fraction: Double, style: Style, buffer: inout Buffer) {
        let e = eighths(fraction, width: width)
        var x = rightEdge - 1
        if e % 8 > 0 {
            buffer.set(Cell(symbol: glyphs.barEighths[e % 8], style: style, width: 1), x: x, y: y)
            x -= 1
        }
        for i in 0..<(e / 8) {
            buffer.set(Cell(symbol: glyphs.barFull, style: style, width: 1), x: x - i, y: y)
        }
    }
}
