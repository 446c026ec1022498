import GlassBoxCore
import GlassBoxTUI

/// "Why is B here and not there?": the contributions to the displacement z_B − z_A, i.e.
/// C_B − C_A, ranked by their L2 over dimensions (or signed per dimension with `v`). Their sums
/// equal the displacement exactly; the header shows both and the largest difference.
public enum ComparePanel {
    public static let headerCount = 3

    public static func build(contrast: Contrast, idA: String, idB: String, view: SampleView, names: [String],
                             axisNames: [String], offset: Int, pageSize: Int, isFocused: Bool,
                             theme: Theme) -> (panel: RankedBarsPanel, shown: [Int]) {
        let table = contrast.table
        let dz = contrast.displacement, sums = contrast.contributionSums
        let arrow = theme.unicode ? "→" : "->"
        let delta = theme.unicode ? "Δ" : "d"
        let rowA = contrast.a.row, rowB = contrast.b.row
        var header = [Line([Span("A ", style: theme.label), Span(idA, style: theme.accent), Span(" (row \(Format.count(rowA + 1))) \(arrow) ", style: theme.label),
                            Span("B ", style: theme.label), Span(idB, style: theme.accent), Span(" (row \(Format.count(rowB + 1)))", style: theme.label)])]
        header.append(Line([Span("\(delta)z = z_B \(theme.unicode ? "−" : "-") z_A  ", style: theme.label),
                            Span(dz.map { Format.short($0) }.joined(separator: "  "))]))
        // The exactness check, on screen: Σ_f ΔC against Δz.
        let error = contrast.sumError
        let scale = max(1e-12, dz.map(abs).max() ?? 0, contrast.a.embedding.map(abs).max() ?? 0)
        let ok = error <= 1e-4 * scale + 1e-6
        header.append(Line([Span("\(theme.sigma)_f \(delta)C  ", style: theme.label),
                            Span(sums.map { Format.short($0) }.joined(separator: "  ")),
                            Span("  \(ok ? theme.check : "!") max|\(theme.sigma)\(theme.unicode ? "−" : "-")\(delta)z| \(Format.scientific(error))",
                                 style: ok ? theme.good : theme.error)]))
        let scores: [Double]
        switch view {
        case .l2: scores = table.l2
        case .share: scores = table.scores(.normedL2)
        case .dimension(let j): scores = table.scores(.component(j))
        }
        let ranking = table.ranking(view.contributionView)
        let page = RankedBarsPanel.page(scores: scores, ranking: ranking, names: names, signed: view.isSigned,
                                        percent: view == .share, offset: offset, pageSize: pageSize)
        let viewTitle = RankedBarsPanel.viewTitle(view, axisNames: axisNames)
        let heading = Line([Span("C_B \(theme.unicode ? "−" : "-") C_A", style: theme.title), Span(" \(theme.bullet) \(viewTitle) \(theme.bullet) features", style: theme.label)])
        let panel = RankedBarsPanel(title: "Compare", header: header, heading: heading, bars: page.bars,
                                    mode: view.isSigned ? .diverging : .magnitude, maxValue: page.maxValue,
                                    firstRank: page.first, total: ranking.count, isFocused: isFocused, theme: theme)
        return (panel, page.shown)
    }
}
