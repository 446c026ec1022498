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

    public init(title: String, header: [Line], heading: Line, bars: [Bar], mode: BarChart.Mode, maxValue: Double,
                firstRank: Int, total: Int, isFocused: Bool, theme: Theme, emptyNote: String? = nil) {
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

    public func render(in area: Rect, buffer: inout Buffer) {
        let last = min(total, firstRank + bars.count)
        let footer = total > 0 ? "\(firstRank + 1)\(theme.dash)\(last) of \(Format.count(total))" : nil
        let block = Self.block(title: title, isFocused: isFocused, theme: theme, footer: footer)
        block.render(in: area, buffer: &buffer)
        let inner = block.inner(area)
        guard !inner.isEmpty else { return }
        let ellipsis = theme.glyphs.ellipsis
        let (shown, barArea) = Self.layout(headerCount: header.count, in: area)
        for (i, line) in (Array(header.prefix(shown)) + [heading]).enumerated() where i < inner.height {
            line.render(in: inner.row(i), buffer: &buffer, alignment: .left, ellipsis: ellipsis)
        }
        if bars.isEmpty, let emptyNote, !barArea.isEmpty {
            Line(emptyNote, style: theme.dim).render(in: barArea.row(0), buffer: &buffer, alignment: .left, ellipsis: ellipsis)
        }
        let labelWidth = min(bars.map { TextWidth.width($0.label) }.max() ?? 0, max(6, inner.width / 3))
        let valueWidth = min(bars.map { TextWidth.width($0.valueText ?? "") }.max() ?? 0, inner.width / 3)
        BarChart(bars, mode: mode, maxValue: maxValue > 0 ? maxValue : nil, labelWidth: labelWidth, valueWidth: valueWidth,
                 glyphs: theme.glyphs, barStyle: mode == .diverging ? theme.positiveBar : theme.magnitudeBar,
                 negativeStyle: theme.negativeBar, labelStyle: Style(), valueStyle: theme.label)
            .render(in: barArea, buffer: &buffer)
    }

    /// One page of ranked scores as bars.
    static func page(scores: [Double], ranking: [Int], names: [String], signed: Bool, percent: Bool,
                     offset: Int, pageSize: Int) -> (bars: [Bar], shown: [Int], first: Int, maxValue: Double) {
        let start = min(max(0, offset), max(0, ranking.count - 1))
        let shown = Array(ranking.dropFirst(start).prefix(max(0, pageSize)))
        let bars = shown.map { f -> Bar in
            let v = scores[f]
            let text = percent ? (signed && v > 0 ? "+" : "") + Format.percent(v)
                : (signed && v > 0 ? "+" : "") + Format.short(v, digits: 3)
            return Bar(names[f], v, valueText: text)
        }
        return (bars, shown, start, ranking.first.map { abs(scores[$0]) } ?? 0)
    }

    /// "L2", "share", "z1 signed" — the view names the sample panel uses.
    static func viewTitle(_ view: SampleView, axisNames: [String]) -> String {
        switch view {
        case .l2: return "L2"
        case .share: return "share"
        case .dimension(let j): return "\(j < axisNames.count ? axisNames[j] : "z\(j + 1)") signed"
        }
    }
}
