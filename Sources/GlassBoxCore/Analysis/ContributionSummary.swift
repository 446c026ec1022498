/// What the explorer keeps of every sample once its contributions are computed — bounded
/// memory at any n: per sample its top-K features by L2 (index, L2, signed contribution per
/// dimension), its total L2 and reconstruction error; plus the global ranking and per-group
/// aggregates. Never the full n × m × d array.
public struct ContributionSummary: Sendable {
    public let sampleCount: Int
    public let outputCount: Int
    public let featureCount: Int
    /// K: features kept per sample.
    public let keep: Int

    /// n × K feature indices, most important first (-1 where d < K).
    public private(set) var topFeatures: [Int32]
    /// n × K L2 values matching `topFeatures`.
    public private(set) var topL2: [Float]
    /// n × K × m signed contributions matching `topFeatures`.
    public private(set) var topSigned: [Float]
    /// Σ_f L2 per sample (for shares).
    public private(set) var totalL2: [Float]
    /// max_j |z_j − (J·u)_j| per sample; NaN until computed.
    public private(set) var reconstructionError: [Float]
    public private(set) var done: [Bool]
    public private(set) var doneCount = 0

    public private(set) var global: ContributionAggregate
    public private(set) var groups: GroupAggregates?
    public private(set) var verification = VerificationAccumulator()

    public init(sampleCount n: Int, outputCount m: Int, featureCount d: Int, keep: Int = 16, labels: GroupLabels? = nil) {
        sampleCount = n
        outputCount = m
        featureCount = d
        self.keep = keep
        topFeatures = [Int32](repeating: -1, count: n * keep)
        topL2 = [Float](repeating: 0, count: n * keep)
        topSigned = [Float](repeating: 0, count: n * keep * m)
        totalL2 = [Float](repeating: 0, count: n)
        reconstructionError = [Float](repeating: .nan, count: n)
        done = [Bool](repeating: false, count: n)
        global = ContributionAggregate(outputCount: m, featureCount: d)
        groups = labels.map { GroupAggregates(labels: $0, outputCount: m, featureCount: d) }
    }

    public var isComplete: Bool { doneCount == sampleCount }

    /// Folds in one engine chunk (which must carry contributions).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func add<T>(_ chunk: ContributionChunk<T>) {
        guard let c = chunk.contributions else { preconditionFailure("the summary needs contributions") }
        let m = outputCount, d = featureCount, k = keep
        let errors = verification.add(chunk)
        var l2 = [Double](repeating: 0, count: d)
        for i in 0..<chunk.count {
            let row = chunk.rows.lowerBound + i
            let base = i * m * d
            for f in 0..<d {
                var s = 0.0
                for j in 0..<m { let v = Double(c[base + j * d + f]); s += v * v }
                l2[f] = s.squareRoot()
            }
            let top = TopK.indices(count: d, k: k) { l2[$0] }
            for (r, f) in top.enumerated() {
                topFeatures[row * k + r] = Int32(f)
                topL2[row * k + r] = Float(l2[f])
                for j in 0..<m { topSigned[(row * k + r) * m + j] = Float(c[base + j * d + f]) }
            }
            totalL2[row] = Float(l2.reduce(0, +))
            reconstructionError[row] = Float(errors[i])
            if !done[row] { done[row] = true; doneCount += 1 }
            global.add(c[base..<(base + m * d)])
        }
        groups?.add(chunk)
    }

    /// Sample `row`'s kept features: (feature, L2, signed per dimension), most important first.
    public func top(of row: Int) -> [(feature: Int, l2: Float, signed: [Float])] {
        guard done[row] else { return [] }
        return (0..<keep).compactMap { r in
            let f = Int(topFeatures[row * keep + r])
            guard f >= 0 else { return nil }
            let s = (0..<outputCount).map { topSigned[(row * keep + r) * outputCount + $0] }
            return (f, topL2[row * keep + r], s)
        }
    }

    /// Each sample's most important feature (-1 until computed) — the explorer's
    /// "color by top feature" mode.
    public var topFeaturePerSample: [Int32] {
        (0..<sampleCount).map { done[$0] ? topFeatures[$0 * keep] : -1 }
    }
}
