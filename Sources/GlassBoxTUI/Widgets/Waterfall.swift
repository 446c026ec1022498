/// A waterfall chart, one row per step: each step's bar runs from the running total before it
/// to the running total after it (right for positive steps, left for negative ones), and a
/// last row draws the total from zero — how parts add up to a whole, read down the rows.
///
///     label        bar                      step   running
///     CD74         │ ██████                +0.80      0.80
///     GNLY         │   ███                 -0.40      0.40
///     rest (760)   │   ▌                   +0.05      0.45
///     z1           │████                    0.45
///
/// Bar ends are drawn to half a cell (▌ ends a bar on the right, ▐ starts one on the left);
/// a step too small for half a cell shows as a thin mark so none disappears. Labels are
/// fitted with `NameFit`; the step and running columns are right-aligned, each in its own
/// column. ASCII: whole `#` cells and `|`.
public struct Waterfall: Widget {
    public struct Step: Equatable, Sendable {
        public var label: String
        public var value: Double
        public var valueText: String
        public var runningText: String
        public var style: Style?

        public init(_ label: String, _ value: Double, valueText: String, runningText: String = "", style: Style? = nil) {
            self.label = label
            self.value = value
            self.valueText = valueText
            self.runningText = runningText
            self.style = style
        }
    }

    public var steps: [Step]
    /// Drawn last, from zero to its value.
    public var total: Step
    public var positiveStyle: Style
    public var negativeStyle: Style
    public var totalStyle: Style
    public var labelStyle: Style
    public var valueStyle: Style
    /// Titles of the step and running columns (drawn by `columnTitles`).
    public var titles: [String]
    public var labelWidth: Int?
    public var glyphs: GlyphSet

    public init(
        steps: [Step], total: Step, positiveStyle: Style = Style(fg: .red), negativeStyle: Style = Style(fg: .blue),
        totalStyle: Style = Style(modifiers: .bold), labelStyle: Style = Style(), valueStyle: Style = Style(modifiers: .dim),
        titles: [String] = [], labelWidth: Int? = nil, glyphs: GlyphSet = .unicode
    ) {
        self.steps = steps
        self.total = total
        self.positiveStyle = positiveStyle
        self.negativeStyle = negativeStyle
        self.totalStyle = totalStyle
        self.labelStyle = labelStyle
        self.valueStyle = valueStyle
        self.titles = titles
        self.labelWidth = labelWidth
        self.glyphs = glyphs
    }

    /// The value and running columns as a bar chart lays them out (same widths, same rules).
    private var layoutChart: BarChart {
        let rows = (steps + [total]).map {
            Bar($0.label, $0.value, valueText: $0.valueText, columns: $0.runningText.isEmpty ? [] : [$0.runningText])
        }
        return BarChart(rows, labelWidth: labelWidth, glyphs: glyphs, titles: titles, minimumBarWidth: 8)
    }

    public func columnTitles(in area: Rect, buffer: inout Buffer, style: Style) {
        layoutChart.columnTitles(in: area, buffer: &buffer, style: style)
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        let chart = layoutChart
        let c = chart.columns(in: area)
        let rows = Array((steps + [total]).prefix(area.height))
        let labels = NameFit.fit(rows.map(\.label), width: c.labelWidth, ellipsis: glyphs.ellipsis)
        // The span of every running total and zero, mapped onto the bar cells.
        var running = 0.0, low = 0.0, high = 0.0
        for s in steps where s.value.isFinite {
            running += s.value
            low = min(low, running)
            high = max(high, running)
        }
        if total.value.isFinite { low = min(low, total.value); high = max(high, total.value) }
        let span = high - low
        func position(_ v: Double) -> Double { span > 0 ? (v - low) / span * Double(c.barWidth) : 0 }

        running = 0
        for (i, row) in rows.enumerated() {
            let y = area.y + i
            let isTotal = i == steps.count
            let style = isTotal ? totalStyle : (row.style ?? (row.value >= 0 ? positiveStyle : negativeStyle))
            if c.labelWidth > 0 {
                Line(labels[i], style: isTotal ? labelStyle.bold : labelStyle)
                    .render(
                        in: Rect(x: area.x, y: y, width: c.labelWidth, height: 1), buffer: &buffer, alignment: .left,
                        ellipsis: glyphs.ellipsis)
            }
            let texts = [row.valueText, row.runningText]
            for (k, column) in c.values.enumerated() where k < texts.count && column.width > 0 {
                Line(texts[k], style: isTotal ? valueStyle.bold : valueStyle)
                    .render(
                        in: Rect(x: column.x, y: y, width: column.width, height: 1), buffer: &buffer, alignment: .right,
                        ellipsis: glyphs.ellipsis)
            }
            guard c.barWidth > 0 else { continue }
            let from = isTotal ? 0 : running, to = isTotal ? row.value : running + row.value
            if !isTotal && row.value.isFinite { running += row.value }
            // The zero line, under the bars.
            let zero = min(c.barWidth - 1, Int(position(0)))
            buffer.set(Cell(symbol: glyphs.axis, style: Style(modifiers: .dim), width: 1), x: c.barX + zero, y: y)
            guard from.isFinite, to.isFinite else { continue }
            drawSegment(position(min(from, to)), position(max(from, to)), x: c.barX, width: c.barWidth, y: y, style: style, buffer: &buffer)
        }
    }

    /// Fills cells a…b (in cells, fractional) to half a cell.
    private func drawSegment(_ a: Double, _ b: Double, x: Int, width: Int, y: Int, style: Style, buffer: inout Buffer) {
        let halfA = Int((a * 2).rounded()), halfB = Int((b * 2).rounded())
        if halfB <= halfA || !glyphs.isUnicode && (halfB / 2 <= halfA / 2) {
            // Too small to fill: a thin mark where it is.
            let cell = min(width - 1, max(0, Int(a)))
            buffer.set(Cell(symbol: glyphs.isUnicode ? "▏" : "|", style: style, width: 1), x: x + cell, y: y)
            return
        }
        if !glyphs.isUnicode {
            for cell in (halfA / 2)..<min(width, (halfB + 1) / 2) {
                buffer.set(Cell(symbol: "#", style: style, width: 1), x: x + cell, y: y)
            }
            return
        }
        var h = halfA
        while h < halfB {
            let cell = h / 2
            guard cell < width else { break }
            let symbol: Character
            if h % 2 == 1 {
                symbol = "▐"  // starts in the right half of the cell
                h += 1
            } else if h + 1 == halfB {
                symbol = "▌"  // ends in the left half
                h += 1
            } else {
                symbol = glyphs.barFull
                h += 2
            }
            buffer.set(Cell(symbol: symbol, style: style, width: 1), x: x + cell, y: y)
        }
    }
}
