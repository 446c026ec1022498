/// How closely set contributions, the remainder included, add up to the embedding: when the
/// sets partition the features, Σ_s C_S[i, j, s] = Σ_f C[i, j, f] = z[i, j] up to rounding.
/// Checked as upstream checks z against J·x — the same accumulator, with the sums over sets in
/// the place of the reconstruction (so `maxError`, `meanError` and `relativeError` mean the
/// same), for `verify --feature-sets`.
extension VerificationAccumulator {
    /// Adds every sample of a chunk that has set contributions. The sums over sets are taken
    /// in float64, so the check adds no rounding of its own.
    public mutating func addSetSums<T>(_ chunk: ContributionChunk<T>) {
        guard let sc = chunk.setContributions else { return }
        let m = chunk.outputCount, width = sc.count / max(1, chunk.count * m)
        var z = [Double](repeating: 0, count: m), sums = [Double](repeating: 0, count: m)
        sc.withUnsafeBufferPointer { sc in
            for i in 0..<chunk.count {
                for j in 0..<m {
                    let row = sc.baseAddress! + (i * m + j) * width
                    var sum = 0.0
                    for s in 0..<width { sum += Double(row[s]) }
                    sums[j] = sum
                    z[j] = Double(chunk.embedding[i * m + j])
                }
                add(z: z, reconstruction: sums)
            }
        }
    }
}

/// What `verify` and verification.json say about the feature sets: where they came from, how
/// they cover the features and — when they partition them — the partition check.
public struct SetPartitionReport: Sendable {
    public var file: String
    public var sha256: String?
    /// Sets in the file (without the remainder).
    public var setCount: Int
    /// Features in no set.
    public var remainderCount: Int
    /// Features in more than one set.
    public var overlappingFeatureCount: Int
    public var statement: String
    /// nil when the sets overlap: then their contributions do not add up to z, and there is
    /// nothing to check.
    public var check: JacobianVerification?

    /// `check` accumulated with `addSetSums`.
    public init(_ sets: FeatureSets, check: JacobianVerification?) {
        self.init(SetTable(sets), check: check)
    }

    init(_ table: SetTable, check: JacobianVerification?) {
        file = table.file
        sha256 = table.sha256
        setCount = table.count - 1
        remainderCount = table.found[table.count - 1]
        overlappingFeatureCount = table.overlappingFeatureCount
        statement = table.statement
        self.check = table.isDisjoint ? check : nil
    }

    /// The sums within `tolerance` of z, every sample finite (true with nothing to check).
    public func passes(tolerance: Double) -> Bool {
        check.map { $0.passes(tolerance: tolerance) } ?? true
    }
}
