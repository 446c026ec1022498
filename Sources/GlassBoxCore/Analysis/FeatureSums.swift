/// Running sums of contributions over a set of samples — all of them, one group, a selection —
/// added a sample at a time and merged chunk by chunk, in Double whatever the working
/// precision: O(m·d) memory whatever the number of samples. Export's groups, the explorer's
/// summaries and selections, and the merge of part exports all keep their sums in this one type
/// (columns may be features, PCA components or feature sets).
public struct FeatureSums: Sendable, Equatable {
    public let outputCount: Int
    public let featureCount: Int
    public internal(set) var count = 0
    /// Σ ‖C[i, :, f]‖₂ per column (d).
    public internal(set) var l2: [Double]
    /// Σ C[i, j, f] (m × d).
    public internal(set) var signed: [Double]
    /// Σ of each sample's share ‖C[i, :, f]‖ / Σ_f ‖C[i, :, f]‖ (d), when kept (the explorer's
    /// "share" view; export does without).
    public internal(set) var share: [Double]?

    public init(outputCount m: Int, featureCount d: Int, share: Bool = false) {
        outputCount = m
        featureCount = d
        l2 = [Double](repeating: 0, count: d)
        signed = [Double](repeating: 0, count: m * d)
        self.share = share ? [Double](repeating: 0, count: d) : nil
    }

    /// Adds one sample: its m × d contributions, their L2 norm per column and the norms' sum.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func add<T: BLASScalar>(sample: UnsafePointer<T>, l2 norms: UnsafePointer<T>, total: T) {
        count += 1
        let d = featureCount
        l2.withUnsafeMutableBufferPointer { s in
            for f in 0..<d { s[f] += Double(norms[f]) }
        }
        signed.withUnsafeMutableBufferPointer { s in
            for e in 0..<s.count { s[e] += Double(sample[e]) }
        }
        if share != nil {
            let inverse = total > 0 ? 1 / Double(total) : 0
            share!.withUnsafeMutableBufferPointer { s in
                for f in 0..<d { s[f] += Double(norms[f]) * inverse }
            }
        }
    }

    /// Adds one sample's m × d contributions (their norms computed here).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func add<T: BLASScalar>(contributions sample: UnsafePointer<T>) {
        let d = featureCount
        let norms = UnsafeMutablePointer<T>.allocate(capacity: max(d, 1))
        defer { norms.deallocate() }
        T.featureNorms(sample, m: outputCount, d: d, into: norms)
        var total: T = 0
        for f in 0..<d { total += norms[f] }
        add(sample: sample, l2: norms, total: total)
    }

    public mutating func merge(_ other: FeatureSums) {
        precondition(other.outputCount == outputCount && other.featureCount == featureCount)
        count += other.count
        l2.withUnsafeMutableBufferPointer { s in for f in 0..<s.count { s[f] += other.l2[f] } }
        signed.withUnsafeMutableBufferPointer { s in for e in 0..<s.count { s[e] += other.signed[e] } }
        if share != nil, let o = other.share {
            share!.withUnsafeMutableBufferPointer { s in for f in 0..<s.count { s[f] += o[f] } }
        }
    }

    private func mean(_ v: [Double]) -> [Double] {
        count > 0 ? v.map { $0 / Double(count) } : v
    }

    /// Mean L2 per column (the global ranking when fed every sample).
    public var meanL2: [Double] { mean(l2) }
    /// Mean share of each column in its samples' total (zeros when not kept).
    public var meanShare: [Double] { share.map(mean) ?? [Double](repeating: 0, count: featureCount) }
    /// Mean signed contribution, m × d.
    public var meanSigned: ContributionTable { ContributionTable(values: mean(signed), outputCount: outputCount) }

    /// Per-column scores for a view: mean L2, mean share, or the mean signed contribution.
    public func scores(_ view: ContributionView) -> [Double] {
        switch view {
        case .l2: return meanL2
        case .normedL2: return meanShare
        case .component: return meanSigned.scores(view)
        }
    }

    /// Columns ranked for a view, most important first (signed views by magnitude).
    public func ranking(_ view: ContributionView, limit: Int? = nil) -> [Int] {
        let s = scores(view)
        var magnitude = false
        if case .component = view { magnitude = true }
        return TopK.indices(count: s.count, k: limit ?? s.count) { magnitude ? abs(s[$0]) : s[$0] }
    }
}
