import Foundation
import GlassBoxCore
import GlassBoxTUI

/// The data behind the analysis views: what a selection covers and its sums (the store's
/// per-group sums for a label, a `SelectionComputation` for a box or lasso), the marked sample's
/// explanation, and the verification report — each cached so a frame at 1,000,000 samples
/// only formats numbers. Reading never starts work: the selection's computation is started
/// and stopped by the effects `computeSelection` and `cancelSelection` (`EffectRunner`).
final class AnalysisViews {
    let session: ExplorerSession
    let background: BackgroundComputation?
    let theme: Theme
    let tolerance: Double
    let precision: String

    private var membersCache: [(selection: Selection, rows: [Int32])] = []
    /// Computations of selections' sums: the shown one and what it is set against.
    private var jobs: [(selection: Selection, computation: SelectionComputation)] = []
    private var makeupCache: (selection: Selection, makeup: [(label: String, count: Int)])?
    private var marked: (row: Int, explanation: SampleExplanation)?
    private var reportCache: (version: Int, computed: DispatchTime, report: VerificationReport)?

    init(
        session: ExplorerSession, background: BackgroundComputation?, theme: Theme, tolerance: Double,
        precision: String = "single (float32, as upstream)"
    ) {
        self.session = session
        self.background = background
        self.theme = theme
        self.tolerance = tolerance
        self.precision = precision
    }

    var store: ContributionStore? { background?.store }

    // MARK: Selection

    /// The selected rows, ascending (found once per selection: a box or lasso scans every
    /// sample; the last few are kept, for "A vs B" and recalling).
    func members(_ selection: Selection) -> [Int32] {
        if let c = membersCache.first(where: { $0.selection == selection }) { return c.rows }
        let rows: [Int32]
        switch selection {
        case .group(let g):
            rows = session.groups?.members[g] ?? []
        case .box(let b):
            let axis = session.axisData(b.axes)
            rows = BoxMembers.rows(xs: axis.xs, ys: axis.ys, xMin: b.xMin, xMax: b.xMax, yMin: b.yMin, yMax: b.yMax)
        case .lasso(let l):
            let axis = session.axisData(l.axes)
            rows = LassoMembers.rows(xs: axis.xs, ys: axis.ys, lasso: l)
        }
        membersCache.insert((selection, rows), at: 0)
        if membersCache.count > 4 { membersCache.removeLast() }
        return rows
    }

    /// Counts per label among the selected samples, largest first (empty without labels).
    func makeup(_ selection: Selection) -> [(label: String, count: Int)] {
        if let c = makeupCache, c.selection == selection { return c.makeup }
        var result: [(label: String, count: Int)] = []
        if let groups = session.groups {
            var counts = [Int](repeating: 0, count: groups.labels.categories.count)
            groups.labels.codes.withUnsafeBufferPointer { codes in
                for row in members(selection) { counts[Int(codes[Int(row)])] += 1 }
            }
            result = counts.indices.filter { counts[$0] > 0 }
                .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
                .map { (groups.labels.categories[$0], counts[$0]) }
        }
        makeupCache = (selection, result)
        return result
    }

    /// Whether the background pass keeps this selection's sums (a label's), so nothing needs
    /// computing for it.
    private func sumsKept(_ selection: Selection) -> Bool {
        if case .group = selection { return store?.keepsGroups == true }
        return false
    }

    /// Starts computing the selection's sums unless the store keeps them or they are being
    /// computed already; the shown selection and what it is set against run at once, older
    /// computations stop.
    func start(_ selection: Selection) {
        if jobs.contains(where: { $0.selection == selection }) { return }
        let rows = members(selection)
        guard !sumsKept(selection), !rows.isEmpty else { return }
        while jobs.count >= 2 { jobs.removeFirst().computation.cancel() }
        jobs.append((selection, SelectionComputation(session: session, rows: rows)))
    }

    /// Stops every selection's computation.
    func cancel() {
        for job in jobs { job.computation.cancel() }
        jobs = []
    }

    /// How far the selections' computations have got; the main loop redraws when it changes —
    /// including the last step, which may finish between two frames.
    var progress: Int { jobs.isEmpty ? -1 : jobs.reduce(0) { $0 + $1.computation.snapshot.sums.count } }

    /// Whether a selection's numbers are still growing (the main loop redraws then).
    var isComputing: Bool { jobs.contains { !$0.computation.isComplete } }

