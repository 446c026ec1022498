import GlassBoxCore
import GlassBoxTUI

/// The selection's panel: its aggregated top features (mean L2, mean share, mean signed per
/// dimension — `v` cycles, as in the sample panel), or with `d` the features whose mean
/// contribution differs most between the selection and every other sample. The header says
/// exactly which samples the means cover.
public enum SelectionPanel {
    public struct Coverage: Equatable, Sendable {
        /// "group B cell" / "box z1 0.1…0.5 × z2 −1…2".
        public var name: String
        public var selected: Int
        /// Selected samples the means cover so far.
        public var covered: Int
        /// Samples the rest covers (nil: not available yet, with `restNote` saying why).
        public var rest: Int?
        public var restNote: String?

        public init(name: String, selected: Int, covered: Int, rest: Int? = nil, restNote: String? = nil) {
            self.name = name
            self.selected = selected
            self.covered = covered
            self.rest = rest
            self.restNote = restNote
        }
    }

    public static func build(coverage c: Coverage, scores: AggregateScores?, contrast: AggregateContrast?, versusRest: Bool,
                             view: SampleView, names: [String], axisNames: [String], offset: Int, pageSize: Int,
                             isFocused: Bool, theme: Theme) -> (panel: RankedBarsPanel, shown: [Int]) {
        var header = [Line([Span(c.name, style: theme.accent), Span("  \(Format.count(c.selected)) samples", style: theme.label)])]
        let coverage = c.covered == c.selected
            ? "mean over all \(Format.count(c.selected)) selected"
            : "mean over \(Format.count(c.covered)) of \(Format.count(c.selected)) selected, computed so far"
        header.append(Line(coverage, style: c.covered == c.selected ? theme.good : theme.label))
        if versusRest {
            let rest = c.rest.map { "vs the rest: \(Format.count($0)) other samples" } ?? "vs the rest: \(c.restNote ?? "not available yet")"
            header.append(Line(rest, style: c.rest == nil ? theme.dim : theme.label))
        }
        let viewTitle = RankedBarsPanel.viewTitle(view, axisNames: axisNames)
        var scoresShown: [Double] = [], ranking: [Int] = [], signed = view.isSigned
        let heading: Line
        if versusRest {
            heading = Line([Span("Selection vs rest", style: theme.title), Span(" \(theme.bullet) \(differenceTitle(view, theme)) \(theme.bullet) d: top features", style: theme.label)])
            if let contrast {
                scoresShown = contrast.scores(view)
                ranking = contrast.ranking(view)
                signed = contrast.isSigned(view)
            }
        } else {
            heading = Line([Span("Top features", style: theme.title), Span(" \(theme.bullet) mean \(viewTitle) \(theme.bullet) d: vs rest", style: theme.label)])
            if let scores, scores.count > 0 {
                scoresShown = scores.scores(view)
                ranking = scores.ranking(view)
            }
        }
        let page = RankedBarsPanel.page(scores: scoresShown, ranking: ranking, names: names, signed: signed,
                                        percent: view == .share, offset: offset, pageSize: pageSize)
        let panel = RankedBarsPanel(title: "Selection", header: header, heading: heading, bars: page.bars,
                                    mode: signed ? .diverging : .magnitude, maxValue: page.maxValue, firstRank: page.first,
                                    total: ranking.count, isFocused: isFocused, theme: theme,
                                    emptyNote: versusRest && contrast == nil ? "waiting for contributions on both sides" : "waiting for contributions")
        return (panel, page.shown)
    }

    static func differenceTitle(_ view: SampleView, _ theme: Theme) -> String {
        let delta = theme.unicode ? "Δ" : "d"
        switch view {
        case .l2: return "‖\(delta) mean C‖"
        case .share: return "\(delta) mean share"
        case .dimension(let j): return "\(delta) mean C z\(j + 1)"
        }
    }

    /// Header lines the panel will have (for the page size before building).
    static func headerCount(versusRest: Bool) -> Int { versusRest ? 3 : 2 }
}
