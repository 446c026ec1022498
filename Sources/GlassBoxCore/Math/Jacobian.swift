/// Swift equivalents of upstream's `glass_box_umap.jacobian` functions, on whole arrays.
/// The engine (`ContributionEngine`) does the same work chunk by chunk for large data.
public enum Jacobian {
    /// `compute_jacobian(model, x, batch_size)`: the encoder's Jacobian at each row of `x`
    /// (the encoder input u), shape (n, out, in). Computed analytically, layer by layer.
    public static func compute<T: BLASScalar>(_ encoder: Encoder, at x: Matrix<T>, batchSize: Int = 1024) -> Array3<T> {
        precondition(x.cols == encoder.inputWidth, "input has \(x.cols) columns, encoder takes \(encoder.inputWidth)")
        let compiled = CompiledEncoder<T>(encoder)
        var out: [T] = []
        out.reserveCapacity(x.rows * encoder.outputWidth * x.cols)
        for start in stride(from: 0, to: x.rows, by: max(1, batchSize)) {
            let rows = start..<min(start + batchSize, x.rows)
            let (_, saved) = compiled.forward(Array(x.rows(rows).storage), batch: rows.count)
            out += compiled.jacobian(saved: saved, batch: rows.count)
        }
        return Array3(shape: (x.rows, encoder.outputWidth, x.cols), storage: out)
    }

    /// The encoder's output f(u) for each row (upstream's `encoder(u)`), shape (n, out).
    public static func forward<T: BLASScalar>(_ encoder: Encoder, at x: Matrix<T>) -> Matrix<T> {
        let compiled = CompiledEncoder<T>(encoder)
        let (z, _) = compiled.forward(x.storage, batch: x.rows, saving: false)
        return Matrix(rows: x.rows, cols: encoder.outputWidth, storage: z)
    }

    /// `project_jacobian(J, P)`: `J · P` for every sample, (n, out, k) × (k, d) → (n, out, d).
    public static func project<T: BLASScalar>(_ jacobian: Array3<T>, _ projection: Matrix<T>) -> Array3<T> {
        let (n, m, k) = jacobian.shape
        precondition(projection.rows == k, "projection has \(projection.rows) rows, Jacobian \(k) inputs")
        let d = projection.cols
        var out = [T](repeating: 0, count: n * m * d)
        guard n * m > 0, d > 0, k > 0 else { return Array3(shape: (n, m, d), storage: out) }
        jacobian.storage.withUnsafeBufferPointer { jp in
            projection.storage.withUnsafeBufferPointer { pp in
                out.withUnsafeMutableBufferPointer { op in
                    T.gemm(
                        transA: false, transB: false, m: n * m, n: d, k: k, alpha: 1,
                        a: jp.baseAddress!, lda: k, b: pp.baseAddress!, ldb: d,
                        beta: 0, c: op.baseAddress!, ldc: d)
                }
            }
        }
        return Array3(shape: (n, m, d), storage: out)
    }
}

/// How per-dimension contributions are reduced to one number per feature.
public enum ContributionReduction: String, Sendable {
    /// The L2 norm over the embedding dimensions.
    case l2
}

public enum Contributions {
    /// Gradient × input: `C[i, j, f] = J[i, j, f] · x[i, f]`, shape (n, m, d).
    public static func compute<T: BLASScalar>(jacobian: Array3<T>, input x: Matrix<T>) -> Array3<T> {
        let (n, m, d) = jacobian.shape
        precondition(x.rows == n && x.cols == d)
        var c = jacobian.storage
        for i in 0..<n { for j in 0..<m { for f in 0..<d { c[(i * m + j) * d + f] *= x.storage[i * d + f] } } }
        return Array3(shape: (n, m, d), storage: c)
    }

    /// `reduce_contributions(C, "l2")`: ‖C[i, :, f]‖₂, shape (n, d).
    public static func reduce<T: BLASScalar>(_ c: Array3<T>, method: ContributionReduction = .l2) -> Matrix<T> {
        let (n, m, d) = c.shape
        var out = [T](repeating: 0, count: n * d)
        c.storage.withUnsafeBufferPointer { cp in
            for i in 0..<n {
                for f in 0..<d {
                    var s: T = 0
                    for j in 0..<m { let v = cp[(i * m + j) * d + f]; s += v * v }
                    out[i * d + f] = T.squareRoot(s)
                }
            }
        }
        return Matrix(rows: n, cols: d, storage: out)
    }
}
