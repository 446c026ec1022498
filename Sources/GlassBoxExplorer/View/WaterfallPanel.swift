import GlassBoxCore
import GlassBoxTUI

/// `z`: how one dimension's contributions add up — for the focused sample (to z_j), a
/// comparison (to Δz_j) or a selection (to its mean z_j): the largest contributions in rank
/// order, what the higher ranks above the page and the rest below it add up to, and the total
/// — with the value it must equal and the difference, so upstream's exactness is on screen.
public struct WaterfallPanel: Widget {
    public var title: String
    public var header: [Line]
    public var heading: Line
    public var chart: Waterfall
    /// "z1 0.720 · Σ 0.720 · |z1 − Σ| 1.2e-07".
    public var check: Line
    /// What the columns are ("features"), for the count on the border.
    public var noun: String
    /// Rank of the first itemized column and the number of columns.
    public var firstRank: Int
    public var itemized: Int
    public var total: Int
    public var isFocused: Bool
    public var theme: Theme

    /// Header lines kept and the chart's rows inside `area`.
    static func layout(headerCount: Int, in area: Rect) -> (shownHeader: Int, chart: Rect) {
        let inner = Block().inner(area)
        let shown = max(0, min(headerCount, inner.height - 2 - 5))
        let top = shown + 1
        return (shown, Rect(x: inner.x, y: inner.y + top, width: inner.width, height: max(0, inner.height - top - 1)))
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let footer = total > 0 ? "\(firstRank + 1)\(theme.dash)\(firstRank + itemized) of \(Format.count(total)) \(noun)" : nil
        let block = theme.block(title, isFocused: isFocused, footer: footer)
        block.render(in: area, buffer: &buffer)
        let inner = block.inner(area)
        guard !inner.isEmpty else { return }
        let ellipsis = theme.glyphs.ellipsis
        let (shown, chartArea) = Self.layout(headerCount: header.count, in: area)
        for (i, line) in header.prefix(shown).enumerated() {
            line.render(in: inner.row(i), buffer: &buffer, alignment: .left, ellipsis: ellipsis)
        }
        if shown < inner.height {
            let row = inner.row(shown)
            chart.columnTitles(in: row, buffer: &buffer, style: theme.label)
            let titles = chart.titles.map { TextWidth.width($0) }.reduce(0) { $0 + $1 + 1 }
            let room = max(0, row.width - titles - 1)
            heading.droppingTrailingSpans(toFit: room).render(
                in: Rect(x: row.x, y: row.y, width: room, height: 1), buffer: &buffer,
                alignment: .left, ellipsis: ellipsis)
        }
        chart.render(in: chartArea, buffer: &buffer)
        if chartArea.bottom < inner.bottom {
            check.render(in: inner.row(inner.height - 1), buffer: &buffer, alignment: .left, ellipsis: ellipsis)
        }
    }
}

extension WaterfallPanel {
    /// Builds the panel for dimension `j` of `values` (one per column, e.g. C[j, :]) ranked by
    /// magnitude, itemizing the columns from rank `offset` that fit in `area`.
    /// - Parameters:
    ///   - target: what the columns must sum to (z_j, Δz_j, a mean z_j), named `targetName`.
    ///   - noun: what the columns are ("features", "PCA components", "sets").
    ///   - overlapping: the columns overlap (sets sharing features), so they need not add up to
    ///     the target: the total and the last line say so plainly instead of claiming Σ = z.
    /// - Returns: the panel, the itemized columns, and the chart's rows.
    static func build(
        title: String, header: [Line], heading: Line, values: [Double], ranking: [Int], names: [String],
        offset: Int, target: Double, targetName: String, noun: String, overlapping: Bool = false, isFocused: Bool, theme: Theme,
        area: Rect
    ) -> (panel: WaterfallPanel, shown: [Int], rows: Rect) {
        let chartRows = layout(headerCount: header.count, in: area).chart
        let start = min(max(0, offset), max(0, ranking.count - 1))
        // Rows: "ranks above" (when paged), the itemized columns, "the rest", the total.
        let room = max(1, chartRows.height - 1 - (start > 0 ? 1 : 0) - 1)
        var shown = Array(ranking.dropFirst(start).prefix(room))
        if start + shown.count == ranking.count - 1 { shown = Array(ranking.dropFirst(start).prefix(room + 1)) }  // no "rest" of one
        var steps: [Waterfall.Step] = []
        var running = 0.0
        func add(_ label: String, _ v: Double) {
            running += v
            steps.append(Waterfall.Step(label, v, valueText: Format.number(v, signed: true), runningText: Format.number(running)))
        }
        if start > 0 {
            let above = ranking.prefix(start).reduce(0.0) { $0 + values[$1] }
            add("top \(start)", above)
        }
        for c in shown { add(names[c], values[c]) }
        let restColumns = ranking.dropFirst(start + shown.count)
        if !restColumns.isEmpty {
            add("rest (\(Format.count(restColumns.count)))", restColumns.reduce(0.0) { $0 + values[$1] })
        }
        let sum = running
        let total = Waterfall.Step(
            overlapping ? "\(theme.sigma) (overlap)" : "\(theme.sigma) = \(targetName)", sum, valueText: Format.number(sum))
        let chart = Waterfall(
            steps: steps, total: total, positiveStyle: theme.positiveBar, negativeStyle: theme.negativeBar,
            totalStyle: theme.accent, labelStyle: Style(), valueStyle: theme.label,
            titles: ["C", "\(theme.sigma) so far"],
            labelWidth: RankedBarsPanel.labelWidth(names: steps.map(\.label) + [total.label], width: Block().inner(area).width),
            glyphs: theme.glyphs)
        let error = abs(target - sum)
        // The total row shows Σ; this line says what it equals and by how much.
        let check =
            overlapping
            ? Line([
                Span("\(noun) overlap: \(theme.sigma) \(theme.notEqual) \(targetName) ", style: theme.label), Span(Format.number(target)),
                Span("  off by ", style: theme.label), Span(Format.number(sum - target, signed: true)),
            ])
            : Format.number(target) == Format.number(sum)
                ? Line([
                    Span("\(theme.sigma) = \(targetName)", style: theme.label), Span("  error ", style: theme.label),
                    Span(Format.scientific(error)),
                ])
                : Line([
                    Span("\(targetName) = ", style: theme.label), Span(Format.number(target)), Span("  error ", style: theme.label),
                    Span(Format.scientific(error)),
                ])
        let panel = WaterfallPanel(
            title: title, header: header, heading: heading, chart: chart, check: check, noun: noun, firstRank: start,
            itemized: shown.count, total: ranking.count, isFocused: isFocused, theme: theme)
        return (panel, shown, chartRows)
    }
}
