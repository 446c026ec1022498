/// What is derived from one engine chunk's contributions (b samples, m components, d
/// features), on the worker that computed the chunk: each sample's top features by L2 norm
/// over the components and its total L2, and per group the chunk's sums — for export's files
/// (merged in row order, so totals do not depend on the order chunks finish in) and the
/// explorer's summaries alike.
public struct ChunkAnalysis<T: BLASScalar>: Sendable {
    public let rows: Range<Int>
    /// Features kept per sample: min(K, d).
    public let keep: Int
    /// b × keep feature indices, most important first.
    public var topFeatures: [Int32]
    /// b × keep L2 norms ‖C[i, :, f]‖₂.
    public var topL2: [T]
    /// b × keep × m signed contributions C[i, j, f].
    public var topSigned: [T]
    /// Σ_f ‖C[i, :, f]‖₂ per sample (b).
    public var totalL2: [T]
    /// Sums over the chunk's finite samples, per group code (one group, 0, without labels).
    public var groups: [Int: FeatureSums]

    /// `codes[row]` gives a sample's group (nil: one group); `share`: the sums keep shares too.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init(_ chunk: ContributionChunk<T>, keep k: Int, codes: [Int32]?, share: Bool = false) {
        self.init(
            rows: chunk.rows, contributions: chunk.contributions!, outputCount: chunk.outputCount,
            featureCount: chunk.featureCount, keep: k, codes: codes, share: share)
    }

    /// The same of any contributions (b, m, d) of the samples `rows` — e.g. set contributions,
    /// the sets taking the place of the features.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public init(
        rows: Range<Int>, contributions: [T], outputCount m: Int, featureCount d: Int, keep k: Int, codes: [Int32]?,
        share: Bool = false
    ) {
        let b = rows.count
        precondition(contributions.count == b * m * d)
        let keep = min(k, d), first = rows.lowerBound
        self.rows = rows
        self.keep = keep
        var topFeatures = [Int32](repeating: -1, count: b * keep)
        var topL2 = [T](repeating: 0, count: b * keep)
        var topSigned = [T](repeating: 0, count: b * keep * m)
        var totalL2 = [T](repeating: 0, count: b)
        var groups: [Int: FeatureSums] = [:]
        // L2 in the working precision, as upstream's float32 `reduction="l2"` (and vectorizable).
        var l2 = [T](repeating: 0, count: d)
        var best = [(value: T, index: Int)]()
        best.reserveCapacity(keep + 1)
        contributions.withUnsafeBufferPointer { c in
            l2.withUnsafeMutableBufferPointer { l2 in
                for i in 0..<b {
                    let sample = c.baseAddress! + i * m * d
                    T.featureNorms(sample, m: m, d: d, into: l2.baseAddress!)

                    var total: T = 0
                    for f in 0..<d { total += l2[f] }
                    totalL2[i] = total
                    // A sample with a NaN or infinity (reported apart by the verification) would
                    // make its whole group's sums NaN: it is left out of them.
                    if total.isFinite {
                        let g = codes.map { Int($0[first + i]) } ?? 0
                        groups[g, default: FeatureSums(outputCount: m, featureCount: d, share: share)]
                            .add(sample: sample, l2: UnsafePointer(l2.baseAddress!), total: total)
                    }

                    TopK.largest(UnsafeBufferPointer(l2), keep, into: &best)
                    for (r, e) in best.enumerated() {
                        let slot = i * keep + r
                        topFeatures[slot] = Int32(e.index)
                        topL2[slot] = l2[e.index]
                        for j in 0..<m { topSigned[slot * m + j] = sample[j * d + e.index] }
                    }
                }
            }
        }
        self.topFeatures = topFeatures
        self.topL2 = topL2
        self.topSigned = topSigned
        self.totalL2 = totalL2
        self.groups = groups
    }
}
