import GlassBoxCore

/// What the explorer keeps of every sample once its contributions are computed — bounded at
/// any n × d (never the n × m × d contributions): per sample its top-K features (index, L2,
/// signed contribution per dimension), total L2 and reconstruction error; the sums over all
/// samples (the global feature ranking) and per group; the running verification.
public struct SampleSummaries: Sendable {
    public let sampleCount: Int
    public let outputCount: Int
    public let featureCount: Int
    /// K: features kept per sample (min(16, d)).
    public let keep: Int
    /// n × K feature indices, most important first; -1 until computed.
    public private(set) var topFeatures: [Int32]
    /// n × K L2 values matching `topFeatures`.
    public private(set) var topL2: [Float]
    /// n × K × m signed contributions matching `topFeatures`.
    public private(set) var topSigned: [Float]
    /// Σ_f L2 per sample (for shares).
    public private(set) var totalL2: [Float]
    /// max_j |z_j − (J·u)_j| per sample; NaN until computed.
    public private(set) var reconstructionError: [Float]
    public private(set) var doneCount = 0
    public private(set) var all: FeatureSums
    /// Per group label (nil without labels, or with more than `groupLimit` of them).
    public private(set) var groups: [FeatureSums]?
    public private(set) var verification = VerificationAccumulator()

    /// Beyond this many labels, per-group sums (groups × (m + 2) × d) aren't kept.
    public static let groupLimit = 1000

    public init(sampleCount n: Int, outputCount m: Int, featureCount d: Int, keep k: Int = 16, groupCount: Int?) {
        sampleCount = n
        outputCount = m
        featureCount = d
        keep = min(k, d)
        topFeatures = [Int32](repeating: -1, count: n * keep)
        topL2 = [Float](repeating: 0, count: n * keep)
        topSigned = [Float](repeating: 0, count: n * keep * m)
        totalL2 = [Float](repeating: 0, count: n)
        reconstructionError = [Float](repeating: .nan, count: n)
        // Signed global sums (m × d): "selection vs the rest" subtracts a selection from them.
        all = FeatureSums(outputCount: m, featureCount: d, share: true)
        if let g = groupCount, g <= Self.groupLimit {
            groups = (0..<g).map { _ in FeatureSums(outputCount: m, featureCount: d, share: true) }
        }
    }

    public var isComplete: Bool { doneCount == sampleCount }

    mutating func absorb(_ c: ChunkSummary) {
        let k = keep, m = outputCount, first = c.rows.lowerBound
        precondition(c.keep == k)
        topFeatures.replaceSubrange((first * k)..<((first + c.rows.count) * k), with: c.topFeatures)
        topL2.replaceSubrange((first * k)..<((first + c.rows.count) * k), with: c.topL2)
        topSigned.replaceSubrange((first * k * m)..<((first + c.rows.count) * k * m), with: c.topSigned)
        totalL2.replaceSubrange(c.rows, with: c.totalL2)
        reconstructionError.replaceSubrange(c.rows, with: c.errors)
        doneCount += c.rows.count
        all.merge(c.all)
        if groups != nil {
            for (g, sums) in c.groups { groups![g].merge(sums) }
        }
        verification.merge(c.verification)
    }

    /// Sample `row`'s most important feature, or -1 until computed.
    public func topFeature(of row: Int) -> Int32 { topFeatures[row * keep] }

    /// Every sample's most important feature (-1 until computed): "color by top feature".
    public func topFeaturePerSample() -> [Int32] {
        let k = keep
        return [Int32](unsafeUninitializedCapacity: sampleCount) { out, initialized in
            topFeatures.withUnsafeBufferPointer { t in
                for i in 0..<sampleCount { out[i] = t[i * k] }
            }
            initialized = sampleCount
        }
    }

    /// Sample `row`'s kept features, most important first (empty until computed).
    public func top(of row: Int) -> [(feature: Int, l2: Float, signed: [Float])] {
        (0..<keep).compactMap { r in
            let f = Int(topFeatures[row * keep + r])
            guard f >= 0 else { return nil }
            let base = (row * keep + r) * outputCount
            return (f, topL2[row * keep + r], Array(topSigned[base..<(base + outputCount)]))
        }
    }
}
