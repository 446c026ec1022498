/// Per group, its top features by mean L2 contribution — what groups.csv and groups.svg show.
struct GroupRanking {
    struct Entry {
        var feature: Int
        var meanL2: Double
        /// The feature's share of the group's total L2 (Σ over all features).
        var share: Double
        /// Mean signed contribution per component.
        var meanSigned: [Double]
    }

    var label: String
    /// The group's code (its index among the labels): its color in the plots.
    var code: Int
    var sampleCount: Int
    var top: [Entry]

    /// One ranking per group that has samples, in label order (one group named `all` without labels).
    static func rank(_ sums: [Int: FeatureSums], categories: [String]?, keep k: Int, outputCount m: Int) -> [GroupRanking] {
        let codes = categories.map { Array($0.indices) } ?? [0]
        return codes.compactMap { g in
            guard let s = sums[g], s.count > 0 else { return nil }
            let d = s.l2.count, n = Double(s.count)
            let total = s.l2.reduce(0, +)
            let top = TopK.indices(count: d, k: k) { s.l2[$0] }.map { f in
                Entry(
                    feature: f, meanL2: s.l2[f] / n, share: total > 0 ? s.l2[f] / total : 0,
                    meanSigned: (0..<m).map { s.signed[$0 * d + f] / n })
            }
            return GroupRanking(label: categories?[g] ?? "all", code: g, sampleCount: s.count, top: top)
        }
    }

    /// groups.csv: label, n_samples, rank, feature, mean_l2, share, mean_contribution_z1… —
    /// or groups_sets.csv, with `column` "set" and set names for `featureNames`.
    static func csv(_ groups: [GroupRanking], featureNames: [String], outputCount m: Int, column: String = "feature") -> [UInt8] {
        var t = CSVText()
        t.row(["label", "n_samples", "rank", column, "mean_l2", "share"] + (1...max(m, 1)).map { "mean_contribution_z\($0)" })
        for g in groups {
            for (r, e) in g.top.enumerated() {
                t.field(g.label)
                t.integer(g.sampleCount)
                t.integer(r + 1)
                t.field(featureNames[e.feature])
                t.number(e.meanL2)
                t.number(e.share)
                for v in e.meanSigned { t.number(v) }
                t.endLine()
            }
        }
        return t.bytes
    }
}
