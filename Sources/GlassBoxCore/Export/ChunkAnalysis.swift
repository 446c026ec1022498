/// What an export derives from one engine chunk's contributions (b samples, m components,
/// d features): each sample's top features by L2 norm over the components, and per group the
/// chunk's sums (merged in row order by the exporter, so totals do not depend on the order
/// chunks finish in).
struct ChunkAnalysis<T: BLASScalar> {
    let rows: Range<Int>
    /// Features kept per sample: min(K, d).
    let keep: Int
    /// b × keep feature indices, most important first.
    var topFeatures: [Int32]
    /// b × keep L2 norms ‖C[i, :, f]‖₂.
    var topL2: [T]
    /// b × keep × m signed contributions C[i, j, f].
    var topSigned: [T]
    /// Sums over the chunk's samples, per group code (one group, 0, without labels).
    var groups: [Int: GroupSums]

    /// `codes[row]` gives a sample's group (nil: one group).
    init(_ chunk: ContributionChunk<T>, keep k: Int, codes: [Int32]?) {
        let m = chunk.outputCount, d = chunk.featureCount, b = chunk.count
        let keep = min(k, d), first = chunk.rows.lowerBound
        rows = chunk.rows
        self.keep = keep
        var topFeatures = [Int32](repeating: -1, count: b * keep)
        var topL2 = [T](repeating: 0, count: b * keep)
        var topSigned = [T](repeating: 0, count: b * keep * m)
        var groups: [Int: GroupSums] = [:]
        // L2 in the working precision, as upstream's float32 `reduction="l2"` (and vectorizable).
        var l2 = [T](repeating: 0, count: d)
        var best = [(value: T, index: Int)]()
        best.reserveCapacity(keep + 1)
        chunk.contributions!.withUnsafeBufferPointer { c in
            l2.withUnsafeMutableBufferPointer { l2 in
                for i in 0..<b {
                    let sample = c.baseAddress! + i * m * d
                    if T.self == Float.self {
                        featureNorms(UnsafeRawPointer(sample).assumingMemoryBound(to: Float.self), m: m, d: d,
                                     into: UnsafeMutableRawPointer(l2.baseAddress!).assumingMemoryBound(to: Float.self))
                    } else {
                        featureNorms(UnsafeRawPointer(sample).assumingMemoryBound(to: Double.self), m: m, d: d,
                                     into: UnsafeMutableRawPointer(l2.baseAddress!).assumingMemoryBound(to: Double.self))
                    }

                    let g = codes.map { Int($0[first + i]) } ?? 0
                    groups[g, default: GroupSums(outputCount: m, featureCount: d)].add(sample: sample, l2: l2)

                    Self.largest(UnsafeBufferPointer(l2), keep, into: &best)
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
        self.groups = groups
    }

    /// The `k` largest values, largest first, ties to the lower index, NaN ranked as −∞ — the
    /// same order as `TopK.indices`, by insertion into a short sorted list: once it is full,
    /// most values fail one comparison with its smallest (NaN included: it compares false).
    static func largest<V: BinaryFloatingPoint>(_ values: UnsafeBufferPointer<V>, _ k: Int, into best: inout [(value: V, index: Int)]) {
        let k = min(k, values.count)
        best.removeAll(keepingCapacity: true)
        guard k > 0 else { return }
        for _ in 0..<k { best.append((value: V.zero, index: 0)) }
        best.withUnsafeMutableBufferPointer { b in
            // Insert (v, f) into the sorted prefix of length `count` (count < k, or the last is dropped).
            func insert(_ v: V, _ f: Int, count: Int) {
                var at = min(count, k - 1)
                while at > 0, b[at - 1].value < v {
                    b[at] = b[at - 1]
                    at -= 1
                }
                b[at] = (v, f)
            }
            for f in 0..<k { insert(values[f].isNaN ? -V.infinity : values[f], f, count: f) }
            var floor = b[k - 1].value
            for f in k..<values.count {
                let v = values[f]
                // Equal values keep the earlier (lower) index.
                if v > floor {
                    insert(v, f, count: k)
                    floor = b[k - 1].value
                }
            }
        }
    }
}

/// Sums over a set of samples of one group: count, Σ L2 per feature, Σ signed contribution.
struct GroupSums: Sendable {
    var count = 0
    /// d
    var l2: [Double]
    /// m × d
    var signed: [Double]

    init(outputCount m: Int, featureCount d: Int) {
        l2 = [Double](repeating: 0, count: d)
        signed = [Double](repeating: 0, count: m * d)
    }

    mutating func add<T: BLASScalar>(sample: UnsafePointer<T>, l2 sampleL2: UnsafeMutableBufferPointer<T>) {
        count += 1
        let d = l2.count
        l2.withUnsafeMutableBufferPointer { s in
            for f in 0..<d { s[f] += Double(sampleL2[f]) }
        }
        signed.withUnsafeMutableBufferPointer { s in
            for e in 0..<s.count { s[e] += Double(sample[e]) }
        }
    }

    mutating func merge(_ other: GroupSums) {
        count += other.count
        l2.withUnsafeMutableBufferPointer { s in for f in 0..<s.count { s[f] += other.l2[f] } }
        signed.withUnsafeMutableBufferPointer { s in for e in 0..<s.count { s[e] += other.signed[e] } }
    }
}
