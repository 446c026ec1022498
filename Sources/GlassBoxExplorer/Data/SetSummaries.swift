import GlassBoxCore

/// What the background pass keeps of the feature sets' contributions (`--feature-sets`): sums
/// over all samples and per group with sets in the place of features (an L2 norm or a share
/// of sets is not a sum of features' — it is taken of each sample's set contributions), and
/// each set's L2 ‖C_S[i, :]‖ per sample for coloring the scatter, when n × sets fits
/// `columnBudget`. O(m·S) per sum plus n × S floats.
public struct SetSummaries: Sendable {
    public let sampleCount: Int
    public let setCount: Int
    public private(set) var all: FeatureSums
    /// Per group label, as `SampleSummaries.groups` (nil without them).
    public private(set) var groups: [FeatureSums]?
    /// S × n, set-major (a set's column is contiguous); NaN until computed; nil over budget.
    public private(set) var l2: [Float]?

    /// 512 MB of columns: 128 sets at 1,000,000 samples.
    public static let columnBudget = 1 << 29

    public init(sampleCount n: Int, outputCount m: Int, setCount s: Int, groupCount: Int?, columnBudget: Int = SetSummaries.columnBudget) {
        sampleCount = n
        setCount = s
        all = FeatureSums(outputCount: m, featureCount: s, share: true)
        if let g = groupCount, g <= SampleSummaries.groupLimit {
            groups = (0..<g).map { _ in FeatureSums(outputCount: m, featureCount: s, share: true) }
        }
        l2 = n * s * MemoryLayout<Float>.size <= columnBudget ? [Float](repeating: .nan, count: n * s) : nil
    }

    mutating func absorb(_ c: ChunkSetSummary) {
        all.merge(c.all)
        if groups != nil {
            for (g, sums) in c.groups { groups![g].merge(sums) }
        }
        guard l2 != nil else { return }
        let n = sampleCount, first = c.rows.lowerBound, count = c.rows.count
        l2!.withUnsafeMutableBufferPointer { out in
            for s in 0..<setCount {
                for i in 0..<count { out[s * n + first + i] = c.l2[i * setCount + s] }
            }
        }
    }

    /// Set `s`'s L2 for every sample (NaN where not yet computed), when kept.
    func withColumn<R>(_ s: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R? {
        guard let l2 else { return nil }
        return try l2.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[(s * sampleCount)..<((s + 1) * sampleCount)])) }
    }
}

/// One chunk's part of `SetSummaries`, computed on the worker that computed the chunk.
struct ChunkSetSummary {
    let rows: Range<Int>
    var all: FeatureSums
    var groups: [Int: FeatureSums] = [:]
    /// count × S, sample-major.
    var l2: [Float]

    /// - Parameters:
    ///   - codes: group code per dataset row, or nil when groups aren't summed.
    ///   - finiteOnly: leave samples that aren't finite out of the sums, as the pass's feature
    ///     sums do (`ChunkAnalysis`); a selection's feature sums keep them, and so do its sets'.
    init(_ chunk: ContributionChunk<Float>, codes: [Int32]?, finiteOnly: Bool = true) {
        let m = chunk.outputCount, values = chunk.setContributions!, s = values.count / max(1, chunk.count * m)
        rows = chunk.rows
        all = FeatureSums(outputCount: m, featureCount: s, share: true)
        l2 = [Float](repeating: 0, count: chunk.count * s)
        var byGroup: [Int: FeatureSums] = [:]
        values.withUnsafeBufferPointer { v in
            l2.withUnsafeMutableBufferPointer { norms in
                for i in 0..<chunk.count {
                    let sample = v.baseAddress! + i * m * s, l = norms.baseAddress! + i * s
                    featureNorms(sample, m: m, d: s, into: l)
                    var total: Float = 0
                    for k in 0..<s { total += l[k] }
                    guard total.isFinite || !finiteOnly else { continue }
                    if let codes {
                        let g = Int(codes[chunk.rows.lowerBound + i])
                        byGroup[g, default: FeatureSums(outputCount: m, featureCount: s, share: true)].add(
                            sample: sample, l2: l, total: total)
                    } else {
                        all.add(sample: sample, l2: l, total: total)
                    }
                }
            }
        }
        if codes != nil {
            for g in byGroup.keys.sorted() { all.merge(byGroup[g]!) }  // in a fixed order
            groups = byGroup
        }
    }
}
