import GlassBoxCore
import GlassBoxTUI

/// Who the focused sample is: the header of the sample panel.
public struct SampleHeader: Equatable, Sendable {
    public var id: String
    public var row: Int
    public var sampleCount: Int
    public var label: String?
    /// z, m values.
    public var embedding: [Double]
    /// Σ_f C[j, f] per dimension — equals z (the contributions are exact).
    public var sums: [Double]
    /// max_j |z_j − (J·u)_j|.
    public var reconstructionError: Double

    public init(id: String, row: Int, sampleCount: Int, label: String?, embedding: [Double], sums: [Double], reconstructionError: Double) {
        self.id = id
        self.row = row
        self.sampleCount = sampleCount
        self.label = label
        self.embedding = embedding
        self.sums = sums
        self.reconstructionError = reconstructionError
    }
}

/// The focused sample: who it is, where it sits, and a bar chart of its contributions ranked
/// in the current view, one page at a time, each bar with the feature's value. Laid out once,
/// by `build`, for the area it is drawn in.
public struct SamplePanel: Widget {
    /// Who the sample is, in the lines that fit (`headerLines`).
    public var header: [Line]
    /// "L2", "share" (of the sample's total), "z1 signed".
    public var viewTitle: String
    /// "genes" / "features" / "PCA components".
    public var spaceTitle: String
    /// The visible page.
    public var bars: [Bar]
    public var mode: BarChart.Mode
    /// |value| of a full bar: the top-ranked one, so pages share one scale.
    public var maxValue: Double
    /// Rank of the first bar (0-based) and the number of ranked columns.
    public var firstRank: Int
    public var total: Int
    public var highlightedRow: Int?
    /// The highlighted feature when it is not on this page.
    public var pinned: Line?
    public var isFocused: Bool
    public var theme: Theme

    public init(header: [Line], viewTitle: String, spaceTitle: String, bars: [Bar], mode: BarChart.Mode,
                maxValue: Double, firstRank: Int, total: Int, highlightedRow: Int? = nil, pinned: Line? = nil,
                isFocused: Bool, theme: Theme) {
        self.header = header
        self.viewTitle = viewTitle
        self.spaceTitle = spaceTitle
        self.bars = bars
        self.mode = mode
        self.maxValue = maxValue
        self.firstRank = firstRank
        self.total = total
        self.highlightedRow = highlightedRow
        self.pinned = pinned
        self.isFocused = isFocused
        self.theme = theme
    }

    static func block(isFocused: Bool, theme: Theme, footer: String? = nil) -> Block {
        theme.block(Panel.sample.title, isFocused: isFocused, footer: footer)
    }

    /// The header lines that fit: id and row, label, z (= Σ_f C when they agree as shown),
    /// the reconstruction error. Fewer on short panels.
    static func headerLines(_ h: SampleHeader, width: Int, height: Int, theme: Theme) -> [Line] {
        let rowText = "row \(Format.count(h.row + 1)) of \(Format.count(h.sampleCount))"
        let id = TextWidth.truncate(h.id, to: max(1, width - rowText.count - 1), ellipsis: theme.glyphs.ellipsis)
        var lines = [Line([Span(id, style: theme.accent),
                           Span(String(repeating: " ", count: max(1, width - TextWidth.width(id) - rowText.count))),
                           Span(rowText, style: theme.dim)])]
        var optional: [Line] = []
        if let label = h.label { optional.append(Line([Span("label  ", style: theme.label), Span(label, style: theme.title)])) }
        let z = h.embedding.map { Format.short($0) }.joined(separator: "  ")
        let sums = h.sums.map { Format.short($0) }.joined(separator: "  ")
        // The contributions are exact, so Σ_f C shows the same digits as z (with PCA, up to
        // sklearn's tiny pca.mean_ term); say so in one line when it does.
        let zLine = sums == z
            ? Line([Span("z = \(theme.sigma)_f C  ", style: theme.label), Span(z)])
            : Line([Span("z      ", style: theme.label), Span(z)])
        let sumLine: Line? = sums == z ? nil : Line([Span("\(theme.sigma)_f C  ", style: theme.label), Span(sums)])
        let errorLine = Line([Span("error  ", style: theme.label), Span(Format.scientific(h.reconstructionError)),
                              Span("  |z \(theme.unicode ? "−" : "-") J\(theme.unicode ? "·" : "*")u|", style: theme.dim)])
        // Priority when space is short: z, label, error, sums.
        let budget = max(1, height - 1 - 4)  // keep room for the heading and a few bars
        var chosen: [Int: Line] = [2: zLine]
        if !optional.isEmpty, chosen.count < budget { chosen[1] = optional[0] }
        if chosen.count < budget { chosen[4] = errorLine }
        if let sumLine, chosen.count < budget { chosen[3] = sumLine }
        lines += chosen.sorted { $0.key < $1.key }.map(\.value)
        return lines
    }

