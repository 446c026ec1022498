/// The ways a sample's (or a group's, or a contrast's) contributions are ranked and shown.
public enum ContributionView: Equatable, Sendable {
    /// ‖C[:, f]‖₂ over the embedding dimensions.
    case l2
    /// L2 as a share of the sample's total L2.
    case normedL2
    /// The signed contribution to one embedding dimension (0-based), ranked by magnitude.
    case component(Int)
}

/// One sample's exact explanation: its embedding, reconstruction and every feature's
/// contribution to every embedding dimension.
public struct SampleExplanation: Sendable {
    public var row: Int
    public var outputCount: Int
    public var featureCount: Int
    /// z = f(u), m values.
    public var embedding: [Double]
    /// J(u) · u, m values.
    public var reconstruction: [Double]
    /// C: m × d, row-major.
    public var contributions: [Double]
    /// With PCA: J ⊙ u, m × k.
    public var pcaContributions: [Double]?
    /// The encoder input u (k values).
    public var encoderInput: [Double]

    public init<T>(chunk: ContributionChunk<T>, index i: Int) {
        let m = chunk.outputCount, d = chunk.featureCount, k = chunk.encoderInputCount
        row = chunk.rows.lowerBound + i
        outputCount = m
        featureCount = d
        embedding = chunk.embedding[(i * m)..<((i + 1) * m)].map(Double.init)
        reconstruction = chunk.reconstruction[(i * m)..<((i + 1) * m)].map(Double.init)
        contributions = chunk.contributions.map { $0[(i * m * d)..<((i + 1) * m * d)].map(Double.init) } ?? []
        pcaContributions = chunk.pcaContributions.map { $0[(i * m * k)..<((i + 1) * m * k)].map(Double.init) }
        encoderInput = chunk.encoderInput[(i * k)..<((i + 1) * k)].map(Double.init)
    }

    /// max_j |z_j − r_j|.
    public var reconstructionError: Double {
        zip(embedding, reconstruction).map { abs($0 - $1) }.max() ?? 0
    }

    /// Σ_f C[j, f] for each dimension j: equals z_j up to rounding (and sklearn's tiny
    /// `pca.mean_` term).
    public var contributionSums: [Double] {
        (0..<outputCount).map { j in contributions[(j * featureCount)..<((j + 1) * featureCount)].reduce(0, +) }
    }

    public var l2: [Double] { ContributionTable(values: contributions, outputCount: outputCount).l2 }

    /// The same table over PCA components (`p` in the explorer).
    public var pcaTable: ContributionTable? {
        pcaContributions.map { ContributionTable(values: $0, outputCount: outputCount) }
    }

    public var table: ContributionTable { ContributionTable(values: contributions, outputCount: outputCount) }
}

/// An m × d block of signed contributions (of a sample, a group mean or a contrast),
/// with the rankings every view needs.
public struct ContributionTable: Sendable, Equatable {
    public var values: [Double]
    public var outputCount: Int
    public var columnCount: Int { outputCount == 0 ? 0 : values.count / outputCount }

    public init(values: [Double], outputCount: Int) {
        precondition(outputCount > 0 && values.count % outputCount == 0)
        self.values = values
        self.outputCount = outputCount
    }

    public func value(component j: Int, feature f: Int) -> Double { values[j * columnCount + f] }

    /// ‖C[:, f]‖₂ per column.
    public var l2: [Double] {
        let d = columnCount
        return (0..<d).map { f in
            var s = 0.0
            for j in 0..<outputCount { let v = values[j * d + f]; s += v * v }
            return s.squareRoot()
        }
    }

    /// Per-column sum over columns, per dimension.
    public var sums: [Double] {
        (0..<outputCount).map { j in values[(j * columnCount)..<((j + 1) * columnCount)].reduce(0, +) }
    }

    /// The value each column shows in `view` (shares for `.normedL2`, signed for components).
    public func scores(_ view: ContributionView) -> [Double] {
        switch view {
        case .l2: return l2
        case .normedL2:
            let l = l2
            let total = l.reduce(0, +)
            return total > 0 ? l.map { $0 / total } : l
        case .component(let j):
            return Array(values[(j * columnCount)..<((j + 1) * columnCount)])
        }
    }

    /// Columns ranked for `view`, most important first: by value for L2 views, by magnitude
    /// for signed views.
    public func ranking(_ view: ContributionView, limit: Int? = nil) -> [Int] {
        let s = scores(view)
        let magnitude: Bool
        if case .component = view { magnitude = true } else { magnitude = false }
        return TopK.indices(count: s.count, k: limit ?? s.count) { magnitude ? abs(s[$0]) : s[$0] }
    }
}