    /// "group B cell", "box z1 0.1…0.5 × z2 −1…2", "lasso in z1 … × z2 …"; a kept selection by its name.
    func name(of selection: Selection, kept: [KeptSelection] = []) -> String {
        if let k = kept.first(where: { $0.selection == selection }) { return "'\(k.name)'" }
        let dots = theme.unicode ? "…" : ".."
        func range(_ axis: Int, _ lo: Double, _ hi: Double) -> String {
            "z\(axis + 1) \(Format.short(lo, digits: 2))\(dots)\(Format.short(hi, digits: 2))"
        }
        switch selection {
        case .group(let g):
            return "group \(session.groups?.labels.categories[g] ?? "?")"
        case .box(let b):
            return "box \(range(b.axes.x, b.xMin, b.xMax)) \(theme.times) \(range(b.axes.y, b.yMin, b.yMax))"
        case .lasso(let l):
            return "lasso on z\(l.axes.x + 1) \(theme.times) z\(l.axes.y + 1), \(l.vertices.count) corners"
        }
    }

    /// A selection's sums so far in a space (features, or sets — selections don't sum PCA
    /// components), and whether they cover all its samples.
    func sums(_ selection: Selection, space: FeatureSpace = .features) -> (sums: FeatureSums?, complete: Bool) {
        let rows = members(selection)
        let sets = session.available(space) == .sets
        if sumsKept(selection), case .group(let g) = selection {
            let sums = sets ? store?.withSetSummaries { $0.groups?[g] } ?? nil : store?.withSummaries { $0.groups?[g] }
            return (sums, sums?.count == rows.count)
        }
        guard let job = jobs.first(where: { $0.selection == selection }) else { return (nil, false) }
        let snap = job.computation.snapshot
        let sums = sets ? snap.setSums : snap.sums
        return (sums, sums?.count == rows.count)
    }

    /// The sums over every computed sample in a space.
    private func allSums(space: FeatureSpace) -> FeatureSums? {
        session.available(space) == .sets ? store?.withSetSummaries { $0.all } : store?.withSummaries { $0.all }
    }

    /// The selection's scores, what they are set against, and what they cover.
    func selectionData(
        _ selection: Selection, versus: Versus?, kept: [KeptSelection] = [], space: FeatureSpace = .features
    )
        -> (coverage: SelectionPanel.Coverage, scores: AggregateScores?, contrast: AggregateContrast?)
    {
        let rows = members(selection)
        var coverage = SelectionPanel.Coverage(name: name(of: selection, kept: kept), selected: rows.count, covered: 0)
        coverage.makeup = makeup(selection)
        let own = sums(selection, space: space)
        coverage.covered = own.sums?.count ?? 0
        if store == nil && !sumsKept(selection) && own.sums == nil { coverage.versusNote = "needs the background pass" }
        guard let sums = own.sums, sums.count > 0 else { return (coverage, nil, nil) }
        let scores = AggregateScores(sums)
        switch versus {
        case nil:
            return (coverage, scores, nil)
        case .rest:
            coverage.versusName = "the rest"
            var all: FeatureSums?
            var passDone = false
            if let store {
                passDone = store.progress.phase == .finished
                all = allSums(space: space)
                if !passDone {
                    let p = store.progress
                    coverage.versusNote = "once every sample is computed (\(Format.count(p.done)) of \(Format.count(p.total)))"
                }
            } else {
                coverage.versusNote = "needs the background pass"
            }
            // Store sums and the global sums cover the same computed samples: the rest is
            // exact at any time for a label; a drawn selection needs both complete.
            let exact = sumsKept(selection) || (passDone && own.complete)
            if passDone && !own.complete { coverage.versusNote = "once the selection is computed" }
            guard exact, let all else { return (coverage, scores, nil) }
            guard let rest = AggregateScores.rest(all: all, minus: sums) else {
                coverage.versusNote = "every sample is selected"
                return (coverage, scores, nil)
            }
            coverage.versusCount = rest.count
            coverage.versusNote = nil
            return (coverage, scores, AggregateContrast(selection: scores, rest: rest))
        case .kept(let i):
            guard i < kept.count else { return (coverage, scores, nil) }
            let other = kept[i].selection
            coverage.versusName = "'\(kept[i].name)'"
            let theirs = self.sums(other, space: space)
            guard let b = theirs.sums, b.count > 0, theirs.complete, own.complete else {
                let total = members(other).count
                coverage.versusNote = "computing (\(Format.count(theirs.sums?.count ?? 0)) of \(Format.count(total)) samples)"
                return (coverage, scores, nil)
            }
            coverage.versusCount = b.count
            return (coverage, scores, AggregateContrast(selection: scores, rest: AggregateScores(b)))
        }
    }