    /// The bar rows under `headerCount` header lines and the heading, inside the borders of
    /// `area`; one row less when a pinned line goes below them.
    static func barArea(in area: Rect, headerCount: Int, pinned: Bool) -> Rect {
        let inner = Block().inner(area)
        let top = headerCount + 1
        return Rect(x: inner.x, y: inner.y + top, width: inner.width, height: max(0, inner.height - top - (pinned ? 1 : 0)))
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let last = min(total, firstRank + bars.count)
        let footer = total > 0 ? "\(firstRank + 1)\(theme.dash)\(last) of \(Format.count(total))" : nil
        let block = Self.block(isFocused: isFocused, theme: theme, footer: footer)
        block.render(in: area, buffer: &buffer)
        let inner = block.inner(area)
        guard !inner.isEmpty else { return }
        let ellipsis = theme.glyphs.ellipsis
        let barArea = Self.barArea(in: area, headerCount: header.count, pinned: pinned != nil)
        let heading = Line([Span("Contributions", style: theme.title), Span(" \(theme.bullet) \(viewTitle) \(theme.bullet) \(spaceTitle)", style: theme.label)])
        for (i, line) in (header + [heading]).enumerated() where i < inner.height {
            line.render(in: inner.row(i), buffer: &buffer, alignment: .left, ellipsis: ellipsis)
        }
        let labelWidth = min(bars.map { TextWidth.width($0.label) }.max() ?? 0, max(6, inner.width / 3))
        let valueWidth = min(bars.map { TextWidth.width($0.valueText ?? "") }.max() ?? 0, inner.width < 40 ? inner.width / 2 : inner.width * 2 / 5)
        let chart = BarChart(bars, mode: mode, maxValue: maxValue > 0 ? maxValue : nil, labelWidth: labelWidth,
                             valueWidth: valueWidth, glyphs: theme.glyphs,
                             barStyle: mode == .diverging ? theme.positiveBar : theme.magnitudeBar,
                             negativeStyle: theme.negativeBar, labelStyle: Style(),
                             valueStyle: theme.label, highlighted: highlightedRow, highlightStyle: theme.highlight)
        chart.render(in: barArea, buffer: &buffer)
        if let pinned, barArea.bottom < inner.bottom {
            pinned.render(in: Rect(x: inner.x, y: barArea.bottom, width: inner.width, height: 1), buffer: &buffer,
                          alignment: .left, ellipsis: ellipsis)
        }
    }
}

extension SamplePanel {
    /// Builds the panel for one page of a sample's ranked contributions, laid out for `area`.
    /// - Parameters:
    ///   - table: the sample's m × columns contributions in the shown space.
    ///   - ranking: every column, most important first, for `view`.
    ///   - names: column names; `inputs`: each column's input value (x[f] or u[c]).
    /// - Returns: the panel, the columns on its page, and the page's bar rows.
    public static func build(header: SampleHeader, table: ContributionTable, ranking: [Int], names: [String],
                             inputs: [Double], view: SampleView, space: FeatureSpace, spaceTitle: String,
                             offset: Int, highlighted: Int?, axisNames: [String],
                             isFocused: Bool, theme: Theme, area: Rect) -> (panel: SamplePanel, shown: [Int], bars: Rect) {
        let inner = Block().inner(area)
        let headerLines = headerLines(header, width: inner.width, height: inner.height, theme: theme)
        let highlighted = space == .features ? highlighted : nil
        // A pinned line takes a row when the highlight is off the page.
        var barRows = barArea(in: area, headerCount: headerLines.count, pinned: false)
        let highlightRank = highlighted.flatMap { ranking.firstIndex(of: $0) }
        if let rank = highlightRank, !(offset..<(offset + barRows.height)).contains(rank) {
            barRows = barArea(in: area, headerCount: headerLines.count, pinned: true)
        }
        let scores = table.scores(view.contributionView)
        let start = min(max(0, offset), max(0, ranking.count - 1))
        let shown = Array(ranking.dropFirst(start).prefix(barRows.height))
        let inputName = space == .features ? "x" : "u"
        func valueText(_ c: Int) -> String {
            let v = scores[c]
            let s: String
            switch view {
            case .l2: s = Format.short(v, digits: 3)
            case .share: s = Format.percent(v)
            case .dimension: s = (v > 0 ? "+" : "") + Format.short(v, digits: 3)
            }
            return "\(s) \(inputName)=\(Format.short(inputs[c], digits: 3))"
        }
        let bars = shown.map { Bar(names[$0], scores[$0], valueText: valueText($0)) }
        let maxValue = ranking.first.map { abs(scores[$0]) } ?? 0
        var highlightedRow: Int? = nil
        var pinned: Line? = nil
        if let h = highlighted, h < scores.count {
            if let row = shown.firstIndex(of: h) {
                highlightedRow = row
            } else if let rank = highlightRank {
                pinned = Line([Span("\(theme.pin) \(names[h])", style: theme.highlight),
                               Span("  #\(rank + 1)  \(valueText(h))", style: theme.label)])
            }
        }
        let panel = SamplePanel(header: headerLines, viewTitle: RankedBarsPanel.viewTitle(view, axisNames: axisNames),
                                spaceTitle: spaceTitle, bars: bars, mode: view.isSigned ? .diverging : .magnitude,
                                maxValue: maxValue, firstRank: start, total: ranking.count, highlightedRow: highlightedRow,
                                pinned: pinned, isFocused: isFocused, theme: theme)
        return (panel, shown, barRows)
    }
}
