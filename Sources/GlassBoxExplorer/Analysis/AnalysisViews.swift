import Foundation
import GlassBoxCore
import GlassBoxTUI

/// The data behind the analysis views: what a selection covers and its sums (the store's
/// per-group sums for a label, a `SelectionComputation` for a box), the marked sample's
/// explanation, and the verification report — each cached so a frame at 1,000,000 samples
/// only formats numbers. Reading never starts work: the selection's computation is started
/// and stopped by the effects `computeSelection` and `cancelSelection` (`EffectRunner`).
final class AnalysisViews {
    let session: ExplorerSession
    let background: BackgroundComputation?
    let theme: Theme
    let tolerance: Double
    let precision: String

    private var membersCache: (selection: Selection, rows: [Int32])?
    private var job: (selection: Selection, computation: SelectionComputation)?
    private var marked: SampleExplanation?
    private var reportCache: (version: Int, computed: DispatchTime, report: VerificationReport)?

    init(session: ExplorerSession, background: BackgroundComputation?, theme: Theme, tolerance: Double,
         precision: String = "single (float32, as upstream)") {
        self.session = session
        self.background = background
        self.theme = theme
        self.tolerance = tolerance
        self.precision = precision
    }

    var store: ContributionStore? { background?.store }

    // MARK: Selection

    /// The selected rows, ascending (found once per selection: a box scans every sample).
    func members(_ selection: Selection) -> [Int32] {
        if let c = membersCache, c.selection == selection { return c.rows }
        let rows: [Int32]
        switch selection {
        case .group(let g):
            rows = session.groups?.members[g] ?? []
        case .box(let b):
            let axis = session.axisData(b.axes)
            rows = BoxMembers.rows(xs: axis.xs, ys: axis.ys, xMin: b.xMin, xMax: b.xMax, yMin: b.yMin, yMax: b.yMax)
        }
        membersCache = (selection, rows)
        return rows
    }

    /// Whether the background pass keeps this selection's sums (a label's), so nothing needs
    /// computing for it.
    private func sumsKept(_ selection: Selection) -> Bool {
        if case .group = selection { return store?.keepsGroups == true }
        return false
    }

    /// Starts computing the selection's sums unless the store keeps them or they are being
    /// computed already; stops the previous selection's computation.
    func start(_ selection: Selection) {
        if job?.selection == selection { return }
        cancel()
        let rows = members(selection)
        guard !sumsKept(selection), !rows.isEmpty else { return }
        job = (selection, SelectionComputation(session: session, rows: rows))
    }

    /// Stops the selection's computation.
    func cancel() {
        job?.computation.cancel()
        job = nil
    }

    /// The computation of `selection`'s sums, if one was started.
    private func computation(for selection: Selection) -> SelectionComputation? {
        job.flatMap { $0.selection == selection ? $0.computation : nil }
    }

    /// How far the selection's computation has got; the main loop redraws when it changes —
    /// including the last step, which may finish between two frames.
    var progress: Int { job?.computation.snapshot.sums.count ?? -1 }

    /// Whether a selection's numbers are still growing (the main loop redraws then).
    var isComputing: Bool {
        guard let job else { return false }
        return !job.computation.isComplete
    }

    func name(of selection: Selection) -> String {
        switch selection {
        case .group(let g):
            return "group \(session.groups?.labels.categories[g] ?? "?")"
        case .box(let b):
            let dots = theme.unicode ? "…" : ".."
            let x = "z\(b.axes.x + 1) \(Format.short(b.xMin))\(dots)\(Format.short(b.xMax))"
            let y = "z\(b.axes.y + 1) \(Format.short(b.yMin))\(dots)\(Format.short(b.yMax))"
            return "box \(x) \(theme.times) \(y)"
        }
    }

    /// The selection's scores, contrast with the rest, and what they cover.
    func selectionData(_ selection: Selection) -> (coverage: SelectionPanel.Coverage, scores: AggregateScores?, contrast: AggregateContrast?) {
        let rows = members(selection)
        let job = computation(for: selection)
        let kept = sumsKept(selection)
        var coverage = SelectionPanel.Coverage(name: name(of: selection), selected: rows.count, covered: 0)
        var sums: FeatureSums?
        var all: FeatureSums?
        var passDone = false
        if let store {
            let p = store.progress
            passDone = p.phase == .finished
            store.withSummaries { s in
                all = s.all
                if case .group(let g) = selection, kept { sums = s.groups?[g] }
            }
            if kept, sums != nil {
                // Store sums and the global sums cover the same computed samples: the rest is
                // exact at any time.
                coverage.covered = sums!.count
            }
            if !passDone { coverage.restNote = "computing (\(Format.count(p.done)) of \(Format.count(p.total)) samples)" }
        } else {
            coverage.restNote = "needs the background pass"
        }
        if let job {
            let snap = job.snapshot
            sums = snap.sums
            coverage.covered = snap.sums.count
            // A box's sums cover its own rows; the global sums must cover every row first.
            if !passDone, store != nil { coverage.restNote = "once every sample is computed (\(Format.count(store!.progress.done)) of \(Format.count(session.sampleCount)))" }
            if passDone, snap.sums.count < rows.count { coverage.restNote = "once the selection is computed" }
        }
        guard let sums, sums.count > 0 else { return (coverage, nil, nil) }
        let scores = AggregateScores(sums)
        var contrast: AggregateContrast?
        let exactRest = kept || (passDone && sums.count == rows.count)
        if exactRest, let all, let rest = AggregateScores.rest(all: all, minus: sums) {
            contrast = AggregateContrast(selection: scores, rest: rest)
            coverage.rest = rest.count
            coverage.restNote = nil
        } else if exactRest, all != nil {
            coverage.restNote = "every sample is selected"
        }
        return (coverage, scores, contrast)
    }

    // MARK: Compare

    /// The marked sample's explanation (one engine block, computed once per mark).
    func explanation(ofMark row: Int) -> SampleExplanation {
        if let m = marked, m.row == row { return m }
        let chunk = session.compute(rows: row..<(row + 1), outputs: [.contributions])
        let e = SampleExplanation(chunk: chunk, index: 0)
        marked = e
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
                    VerificationReport(result: s.verification.result, errors: $0, done: s.doneCount, tolerance: tolerance, precision: precision)
                }
            }
        } else {
            r = [Float]().withUnsafeBufferPointer {
                VerificationReport(result: VerificationAccumulator().result, errors: $0, done: 0, tolerance: tolerance, precision: precision)
            }
        }
        reportCache = (version, now, r)
        return r
    }

    /// The samples a popup lists, in order, for the reducer's moves and Enter.
    func listedRows(_ overlay: AnalysisOverlay?) -> [Int] {
        guard case .report = overlay else { return [] }
        return report().worst.map(\.row)
    }

    // MARK: Groups

    func groupRows() -> [GroupsOverview.Row] {
        guard let groups = session.groups else { return [] }
        let sums = store?.withSummaries { $0.groups }
        return GroupsOverview.rows(groups: groups, sums: sums, names: session.featureNames)
    }
}
