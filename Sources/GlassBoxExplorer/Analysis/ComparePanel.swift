import GlassBoxCore
import GlassBoxTUI

/// Two samples' contributions set against each other in one space: C_B − C_A, whose columns
/// sum to the displacement z_B − z_A (to Δ(J·u) over PCA components, which is Δz up to the
/// reconstruction errors).
public struct SpaceContrast: Sendable {
    public var a: SampleExplanation
    public var b: SampleExplanation
    /// C_B − C_A, m × columns of the space.
    public var table: ContributionTable

    public init(from a: SampleExplanation, to b: SampleExplanation, space: FeatureSpace) {
        self.a = a
        self.b = b
        if space == .components, let ta = a.pcaTable, let tb = b.pcaTable {
            table = ContributionTable(values: zip(tb.values, ta.values).map { $0 - $1 }, outputCount: a.outputCount)
        } else {
            table = Contrast(from: a, to: b).table
        }
    }

    /// In any space of `session`: the sets' C_B − C_A is the set sums of the features' (one
    /// sparse product, linear), so it adds up to Δz exactly when the sets partition the features.
    public init(from a: SampleExplanation, to b: SampleExplanation, space: FeatureSpace, session: ExplorerSession) {
        self.init(from: a, to: b, space: session.available(space) == .components ? .components : .features)
        if session.available(space) == .sets { table = session.setTable(table) }
    }

    /// z_B − z_A per dimension.
    public var displacement: [Double] { zip(b.embedding, a.embedding).map { $0 - $1 } }

    /// Σ over columns of (C_B − C_A)[j, :] per dimension — the on-screen check against `displacement`.
    public var sums: [Double] { table.sums }

    /// The largest |Σ ΔC − Δz| over dimensions.
    public var sumError: Double { zip(sums, displacement).map { abs($0 - $1) }.max() ?? 0 }
}

/// "Why is B here and not there?": the contributions to the displacement z_B − z_A, i.e.
/// C_B − C_A, ranked by their L2 over dimensions (or signed per dimension with `v`). Their sums
/// equal the displacement exactly; the header names A and B, shows both and the largest
/// difference.
public enum ComparePanel {
    static func header(_ contrast: SpaceContrast, idA: String, idB: String, width: Int, theme: Theme) -> [Line] {
        func who(_ letter: String, _ id: String, _ row: Int) -> Line {
            let rowText = "row \(Format.count(row))"
            let fitted = NameFit.cut(id, to: max(4, width - 3 - rowText.count - 2), ellipsis: theme.glyphs.ellipsis)
            return Line([
                Span("\(letter)  ", style: theme.label), Span(fitted, style: theme.accent),
                Span(String(repeating: " ", count: max(2, width - 3 - TextWidth.width(fitted) - rowText.count))),
                Span(rowText, style: theme.dim),
            ])
        }
        let dz = contrast.displacement.map { Format.number($0, signed: true) }
        let sums = contrast.sums.map { Format.number($0, signed: true) }
        var lines = [
            who("A", idA, contrast.a.row), who("B", idB, contrast.b.row),
            Line([Span("\(theme.delta)z  ", style: theme.label), Span(dz.joined(separator: "  "))]),
        ]
        // The exactness check, on screen: Σ ΔC against Δz.
        let error = contrast.sumError
        let scale = max(1e-12, contrast.displacement.map(abs).max() ?? 0, contrast.a.embedding.map(abs).max() ?? 0)
        let ok = error <= 1e-4 * scale + 1e-6
        let check = Span("  \(ok ? theme.check : "!") error \(Format.scientific(error))", style: ok ? theme.good : theme.error)
        if sums == dz {
            lines.append(Line([Span("\(theme.sigma) \(theme.delta)C = \(theme.delta)z", style: theme.label), check]))
        } else {
            lines.append(Line([Span("\(theme.sigma) \(theme.delta)C  ", style: theme.label), Span(sums.joined(separator: "  ")), check]))
        }
        return lines
    }

    public static func build(
        contrast: SpaceContrast, idA: String, idB: String, view: SampleView, space: FeatureSpace, names: [String],
        axisNames: [String], offset: Int, isFocused: Bool, theme: Theme,
        area: Rect
    ) -> (panel: RankedBarsPanel, shown: [Int], bars: Rect) {
        let table = contrast.table
        let header = header(contrast, idA: idA, idB: idB, width: Block().inner(area).width, theme: theme)
        let bars = RankedBarsPanel.layout(headerCount: header.count, in: area).bars
        let scores = table.scores(view.contributionView)
        let ranking = table.ranking(view.contributionView)
        let page = RankedBarsPanel.page(
            scores: scores, ranking: ranking, names: names, signed: view.isSigned, view: view,
            offset: offset, pageSize: bars.height)
        let viewTitle = RankedBarsPanel.viewTitle(view, axisNames: axisNames)
        let heading = Line([
            Span("C_B \(theme.minus) C_A", style: theme.title), Span(" \(theme.bullet) \(viewTitle)", style: theme.label),
            Span(" \(theme.bullet) \(space.title)", style: theme.label),
        ])
        let panel = RankedBarsPanel(
            title: "Compare", header: header, heading: heading, bars: page.bars,
            mode: view.isSigned ? .diverging : .magnitude, maxValue: page.maxValue,
            firstRank: page.first, total: ranking.count, isFocused: isFocused, theme: theme,
            titles: ["\(theme.delta)\(RankedBarsPanel.valueTitle(view, axisNames: axisNames))"], noun: space.title)
        return (panel, page.shown, bars)
    }
}
