import GlassBoxCore

/// The focused sample's full explanation, computed on demand on the main loop (one engine
/// block, about a millisecond) so the sample panel never waits for the background pass, with
/// its rankings per view and space (paging through every feature, not only the top K).
final class ExplanationCache {
    private let session: ExplorerSession
    private var row = -1
    private var current: SampleExplanation?
    private var rankings: [RankingKey: [Int]] = [:]

    private var tables: [FeatureSpace: ContributionTable] = [:]

    private struct RankingKey: Hashable {
        var view: SampleView
        var space: FeatureSpace
    }

    init(session: ExplorerSession) {
        self.session = session
    }

    func explanation(for row: Int) -> SampleExplanation {
        if row == self.row, let current { return current }
        let outputs: EngineOutputs = session.componentCount == nil ? [.contributions] : [.contributions, .pcaContributions]
        let chunk = session.compute(rows: row..<(row + 1), outputs: outputs)
        let e = SampleExplanation(chunk: chunk, index: 0)
        self.row = row
        current = e
        rankings = [:]
        tables = [:]
        return e
    }

    /// The table shown for a space (features when the session lacks it); set contributions
    /// are taken from the feature contributions once per sample (a sparse product, microseconds).
    func table(for row: Int, space: FeatureSpace) -> ContributionTable {
        let e = explanation(for: row)
        if let t = tables[space] { return t }
        let t = session.table(e, space: space)
        tables[space] = t
        return t
    }

    /// Every column ranked for the view, most important first.
    func ranking(for row: Int, view: SampleView, space: FeatureSpace) -> [Int] {
        let key = RankingKey(view: view, space: session.available(space))
        _ = explanation(for: row)
        if let r = rankings[key] { return r }
        let r = table(for: row, space: space).ranking(view.contributionView)
        rankings[key] = r
        return r
    }
}
