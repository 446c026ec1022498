import GlassBoxCore

/// Sums of contributions over a set of samples — all of them, one group, later a selection:
/// O(m·d) memory whatever the number of samples.
public struct FeatureSums: Sendable {
    public let outputCount: Int
    public let featureCount: Int
    public private(set) var count = 0
    /// Σ ‖C[i, :, f]‖₂ per feature.
    public private(set) var l2Sum: [Double]
    /// Σ of each sample's share ‖C[i, :, f]‖ / Σ_f ‖C[i, :, f]‖.
    public private(set) var shareSum: [Double]
    /// Σ C[i, j, f] (m × d), when kept.
    public private(set) var signedSum: [Double]?

    init(outputCount m: Int, featureCount d: Int, signed: Bool) {
        outputCount = m
        featureCount = d
        l2Sum = [Double](repeating: 0, count: d)
        shareSum = [Double](repeating: 0, count: d)
        signedSum = signed ? [Double](repeating: 0, count: m * d) : nil
    }

    mutating func merge(_ c: ChunkSums) {
        count += c.count
        for f in 0..<featureCount { l2Sum[f] += Double(c.l2[f]); shareSum[f] += Double(c.share[f]) }
        if signedSum != nil, let s = c.signed {
            for i in 0..<s.count { signedSum![i] += Double(s[i]) }
        }
    }

    /// Mean L2 per feature.
    public var meanL2: [Double] { count > 0 ? l2Sum.map { $0 / Double(count) } : l2Sum }

    /// Features by mean L2, most important first.
    public func ranking(limit: Int) -> [Int] {
        TopK.indices(count: featureCount, k: limit) { l2Sum[$0] }
    }
}

/// Float sums over one chunk's samples (merged into `FeatureSums` in Double).
struct ChunkSums {
    var count = 0
    var l2: [Float]
    var share: [Float]
    var signed: [Float]?

    init(outputCount m: Int, featureCount d: Int, signed: Bool) {
        l2 = [Float](repeating: 0, count: d)
        share = [Float](repeating: 0, count: d)
        self.signed = signed ? [Float](repeating: 0, count: m * d) : nil
    }

    mutating func add(sample: UnsafePointer<Float>, l2 norms: UnsafePointer<Float>, total: Float, m: Int, d: Int) {
        count += 1
        let inverse: Float = total > 0 ? 1 / total : 0
        l2.withUnsafeMutableBufferPointer { l in
            share.withUnsafeMutableBufferPointer { s in
                for f in 0..<d {
                    l[f] += norms[f]
                    s[f] += norms[f] * inverse
                }
            }
        }
        if signed != nil {
            signed!.withUnsafeMutableBufferPointer { s in
                for i in 0..<(m * d) { s[i] += sample[i] }
            }
        }
    }
}

/// What the explorer keeps of one engine chunk, computed on the worker that computed the
/// chunk (in parallel, and specialized for Float: generic code across the module boundary ran
/// far slower than the engine, and under the engine's lock):
/// per sample the top-K features by L2 with their signed contributions, the total L2 and the
/// reconstruction error; the chunk's sums overall and per group.
struct ChunkSummary {
    let rows: Range<Int>
    let keep: Int
    var topFeatures: [Int32]
    var topL2: [Float]
    var topSigned: [Float]
    var totalL2: [Float]
    var errors: [Float]
    var all: ChunkSums
    /// Per group code present in the chunk.
    var groups: [Int: ChunkSums] = [:]
    var verification = VerificationAccumulator()

    /// - Parameter codes: group code per dataset row, or nil when groups aren't summed.
    init(_ chunk: ContributionChunk<Float>, keep k: Int, codes: [Int32]?) {
        let m = chunk.outputCount, d = chunk.featureCount, b = chunk.count
        let keep = min(k, d)
        rows = chunk.rows
        self.keep = keep
        var topFeatures = [Int32](repeating: -1, count: b * keep)
        var topL2 = [Float](repeating: 0, count: b * keep)
        var topSigned = [Float](repeating: 0, count: b * keep * m)
        var totalL2 = [Float](repeating: 0, count: b)
        var all = ChunkSums(outputCount: m, featureCount: d, signed: true)
        // Group sums in an array (mutated in place), found through a small map of codes.
        var groupSums: [ChunkSums] = []
        var groupSlot: [Int: Int] = [:]
        var norms = [Float](repeating: 0, count: d)
        var bestValue = [Float](repeating: 0, count: keep)
        var bestIndex = [Int](repeating: -1, count: keep)
        let errors = verification.add(chunk).map { Float($0) }

        chunk.contributions!.withUnsafeBufferPointer { c in
        norms.withUnsafeMutableBufferPointer { l2 in
        bestValue.withUnsafeMutableBufferPointer { bv in
        bestIndex.withUnsafeMutableBufferPointer { bi in
            for i in 0..<b {
                let sample = c.baseAddress! + i * m * d
                // ‖C[i, :, f]‖ for every f.
                featureNorms(sample, m: m, d: d, into: l2.baseAddress!)
                var total: Float = 0
                for f in 0..<d { total += l2[f] }
                totalL2[i] = total

                // Top K by insertion into a short sorted list: once it is full, most features
                // fail the one comparison with its smallest. Ties keep the lower index.
                var filled = 0
                var threshold = -Float.infinity
                for f in 0..<d {
                    let v = l2[f]
                    guard v > threshold || filled < keep else { continue }
                    var at = min(filled, keep - 1)
                    while at > 0, bv[at - 1] < v {
                        bv[at] = bv[at - 1]
                        bi[at] = bi[at - 1]
                        at -= 1
                    }
                    bv[at] = v
                    bi[at] = f
                    if filled < keep { filled += 1 }
                    if filled == keep { threshold = bv[keep - 1] }
                }
                for r in 0..<filled {
                    let slot = i * keep + r, f = bi[r]
                    topFeatures[slot] = Int32(f)
                    topL2[slot] = bv[r]
                    for j in 0..<m { topSigned[slot * m + j] = sample[j * d + f] }
                }

                let norms = UnsafePointer(l2.baseAddress!)
                // A sample with a NaN or infinity (the report lists it) would make every sum
                // it joins NaN: it is left out of them.
                guard total.isFinite else { continue }
                all.add(sample: sample, l2: norms, total: total, m: m, d: d)
                if let codes {
                    let g = Int(codes[chunk.rows.lowerBound + i])
                    let slot: Int
                    if let s = groupSlot[g] {
                        slot = s
                    } else {
                        slot = groupSums.count
                        groupSlot[g] = slot
                        groupSums.append(ChunkSums(outputCount: m, featureCount: d, signed: true))
                    }
                    groupSums[slot].add(sample: sample, l2: norms, total: total, m: m, d: d)
                }
            }
        } } } }
        var groups: [Int: ChunkSums] = [:]
        for (g, slot) in groupSlot { groups[g] = groupSums[slot] }
        self.topFeatures = topFeatures
        self.topL2 = topL2
        self.topSigned = topSigned
        self.totalL2 = totalL2
        self.errors = errors
        self.all = all
        self.groups = groups
    }
}
