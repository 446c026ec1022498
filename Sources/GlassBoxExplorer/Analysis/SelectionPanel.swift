import GlassBoxCore
import GlassBoxTUI

/// The selection's panel: its aggregated top features (mean L2, mean share, mean signed per
/// dimension — `v` cycles, as in the sample panel), or with `d` the features whose mean
/// contribution differs most between the selection and every other sample (or, from the kept
/// list, another kept selection). The header says what was selected — its size and its label
/// make-up — and exactly which samples the means cover.
public enum SelectionPanel {
    public struct Coverage: Equatable, Sendable {
        /// "group B cell", "box z1 0.1…0.5 × z2 −1…2", "'my cells'".
        public var name: String
        public var selected: Int
        /// Selected samples the means cover so far.
        public var covered: Int
        /// Counts per label, largest first (empty without labels).
        public var makeup: [(label: String, count: Int)] = []
        /// What the selection is set against ("the rest", "'box 1'"), its sample count once
        /// known, or why not yet.
        public var versusName: String?
        public var versusCount: Int?
        public var versusNote: String?

        public init(
            name: String, selected: Int, covered: Int, makeup: [(label: String, count: Int)] = [],
            versusName: String? = nil, versusCount: Int? = nil, versusNote: String? = nil
        ) {
            self.name = name
            self.selected = selected
            self.covered = covered
            self.makeup = makeup
            self.versusName = versusName
            self.versusCount = versusCount
            self.versusNote = versusNote
        }

        public static func == (a: Coverage, b: Coverage) -> Bool {
            a.name == b.name && a.selected == b.selected && a.covered == b.covered && a.versusName == b.versusName
                && a.versusCount == b.versusCount && a.versusNote == b.versusNote
                && a.makeup.elementsEqual(b.makeup) { $0 == $1 }
        }
    }

    /// What was selected, its make-up, what the means cover and what they are set against.
    static func header(_ c: Coverage, versus: Versus?, width: Int, theme: Theme) -> [Line] {
        let size = "  \(Format.count(c.selected)) samples"
        var lines = [
            Line([
                Span(NameFit.cut(c.name, to: max(8, width - size.count), ellipsis: theme.glyphs.ellipsis), style: theme.accent),
                Span(size, style: theme.label),
            ])
        ]
        if !c.makeup.isEmpty {
            lines.append(makeupLine(c.makeup, total: c.selected, width: width, theme: theme))
        }
        let coverage =
            c.covered == c.selected
            ? "mean over all \(Format.count(c.selected)) selected"
            : "mean over \(Format.count(c.covered)) of \(Format.count(c.selected)) selected, computed so far"
        lines.append(Line(coverage, style: c.covered == c.selected ? theme.good : theme.label))
        if versus != nil {
            let what = c.versusName ?? "the rest"
            let text =
                c.versusCount.map { "vs \(what): \(Format.count($0)) samples" } ?? "vs \(what): \(c.versusNote ?? "not available yet")"
            lines.append(Line(text, style: c.versusCount == nil ? theme.dim : theme.label))
        }
        return lines
    }

    /// "CD14+ Monocyte 100 · B cell 20 · +3 more": the labels in the selection, largest first,
    /// as many as fit.
    static func makeupLine(_ makeup: [(label: String, count: Int)], total: Int, width: Int, theme: Theme) -> Line {
        if makeup.count == 1 { return Line([Span("all ", style: theme.label), Span(makeup[0].label)]) }
        var spans: [Span] = []
        var used = 0
        for (i, entry) in makeup.enumerated() {
            let rest = makeup.count - i - 1
            let more = rest > 0 ? " \(theme.bullet) +\(rest) more" : ""
            let piece = (i > 0 ? " \(theme.bullet) " : "") + entry.label + " "
            let count = Format.count(entry.count)
            let w = TextWidth.width(piece) + count.count
            if used + w + TextWidth.width(more) > width && i > 0 {
                spans.append(Span(" \(theme.bullet) +\(makeup.count - i) more", style: theme.dim))
                break
            }
            spans += [Span(piece), Span(count, style: theme.label)]
            used += w
        }
        return Line(spans)
    }

    public static func build(
        coverage c: Coverage, scores: AggregateScores?, contrast: AggregateContrast?, versus: Versus?,
        view: SampleView, space: FeatureSpace = .features, names: [String], axisNames: [String], offset: Int,
        isFocused: Bool, theme: Theme, area: Rect
    ) -> (panel: RankedBarsPanel, shown: [Int], bars: Rect) {
        let header = header(c, versus: versus, width: Block().inner(area).width, theme: theme)
        let pageSize = RankedBarsPanel.layout(headerCount: header.count, in: area).bars
        let viewTitle = RankedBarsPanel.viewTitle(view, axisNames: axisNames)
        var scoresShown: [Double] = [], ranking: [Int] = [], signed = view.isSigned
        let heading: Line
        if versus != nil {
            heading = Line([
                Span(versus == .rest ? "vs rest" : "vs \(c.versusName ?? "B")", style: theme.title),
                Span(" \(theme.bullet) \(differenceTitle(view, theme))", style: theme.label),
            ])
            if let contrast {
                scoresShown = contrast.scores(view)
                ranking = contrast.ranking(view)
                signed = contrast.isSigned(view)
            }
        } else {
            heading = Line([Span("Top \(space.title)", style: theme.title), Span(" \(theme.bullet) mean \(viewTitle)", style: theme.label)])
            if let scores, scores.count > 0 {
                scoresShown = scores.scores(view)
                ranking = scores.ranking(view)
            }
        }
        let page = RankedBarsPanel.page(
            scores: scoresShown, ranking: ranking, names: names, signed: signed, view: view,
            offset: offset, pageSize: pageSize.height)
        let title = versus == nil ? "mean \(RankedBarsPanel.valueTitle(view, axisNames: axisNames))" : "\(theme.delta) mean"
        let panel = RankedBarsPanel(
            title: "Selection", header: header, heading: heading, bars: page.bars,
            mode: signed ? .diverging : .magnitude, maxValue: page.maxValue, firstRank: page.first,
            total: ranking.count, isFocused: isFocused, theme: theme,
            emptyNote: versus != nil && contrast == nil ? "waiting for contributions on both sides" : "waiting for contributions",
            titles: [title], noun: space.title)
        return (panel, page.shown, pageSize)
    }

    static func differenceTitle(_ view: SampleView, _ theme: Theme) -> String {
        switch view {
        case .l2: return "\(theme.norm)\(theme.delta) mean C\(theme.norm)"
        case .share: return "\(theme.delta) mean share"
        case .dimension(let j), .waterfall(let j): return "\(theme.delta) mean C z\(j + 1)"
        }
    }
}
