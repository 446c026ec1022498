import GlassBoxCore

/// Means over a set of samples, ready to rank per view: what the selection panel, the
/// "selection vs the rest" contrast and the groups overview draw. Built from `FeatureSums`
/// (the store's global and per-group sums, or a selection's), so every number is an exact
/// mean over the samples the sums cover — `count` says how many.
public struct AggregateScores: Sendable, Equatable {
    public let outputCount: Int
    public let featureCount: Int
    public let count: Int
    public var meanL2: [Double]
    public var meanShare: [Double]
    /// m × d; nil when the sums don't keep signed values.
    public var meanSigned: [Double]?

    public init(outputCount: Int, featureCount: Int, count: Int, meanL2: [Double], meanShare: [Double], meanSigned: [Double]?) {
        self.outputCount = outputCount
        self.featureCount = featureCount
        self.count = count
        self.meanL2 = meanL2
        self.meanShare = meanShare
        self.meanSigned = meanSigned
    }

    public init(_ sums: FeatureSums) {
        let c = Double(max(1, sums.count))
        self.init(
            outputCount: sums.outputCount, featureCount: sums.featureCount, count: sums.count,
            meanL2: sums.l2.map { $0 / c }, meanShare: (sums.share ?? sums.l2.map { _ in 0 }).map { $0 / c },
            meanSigned: sums.signed.map { $0 / c })
    }

    /// The samples in `all` but not in `part` (`part` ⊆ `all`): their means from the
    /// difference of the sums — exact, no second pass.
    public static func rest(all: FeatureSums, minus part: FeatureSums) -> AggregateScores? {
        let c = all.count - part.count
        guard c > 0 else { return nil }
        let n = Double(c)
        let l2 = zip(all.l2, part.l2).map { ($0 - $1) / n }
        let share = zip(all.share ?? [], part.share ?? []).map { ($0 - $1) / n }
        var signed: [Double]? = nil
        signed = zip(all.signed, part.signed).map { ($0 - $1) / n }
        return AggregateScores(
            outputCount: all.outputCount, featureCount: all.featureCount, count: c,
            meanL2: l2, meanShare: share, meanSigned: signed)
    }

    /// Per-feature values for a view: mean L2, mean share, or mean signed contribution to a
    /// dimension (zeros when signed sums aren't kept).
    public func scores(_ view: SampleView) -> [Double] {
        switch view {
        case .l2: return meanL2
        case .share: return meanShare
        case .dimension(let j), .waterfall(let j):
            guard let s = meanSigned else { return [Double](repeating: 0, count: featureCount) }
            return Array(s[(j * featureCount)..<((j + 1) * featureCount)])
        }
    }

    /// Features ranked for a view, most important first (signed views by magnitude).
    public func ranking(_ view: SampleView, limit: Int? = nil) -> [Int] {
        let s = scores(view)
        let magnitude = view.isSigned
        return TopK.indices(count: s.count, k: limit ?? s.count) { magnitude ? abs(s[$0]) : s[$0] }
    }
}

/// "Selection vs the rest": per feature, how the selection's mean contribution differs from
/// the mean over every other sample.
public struct AggregateContrast: Sendable, Equatable {
    public let selection: AggregateScores
    public let rest: AggregateScores

    public init(selection: AggregateScores, rest: AggregateScores) {
        self.selection = selection
        self.rest = rest
    }

    /// L2 view: ‖mean_S C[:, f] − mean_rest C[:, f]‖₂ over dimensions (falls back to the
    /// difference of mean L2 without signed sums); share: the difference of mean shares;
    /// a dimension: the signed difference of mean contributions.
    public func scores(_ view: SampleView) -> [Double] {
        let d = selection.featureCount, m = selection.outputCount
        switch view {
        case .l2:
            guard let a = selection.meanSigned, let b = rest.meanSigned else {
                return zip(selection.meanL2, rest.meanL2).map { $0 - $1 }
            }
            return (0..<d).map { f in
                var s = 0.0
                for j in 0..<m { let v = a[j * d + f] - b[j * d + f]; s += v * v }
                return s.squareRoot()
            }
        case .share, .dimension, .waterfall:
            return zip(selection.scores(view), rest.scores(view)).map { $0 - $1 }
        }
    }

    /// Whether a view's values carry a sign (drawn as diverging bars).
    public func isSigned(_ view: SampleView) -> Bool {
        switch view {
        case .l2: return selection.meanSigned == nil || rest.meanSigned == nil
        case .share, .dimension, .waterfall: return true
        }
    }

    public func ranking(_ view: SampleView, limit: Int? = nil) -> [Int] {
        let s = scores(view), magnitude = isSigned(view)
        return TopK.indices(count: s.count, k: limit ?? s.count) { magnitude ? abs(s[$0]) : s[$0] }
    }
}
