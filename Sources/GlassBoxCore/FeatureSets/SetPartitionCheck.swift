/// How closely set contributions, the remainder included, add up to the embedding: when the
/// sets partition the features, Σ_s C_S[i, j, s] = Σ_f C[i, j, f] = z[i, j] up to rounding —
/// the check `verify --feature-sets` reports beside upstream's reconstruction check.
public struct SetPartitionCheck: Sendable, Equatable {
    /// max over samples and components of |Σ_s C_S[i, j, s] − z[i, j]|.
    public var maxError: Double
    public var meanError: Double
    /// maxError / (max |z| + 1e-8), as upstream's relative reconstruction error.
    public var relativeError: Double
    public var sampleCount: Int
}

/// Builds a `SetPartitionCheck` chunk by chunk, in any order.
public struct SetPartitionAccumulator: Sendable {
    private var maxError = 0.0, sumError = 0.0, maxAbsZ = 0.0
    private var entries = 0
    public private(set) var sampleCount = 0

    public init() {}

    /// Adds every sample of a chunk that has set contributions. The sums over sets are taken
    /// in float64, so the check adds no rounding of its own.
    public mutating func add<T>(_ chunk: ContributionChunk<T>) {
        guard let sc = chunk.setContributions else { return }
        let m = chunk.outputCount, width = sc.count / max(1, chunk.count * m)
        sc.withUnsafeBufferPointer { sc in
            for i in 0..<chunk.count {
                for j in 0..<m {
                    let row = sc.baseAddress! + (i * m + j) * width
                    var sum = 0.0
                    for s in 0..<width { sum += Double(row[s]) }
                    let z = Double(chunk.embedding[i * m + j]), e = abs(sum - z)
                    maxError = max(maxError, e)
                    sumError += e
                    maxAbsZ = max(maxAbsZ, abs(z))
                    entries += 1
                }
            }
        }
        sampleCount += chunk.count
    }

    public mutating func merge(_ other: SetPartitionAccumulator) {
        maxError = max(maxError, other.maxError)
        sumError += other.sumError
        maxAbsZ = max(maxAbsZ, other.maxAbsZ)
        entries += other.entries
        sampleCount += other.sampleCount
    }

    public var result: SetPartitionCheck {
        SetPartitionCheck(maxError: maxError, meanError: entries > 0 ? sumError / Double(entries) : 0,
                          relativeError: maxError / (maxAbsZ + 1e-8), sampleCount: sampleCount)
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
    public var check: SetPartitionCheck?

    public init(_ sets: FeatureSets, check: SetPartitionCheck?) {
        file = sets.file
        sha256 = sets.fileSHA256
        setCount = sets.fileSetCount
        remainderCount = sets.sets[sets.remainderIndex].members.count
        overlappingFeatureCount = sets.overlappingFeatureCount
        statement = sets.partitionStatement
        self.check = sets.isDisjoint ? check : nil
    }

    public func passes(tolerance: Double) -> Bool {
        check.map { $0.relativeError <= tolerance } ?? true
    }
}