    /// Σ z over a selection's samples, per dimension (cached for the last few).
    private var embeddingSums: [(selection: Selection?, sums: [Double])] = []

    private func embeddingSum(_ selection: Selection?) -> [Double] {
        if let c = embeddingSums.first(where: { $0.selection == selection }) { return c.sums }
        let m = session.outputCount
        var sums = [Double](repeating: 0, count: m)
        session.embedding.withUnsafeBufferPointer { z in
            if let selection {
                for row in members(selection) { for j in 0..<m { sums[j] += Double(z[Int(row) * m + j]) } }
            } else {
                for i in 0..<session.sampleCount { for j in 0..<m { sums[j] += Double(z[i * m + j]) } }
            }
        }
        embeddingSums.insert((selection, sums), at: 0)
        if embeddingSums.count > 4 { embeddingSums.removeLast() }
        return sums
    }

    /// The selection's mean z — or, set against the rest or a kept selection, the difference
    /// of the two means: what its waterfall's mean contributions add up to.
    func meanEmbedding(_ selection: Selection, versus: Versus?, kept: [KeptSelection]) -> [Double]? {
        let count = members(selection).count
        guard count > 0 else { return nil }
        let mean = embeddingSum(selection).map { $0 / Double(count) }
        switch versus {
        case nil:
            return mean
        case .rest:
            let restCount = session.sampleCount - count
            guard restCount > 0 else { return nil }
            let rest = zip(embeddingSum(nil), embeddingSum(selection)).map { ($0 - $1) / Double(restCount) }
            return zip(mean, rest).map { $0 - $1 }
        case .kept(let i):
            guard i < kept.count else { return nil }
            let other = kept[i].selection, otherCount = members(other).count
            guard otherCount > 0 else { return nil }
            return zip(mean, embeddingSum(other)).map { $0 - $1 / Double(otherCount) }
        }
    }

    // MARK: Compare

    /// The marked sample's explanation (one engine block, computed once per mark).
    func explanation(ofMark row: Int) -> SampleExplanation {
        if let m = marked, m.row == row { return m.explanation }
        let outputs: EngineOutputs = session.componentCount == nil ? [.contributions] : [.contributions, .pcaContributions]
        let e = SampleExplanation(chunk: session.compute(rows: row..<(row + 1), outputs: outputs), index: 0)
        marked = (row, e)
        return e
    }

    // MARK: Verification

    func report() -> VerificationReport {
        let version = store?.version ?? 0
        let now = DispatchTime.now()
        if let c = reportCache, c.version == version || now.uptimeNanoseconds - c.computed.uptimeNanoseconds < 250_000_000 {
            return c.report
        }
        let r: VerificationReport
        if let store {
            r = store.withSummaries { s in
                s.reconstructionError.withUnsafeBufferPointer {
                    VerificationReport(
                        result: s.verification.result, errors: $0, done: s.doneCount, tolerance: tolerance, precision: precision)
                }
            }
        } else {
            r = [Float]().withUnsafeBufferPointer {
                VerificationReport(
                    result: VerificationAccumulator().result, errors: $0, done: 0, tolerance: tolerance, precision: precision)
            }
        }
        reportCache = (version, now, r)
        return r
    }

    /// The samples a popup lists, in order, for the reducer's moves and Enter.
    func listedRows(_ overlay: AnalysisOverlay?) -> [Int] {
        guard case .report = overlay else { return [] }
        return report().listedRows
    }

    // MARK: Groups

    /// The groups overview's rows: each label's top features, or top sets in the sets space.
    func groupRows(space: FeatureSpace = .features) -> [GroupsOverview.Row] {
        guard let groups = session.groups else { return [] }
        if session.available(space) == .sets {
            let sums = store?.withSetSummaries { $0.groups } ?? nil
            return GroupsOverview.rows(groups: groups, sums: sums, names: session.columnNames(.sets))
        }
        let sums = store?.withSummaries { $0.groups }
        return GroupsOverview.rows(groups: groups, sums: sums, names: session.featureNames)
    }
}
