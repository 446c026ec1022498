/// Everything the engine computes for a run of consecutive samples. Arrays are row-major,
/// with numpy's C-order layouts named below (b = rows.count, m outputs, k encoder inputs,
/// d features).
public struct ContributionChunk<T: BLASScalar>: Sendable {
    /// The samples' row indices in the dataset.
    public var rows: Range<Int>
    public var outputCount: Int
    public var encoderInputCount: Int
    public var featureCount: Int
    /// Encoder input u: (b, k) — PCA scores, or the centered features without PCA.
    public var encoderInput: [T]
    /// Embedding z = f(u): (b, m).
    public var embedding: [T]
    /// Jacobian of the encoder at u: (b, m, k).
    public var jacobian: [T]
    /// Reconstruction J(u) · u: (b, m). Equal to `embedding` up to rounding.
    public var reconstruction: [T]
    /// Feature contributions C = (J · P) ⊙ xc: (b, m, d); nil when not requested.
    public var contributions: [T]?
    /// With PCA, contributions of the PCA components, J ⊙ u: (b, m, k); nil otherwise or when not requested.
    public var pcaContributions: [T]?
    /// Set contributions C · M: (b, m, sets) in the order of the engine's `FeatureSets.sets`
    /// (the remainder last); nil when not requested.
    public var setContributions: [T]? = nil

    public var count: Int { rows.count }

    /// Sample `i`'s contributions as an m × d row-major block.
    public func contributions(ofSample i: Int) -> ArraySlice<T>? {
        let size = outputCount * featureCount
        return contributions?[(i * size)..<((i + 1) * size)]
    }
}
