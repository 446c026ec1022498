import GlassBoxTUI

/// The right-hand panel of the analysis views (selection, compare): a few header lines that
/// say what the numbers cover, a heading, and one page of ranked bars — drawn like the sample
/// panel so the views read the same.
public struct RankedBarsPanel: Widget {
    public var title: String
    public var header: [Line]
    public var heading: Line
    public var bars: [Bar]
    public var mode: BarChart.Mode
    /// |value| of a full bar: the top-ranked one, so pages share one scale.
    public var maxValue: Double
    public var firstRank: Int
    public var total: Int
    public var isFocused: Bool
    public var theme: Theme
    /// Shown where the bars go while there are none.
    public var emptyNote: String?
    /// Titles of the value column and the further ones, on the heading's row.
    public var titles: [String]
    /// What the ranked columns are ("features"), for the page count on the border.
    public var noun: String

    public init(
        title: String, header: [Line], heading: Line, bars: [Bar], mode: BarChart.Mode, maxValue: Double,
        firstRank: Int, total: Int, isFocused: Bool, theme: Theme, emptyNote: String? = nil, titles: [String] = [],
        noun: String = "features"
    ) {
        self.noun = noun
        self.emptyNote = emptyNote
        self.title = title
        self.header = header
        self.heading = heading
        self.bars = bars
        self.mode = mode
        self.maxValue = maxValue
        self.firstRank = firstRank
        self.total = total
        self.isFocused = isFocused
        self.theme = theme
        self.titles = titles
    }

    static func block(title: String, isFocused: Bool, theme: Theme, footer: String? = nil) -> Block {
        theme.block(title, isFocused: isFocused, footer: footer)
    }

    /// Header lines kept (the first ones; at least a few bar rows stay), and the bar rows.
    public static func layout(headerCount: Int, in area: Rect) -> (shownHeader: Int, bars: Rect) {
        let inner = Block().inner(area)
        let shown = max(0, min(headerCount, inner.height - 1 - 3))
        let top = shown + 1
        return (shown, Rect(x: inner.x, y: inner.y + top, width: inner.width, height: max(0, inner.height - top)))
    }

    /// The bars laid out for a panel `width` columns inside.
    func chart(width: Int) -> BarChart {
        BarChart(
            bars, mode: mode, maxValue: maxValue > 0 ? maxValue : nil, labelWidth: Self.labelWidth(names: bars.map(\.label), width: width),
            glyphs: theme.glyphs, barStyle: mode == .diverging ? theme.positiveBar : theme.magnitudeBar,
            negativeStyle: theme.negativeBar, labelStyle: Style(), valueStyle: theme.label, titles: titles)
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let last = min(total, firstRank + bars.count)
        let footer = total > 0 ? "\(firstRank + 1)\(theme.dash)\(last) of \(Format.count(total)) \(noun)" : nil
        let block = Self.block(title: title, isFocused: isFocused, theme: theme, footer: footer)
        block.render(in: area, buffer: &buffer)
        let inner = block.inner(area)
        guard !inner.isEmpty else { return }
        let ellipsis = theme.glyphs.ellipsis
        let (shown, barArea) = Self.layout(headerCount: header.count, in: area)
        for (i, line) in header.prefix(shown).enumerated() where i < inner.height {
            line.render(in: inner.row(i), buffer: &buffer, alignment: .left, ellipsis: ellipsis)
        }
        let chart = chart(width: inner.width)
        if shown < inner.height {
            let row = inner.row(shown)
            let start = bars.isEmpty ? row.right : chart.columnTitles(in: row, buffer: &buffer, style: theme.label)
            let room = max(0, start - 1 - row.x)
            heading.droppingTrailingSpans(toFit: room).render(
                in: Rect(x: row.x, y: row.y, width: room, height: 1), buffer: &buffer,
                alignment: .left, ellipsis: ellipsis)
        }
        if bars.isEmpty, let emptyNote, !barArea.isEmpty {
            Line(emptyNote, style: theme.dim).render(in: barArea.row(0), buffer: &buffer, alignment: .left, ellipsis: ellipsis)
        }
        chart.render(in: barArea, buffer: &buffer)
    }

    /// The name column: as wide as the longest name, up to two fifths of the panel (at least 6).
    static func labelWidth(names: [String], width: Int) -> Int {
        min(names.map { TextWidth.width($0) }.max() ?? 0, max(6, width * 2 / 5))
    }

    /// A score as the value column shows it, in the one number format.
    static func valueText(_ v: Double, view: SampleView, signed: Bool? = nil) -> String {
        let sign = signed ?? view.isSigned
        switch view {
        case .share: return Format.percent(v, signed: sign)
        case .l2, .dimension, .waterfall: return Format.number(v, signed: sign)
        }
    }

    /// One page of ranked scores as bars.
    static func page(
        scores: [Double], ranking: [Int], names: [String], signed: Bool, view: SampleView,
        offset: Int, pageSize: Int
    ) -> (bars: [Bar], shown: [Int], first: Int, maxValue: Double) {
        let start = min(max(0, offset), max(0, ranking.count - 1))
        let shown = Array(ranking.dropFirst(start).prefix(max(0, pageSize)))
        let bars = shown.map { Bar(names[$0], scores[$0], valueText: valueText(scores[$0], view: view, signed: signed)) }
        return (bars, shown, start, ranking.first.map { abs(scores[$0]) } ?? 0)
    }

    /// "L2", "share", "z1 signed" — the view names the sample panel uses.
    static func viewTitle(_ view: SampleView, axisNames: [String]) -> String {
        switch view {
        case .l2: return "L2"
        case .share: return "share"
        case .dimension(let j): return "\(axisName(j, axisNames)) signed"
        case .waterfall(let j): return "\(axisName(j, axisNames)) waterfall"
        }
    }

    /// The value column's title: "L2", "share", "C z1".
    static func valueTitle(_ view: SampleView, axisNames: [String]) -> String {
        switch view {
        case .l2: return "L2"
        case .share: return "share"
        case .dimension(let j), .waterfall(let j): return "C \(axisName(j, axisNames))"
        }
    }

    static func axisName(_ j: Int, _ axisNames: [String]) -> String {
        j < axisNames.count ? axisNames[j] : "z\(j + 1)"
    }
}
