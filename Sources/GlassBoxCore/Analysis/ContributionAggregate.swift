/// Running sums of contributions over a set of samples — a whole dataset (global feature
/// ranking), one label (group aggregates), or a selection — fed chunk by chunk as the engine
/// delivers them. Memory is O(m · d), whatever the number of samples.
public struct ContributionAggregate: Sendable {
    public let outputCount: Int
    public let featureCount: Int
    public private(set) var sampleCount = 0
    /// Σ C[i, j, f] over samples: m × d.
    public private(set) var signedSum: [Double]
    /// Σ ‖C[i, :, f]‖₂ over samples: d.
    public private(set) var l2Sum: [Double]
    /// Σ over samples of each sample's share ‖C[i,:,f]‖ / Σ_f ‖C[i,:,f]‖: d.
    public private(set) var shareSum: [Double]

    public init(outputCount: Int, featureCount: Int) {
        self.outputCount = outputCount
        self.featureCount = featureCount
        signedSum = [Double](repeating: 0, count: outputCount * featureCount)
        l2Sum = [Double](repeating: 0, count: featureCount)
        shareSum = [Double](repeating: 0, count: featureCount)
    }

    /// Adds one sample's m × d contributions.
    @_specialize(where C == ArraySlice<Float>)
    @_specialize(where C == ArraySlice<Double>)
    public mutating func add<C: Collection>(_ block: C) where C.Element: BinaryFloatingPoint, C.Index == Int {
        let m = outputCount, d = featureCount
        precondition(block.count == m * d)
        let base = block.startIndex
        var l2 = [Double](repeating: 0, count: d)
        for j in 0..<m {
            for f in 0..<d {
                let v = Double(block[base + j * d + f])
                signedSum[j * d + f] += v
                l2[f] += v * v
            }
        }
        var total = 0.0
        for f in 0..<d { l2[f] = l2[f].squareRoot(); total += l2[f] }
        for f in 0..<d {
            l2Sum[f] += l2[f]
            if total > 0 { shareSum[f] += l2[f] / total }
        }
        sampleCount += 1
    }

    public mutating func merge(_ other: ContributionAggregate) {
        precondition(other.outputCount == outputCount && other.featureCount == featureCount)
        for i in signedSum.indices { signedSum[i] += other.signedSum[i] }
        for f in 0..<featureCount { l2Sum[f] += other.l2Sum[f]; shareSum[f] += other.shareSum[f] }
        sampleCount += other.sampleCount
    }

    private func mean(_ v: [Double]) -> [Double] {
        sampleCount > 0 ? v.map { $0 / Double(sampleCount) } : v
    }

    /// Mean L2 per feature (the global feature ranking when fed every sample).
    public var meanL2: [Double] { mean(l2Sum) }
    /// Mean share of each feature in its samples' total.
    public var meanShare: [Double] { mean(shareSum) }
    /// Mean signed contribution, m × d.
    public var meanSigned: ContributionTable { ContributionTable(values: mean(signedSum), outputCount: outputCount) }

    /// Per-feature scores for a view: mean L2, mean share, or the mean signed contribution.
    public func scores(_ view: ContributionView) -> [Double] {
        switch view {
        case .l2: return meanL2
        case .normedL2: return meanShare
        case .component: return meanSigned.scores(view)
        }
    }

    /// Features ranked for a view, most important first (signed views by magnitude).
    public func ranking(_ view: ContributionView, limit: Int? = nil) -> [Int] {
        let s = scores(view)
        var magnitude = false
        if case .component = view { magnitude = true }
        return TopK.indices(count: s.count, k: limit ?? s.count) { magnitude ? abs(s[$0]) : s[$0] }
    }
}

/// One aggregate per group label.
public struct GroupAggregates: Sendable {
    public var labels: GroupLabels
    public var groups: [ContributionAggregate]

    public init(labels: GroupLabels, outputCount: Int, featureCount: Int) {
        self.labels = labels
        groups = labels.categories.map { _ in ContributionAggregate(outputCount: outputCount, featureCount: featureCount) }
    }

    /// Adds every sample of a chunk to its group's aggregate.
    public mutating func add<T>(_ chunk: ContributionChunk<T>) {
        guard let c = chunk.contributions else { return }
        let size = chunk.outputCount * chunk.featureCount
        for i in 0..<chunk.count {
            let g = Int(labels.codes[chunk.rows.lowerBound + i])
            groups[g].add(c[(i * size)..<((i + 1) * size)])
        }
    }
}
