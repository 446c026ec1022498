import GlassBoxCore

/// One feature's value for every sample — what "color by a feature" needs at 1,000,000 samples
/// without the n × m × d contributions.
///
/// ‖C[i, :, f]‖ = ‖J_u[i] · P[:, f]‖ · |xc[i, f]|, with J_u the Jacobian with respect to the
/// encoder input (m × k), P the PCA components (k × d; the identity without PCA) and
/// xc = x − mean. Given J_u that is O(m·k) per sample. Measured at 1,000,000 samples, m = 2,
/// k = 50, d = 2,000 (release, one core): see `glassbox-bench explorer`.
enum FeatureColumns {
    /// P[:, f] (k values), or nil without PCA (P = I).
    static func projection(of f: Int, model: GlassBoxModel) -> [Float]? {
        guard let pca = model.preprocessing.pca else { return nil }
        let k = pca.componentCount, d = model.featureCount
        return (0..<k).map { Float(pca.components.values[$0 * d + f]) }
    }

    /// ‖C[i, :, f]‖ for `rows`, from Jacobians J_u laid out (rows.count × m × k) at `jacobians`.
    static func contributionL2(
        feature f: Int, rows: Range<Int>, jacobians: UnsafePointer<Float>,
        outputCount m: Int, inputCount k: Int, projection p: [Float]?,
        data: any SampleMatrix, mean: Float
    ) throws -> [Float] {
        let d = data.columnCount
        var out = [Float](repeating: 0, count: rows.count)
        try data.withRows(rows) { x in
            for i in 0..<rows.count {
                let xc = x[i * d + f] - mean
                let jac = jacobians + i * m * k
                var s: Float = 0
                for j in 0..<m {
                    var g: Float = 0
                    if let p {
                        let r = jac + j * k
                        for c in 0..<k { g += r[c] * p[c] }
                    } else {
                        g = jac[j * k + f]
                    }
                    s += g * g
                }
                out[i] = s.squareRoot() * abs(xc)
            }
        }
        return out
    }
}
