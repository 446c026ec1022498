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
    /// What `sums` add over: "f" (features), "set" in the sets space (then Σ equals z only
    /// when the sets partition the features).
    public var sumIndex = "f"
    /// A line about the columns (in the sets space: whether they partition the features).
    public var note: String?

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

/// The inputs beside each contribution: first the value J multiplies — the centred input
/// x − μ (C = J·(x − μ)), or a PCA component's score u — then, where there is room, x and μ.
public struct InputColumns: Equatable, Sendable {
    public var titles: [String]
    /// One array per title, a value per column of the space.
    public var values: [[Double]]
    /// Counts, shown without decimals (a set's size).
    public var areCounts = false

    public init(titles: [String], values: [[Double]]) {
        precondition(titles.count == values.count)
        self.titles = titles
        self.values = values
    }

    /// Features: x − μ, x, μ.
    public static func features(x: [Double], mean: [Double], theme: Theme) -> InputColumns {
        InputColumns(
            titles: ["x\(theme.minus)\(theme.mu)", "x", theme.mu],
            values: [zip(x, mean).map { $0 - $1 }, x, mean])
    }

    /// PCA components: the encoder input u.
    public static func components(u: [Double]) -> InputColumns {
        InputColumns(titles: ["u"], values: [u])
    }

    /// Feature sets: how many of the model's features each holds.
    public static func sets(_ sets: FeatureSets) -> InputColumns {
        var columns = InputColumns(titles: ["n"], values: [sets.sets.map { Double($0.members.count) }])
        columns.areCounts = true
        return columns
    }
}

/// The focused sample: who it is, where it sits, and a bar chart of its contributions ranked
/// in the current view, one page at a time, each bar with the input it multiplies. Laid out
/// once, by `build`, for the area it is drawn in.
public struct SamplePanel: Widget {
    /// Who the sample is, in the lines that fit (`headerLines`).
    public var header: [Line]
    /// "genes" / "features" / "PCA components".
    public var spaceTitle: String
    /// The visible page: a chart of bars with their value and input columns.
    public var chart: BarChart
    /// |value| of a full bar: the top-ranked one, so pages share one scale.
    public var firstRank: Int
    public var total: Int
    /// The highlighted feature when it is not on this page: a row under the bars.
    public var pinned: Bar?
    public var isFocused: Bool
    public var theme: Theme

    static func block(isFocused: Bool, theme: Theme, footer: String? = nil) -> Block {
        theme.block(Panel.sample.title, isFocused: isFocused, footer: footer)
    }

    /// "row 12 of 0–699": rows are 0-based everywhere (as `--rows` and pandas count them).
    static func rowText(_ row: Int, of count: Int, theme: Theme) -> String {
        "row \(Format.count(row)) of 0\(theme.dash)\(Format.count(count - 1))"
    }

    /// The header lines that fit: id and row, label, z (= Σ_f C when they agree as shown),
    /// the reconstruction error. Fewer on short panels.
    static func headerLines(_ h: SampleHeader, width: Int, height: Int, theme: Theme) -> [Line] {
        let rowText = rowText(h.row, of: h.sampleCount, theme: theme)
        let id = NameFit.cut(h.id, to: max(1, width - rowText.count - 1), ellipsis: theme.glyphs.ellipsis)
        var lines = [
            Line([
                Span(id, style: theme.accent),
                Span(String(repeating: " ", count: max(1, width - TextWidth.width(id) - rowText.count))),
                Span(rowText, style: theme.dim),
            ])
        ]
        var optional: [Line] = []
        if let label = h.label { optional.append(Line([Span("label  ", style: theme.label), Span(label, style: theme.title)])) }
        let z = h.embedding.map { Format.number($0) }.joined(separator: "  ")
        let sums = h.sums.map { Format.number($0) }.joined(separator: "  ")
        // The contributions are exact, so Σ_f C shows the same digits as z (with PCA, up to
        // sklearn's tiny pca.mean_ term); say so in one line when it does.
        let zLine =
            sums == z
            ? Line([Span("z = \(theme.sigma)_\(h.sumIndex) C  ", style: theme.label), Span(z)])
            : Line([Span("z      ", style: theme.label), Span(z)])
        let sumLine: Line? = sums == z ? nil : Line([Span("\(theme.sigma)_\(h.sumIndex) C  ", style: theme.label), Span(sums)])
        let noteLine = h.note.map { Line($0, style: theme.dim) }
        let errorLine = Line([
            Span("error  ", style: theme.label), Span(Format.scientific(h.reconstructionError)),
            Span("  |z \(theme.minus) J\(theme.dot)u|", style: theme.dim),
        ])
        // Priority when space is short: z, the columns' note, sums (when they differ from z,
        // the note says why), label, error.
        let budget = max(1, height - 1 - 4)  // keep room for the heading and a few bars
        var chosen: [Int: Line] = [2: zLine]
        if let noteLine, chosen.count < budget { chosen[5] = noteLine }
        if noteLine != nil, let sumLine, chosen.count < budget { chosen[3] = sumLine }
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
        let last = min(total, firstRank + chart.bars.count)
        let footer = total > 0 ? "\(firstRank + 1)\(theme.dash)\(last) of \(Format.count(total)) \(spaceTitle)" : nil
        let block = Self.block(isFocused: isFocused, theme: theme, footer: footer)
        block.render(in: area, buffer: &buffer)
        let inner = block.inner(area)
        guard !inner.isEmpty else { return }
        let ellipsis = theme.glyphs.ellipsis
        let barArea = Self.barArea(in: area, headerCount: header.count, pinned: pinned != nil)
        for (i, line) in header.enumerated() where i < inner.height {
            line.render(in: inner.row(i), buffer: &buffer, alignment: .left, ellipsis: ellipsis)
        }
        if header.count < inner.height {
            let row = inner.row(header.count)
            let titlesStart = chart.columnTitles(in: row, buffer: &buffer, style: theme.label)
            let room = max(0, titlesStart - 1 - row.x)
            // The view is the value column's title ("L2", "share", "C z1").
            let heading = Line([Span("Contributions", style: theme.title), Span(" \(theme.bullet) \(spaceTitle)", style: theme.label)])
                .droppingTrailingSpans(toFit: room)
            heading.render(in: Rect(x: row.x, y: row.y, width: room, height: 1), buffer: &buffer, alignment: .left, ellipsis: ellipsis)
        }
        chart.render(in: barArea, buffer: &buffer)
        if let pinned, barArea.bottom < inner.bottom {
            var row = chart
            row.bars = [pinned]
            row.sizingBars = chart.bars
            row.highlighted = 0
            row.offset = 0
            row.render(in: Rect(x: inner.x, y: barArea.bottom, width: inner.width, height: 1), buffer: &buffer)
        }
    }
}

