/// "Why is B here and not there?": the per-feature contributions to the displacement
/// `z_B − z_A`, which is `C_B − C_A` and sums over features to the displacement exactly.
public struct Contrast: Sendable {
    public var a: SampleExplanation
    public var b: SampleExplanation
    /// C_B − C_A, m × d.
    public var table: ContributionTable

    public init(from a: SampleExplanation, to b: SampleExplanation) {
        precondition(a.outputCount == b.outputCount && a.featureCount == b.featureCount)
        self.a = a
        self.b = b
        table = ContributionTable(values: zip(b.contributions, a.contributions).map { $0 - $1 }, outputCount: a.outputCount)
    }

    /// z_B − z_A per dimension.
    public var displacement: [Double] { zip(b.embedding, a.embedding).map { $0 - $1 } }

    /// Σ_f (C_B − C_A)[j, f] per dimension — the on-screen check against `displacement`.
    public var contributionSums: [Double] { table.sums }

    /// The largest |Σ_f ΔC − Δz| over dimensions.
    public var sumError: Double { zip(contributionSums, displacement).map { abs($0 - $1) }.max() ?? 0 }
}
