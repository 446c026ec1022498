import GlassBoxCore

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
    var all: FeatureSums
    /// Per group code present in the chunk.
    var groups: [Int: FeatureSums] = [:]
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
        var all = FeatureSums(outputCount: m, featureCount: d, share: true)
        // Group sums in an array (mutated in place), found through a small map of codes.
        var groupSums: [FeatureSums] = []
        var groupSlot: [Int: Int] = [:]
        var norms = [Float](repeating: 0, count: d)
        var best: [(value: Float, index: Int)] = []
        best.reserveCapacity(keep + 1)
        let errors = verification.add(chunk).map { Float($0) }

        chunk.contributions!.withUnsafeBufferPointer { c in
        norms.withUnsafeMutableBufferPointer { l2 in
            for i in 0..<b {
                let sample = c.baseAddress! + i * m * d
                // ‖C[i, :, f]‖ for every f.
                featureNorms(sample, m: m, d: d, into: l2.baseAddress!)
                var total: Float = 0
                for f in 0..<d { total += l2[f] }
                totalL2[i] = total

                TopK.largest(UnsafeBufferPointer(l2), keep, into: &best)
                for (r, e) in best.enumerated() {
                    let slot = i * keep + r
                    topFeatures[slot] = Int32(e.index)
                    topL2[slot] = l2[e.index]
                    for j in 0..<m { topSigned[slot * m + j] = sample[j * d + e.index] }
                }

                let norms = UnsafePointer(l2.baseAddress!)
                // A sample with a NaN or infinity (the report lists it) would make every sum
                // it joins NaN: it is left out of them.
                guard total.isFinite else { continue }
                all.add(sample: sample, l2: norms, total: total)
                if let codes {
                    let g = Int(codes[chunk.rows.lowerBound + i])
                    let slot: Int
                    if let s = groupSlot[g] {
                        slot = s
                    } else {
                        slot = groupSums.count
                        groupSlot[g] = slot
                        groupSums.append(FeatureSums(outputCount: m, featureCount: d, share: true))
                    }
                    groupSums[slot].add(sample: sample, l2: norms, total: total)
                }
            }
        } }
        var groups: [Int: FeatureSums] = [:]
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