extension SamplePanel {
    /// Builds the panel for one page of a sample's ranked contributions, laid out for `area`.
    /// - Parameters:
    ///   - table: the sample's m × columns contributions in the shown space.
    ///   - ranking: every column, most important first, for `view`.
    ///   - names: column names; `inputs`: the inputs beside each contribution.
    /// - Returns: the panel, the columns on its page, and the page's bar rows.
    public static func build(
        header: SampleHeader, table: ContributionTable, ranking: [Int], names: [String],
        inputs: InputColumns, view: SampleView, space: FeatureSpace, spaceTitle: String,
        offset: Int, highlighted: Int?, axisNames: [String],
        isFocused: Bool, theme: Theme, area: Rect
    ) -> (panel: SamplePanel, shown: [Int], bars: Rect) {
        let inner = Block().inner(area)
        let headerLines = headerLines(header, width: inner.width, height: inner.height, theme: theme)
        let highlighted = space == .components ? nil : highlighted
        // A pinned line takes a row when the highlight is off the page.
        var barRows = barArea(in: area, headerCount: headerLines.count, pinned: false)
        let highlightRank = highlighted.flatMap { ranking.firstIndex(of: $0) }
        if let rank = highlightRank, !(offset..<(offset + barRows.height)).contains(rank) {
            barRows = barArea(in: area, headerCount: headerLines.count, pinned: true)
        }
        let scores = table.scores(view.contributionView)
        let start = min(max(0, offset), max(0, ranking.count - 1))
        let shown = Array(ranking.dropFirst(start).prefix(barRows.height))
        func bar(_ c: Int, label: String) -> Bar {
            Bar(
                label, scores[c], valueText: RankedBarsPanel.valueText(scores[c], view: view),
                columns: inputs.values.map { inputs.areCounts ? Format.count(Int($0[c])) : Format.number($0[c]) })
        }
        let bars = shown.map { bar($0, label: names[$0]) }
        let maxValue = ranking.first.map { abs(scores[$0]) } ?? 0
        var highlightedRow: Int? = nil
        var pinned: Bar? = nil
        if let h = highlighted, h < scores.count {
            if let row = shown.firstIndex(of: h) {
                highlightedRow = row
            } else if let rank = highlightRank {
                pinned = bar(h, label: "\(theme.pin) #\(rank + 1) \(names[h])")
            }
        }
        // Inputs beyond x − μ go before the bars get short.
        let chart = BarChart(
            bars, mode: view.isSigned ? .diverging : .magnitude, maxValue: maxValue > 0 ? maxValue : nil,
            labelWidth: RankedBarsPanel.labelWidth(names: bars.map(\.label) + (pinned.map { [$0.label] } ?? []), width: inner.width),
            glyphs: theme.glyphs, barStyle: view.isSigned ? theme.positiveBar : theme.magnitudeBar,
            negativeStyle: theme.negativeBar, labelStyle: Style(), valueStyle: theme.label,
            highlighted: highlightedRow, highlightStyle: theme.highlight,
            titles: [RankedBarsPanel.valueTitle(view, axisNames: axisNames)] + inputs.titles,
            minimumBarWidth: max(8, inner.width / 4))
        var withPinned = chart
        withPinned.sizingBars = pinned.map { [$0] } ?? []
        let panel = SamplePanel(
            header: headerLines, spaceTitle: spaceTitle, chart: withPinned,
            firstRank: start, total: ranking.count, pinned: pinned, isFocused: isFocused, theme: theme)
        return (panel, shown, barRows)
    }
}
