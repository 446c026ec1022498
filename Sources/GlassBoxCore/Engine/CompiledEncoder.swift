/// An `Encoder` with its weights converted once to the working precision `T`, able to run a
/// batch forward and to back-propagate the exact Jacobian of the whole batch.
///
/// The Jacobian is built in reverse mode as row vectors: with m outputs, each sample carries an
/// m × width block G, starting from the last Linear weight. Walking the layers backwards,
/// Linear is `G ← G · W` — one GEMM for the whole batch, which is where the time goes — and
/// PReLU and the detached LayerNorm are cheap row-wise updates. This is the same product
/// `J_L ⋯ J_1` that upstream's `vmap(jacrev)` forms, computed analytically.
struct CompiledEncoder<T: BLASScalar>: @unchecked Sendable {
    indirect enum Op {
        case linear(weight: [T], out: Int, inp: Int)
        case prelu(slopes: [T])
        case layerNorm(scale: [T], eps: T)
        case residual(ops: [Op], width: Int)
    }

    let ops: [Op]
    let inputWidth: Int
    let outputWidth: Int

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    init(_ encoder: Encoder) {
        func compile(_ layer: Layer) -> [Op] {
            switch layer {
            case .linear(let w): return [.linear(weight: w.converted(), out: w.shape[0], inp: w.shape[1])]
            case .prelu(let a): return [.prelu(slopes: a.converted())]
            case .layerNorm(let s, let eps): return [.layerNorm(scale: s.converted(), eps: T(eps))]
            case .dropout: return []
            case .residual(let b):
                var inner: [Op] = compile(.linear(weight: b.fc1))
                if let n1 = b.norm1 { inner += compile(.layerNorm(scale: n1, eps: b.eps)) }
                inner += compile(.prelu(slope: b.act))
                inner += compile(.linear(weight: b.fc2))
                if let n2 = b.norm2 { inner += compile(.layerNorm(scale: n2, eps: b.eps)) }
                return [.residual(ops: inner, width: b.dim)]
            }
        }
        ops = encoder.layers.flatMap { compile($0.layer) }
        inputWidth = encoder.inputWidth
        outputWidth = encoder.outputWidth
    }

    /// What the backward pass needs from the forward pass of one op.
    enum Saved {
        case none
        case factors([T])  // PReLU: 1 or slope, per element (batch × width)
        case inverseStd([T], [T])  // LayerNorm: 1/sqrt(var+eps) per row, and the scale
        case residual([Saved])
    }

    /// Runs `u` (batch × inputWidth, row-major) forward. Returns the output (batch × outputWidth)
    /// and, when `saving`, what `backward` needs.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ u: [T], batch: Int, saving: Bool = true) -> (output: [T], saved: [Saved]) {
        var h = u
        var width = inputWidth
        var saved: [Saved] = []
        saved.reserveCapacity(ops.count)
        Self.run(ops, &h, &width, batch, saving, &saved)
        return (h, saved)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    private static func run(_ ops: [Op], _ h: inout [T], _ width: inout Int, _ batch: Int, _ saving: Bool, _ saved: inout [Saved]) {
        for op in ops {
            switch op {
            case let .linear(w, out, inp):
                precondition(inp == width)
                // GEMM overwrites every element (beta = 0): no need to zero-fill first.
                let y = [T](unsafeUninitializedCapacity: batch * out) { yp, count in
                    h.withUnsafeBufferPointer { hp in
                        w.withUnsafeBufferPointer { wp in
                            T.gemm(
                                transA: false, transB: true, m: batch, n: out, k: inp, alpha: 1,
                                a: hp.baseAddress!, lda: inp, b: wp.baseAddress!, ldb: inp,
                                beta: 0, c: yp.baseAddress!, ldc: out)
                        }
                    }
                    count = batch * out
                }
                h = y
                width = out
                if saving { saved.append(.none) }
            case .prelu(let slopes):
                let w = width
                let n = h.count
                var factors = saving ? Self.uninitialized(n) : []
                h.withUnsafeMutableBufferPointer { hp in
                    slopes.withUnsafeBufferPointer { sp in
                        factors.withUnsafeMutableBufferPointer { fp in
                            Self.prelu(hp.baseAddress!, factors: saving ? fp.baseAddress! : nil, slopes: sp, batch: batch, width: w)
                        }
                    }
                }
                if saving { saved.append(.factors(factors)) }
            case let .layerNorm(scale, eps):
                var inv = [T](repeating: 0, count: batch)
                let w = width
                h.withUnsafeMutableBufferPointer { hp in
                    scale.withUnsafeBufferPointer { sp in
                        let s = sp.baseAddress!
                        for b in 0..<batch {
                            let row = hp.baseAddress! + b * w
                            var sum: T = 0
                            for c in 0..<w { sum += row[c] }
                            let mean = sum / T(w)
                            var sq: T = 0
                            for c in 0..<w { let d = row[c] - mean; sq += d * d }
                            let r = 1 / T.squareRoot(sq / T(w) + eps)
                            inv[b] = r
                            for c in 0..<w { row[c] = s[c] * ((row[c] - mean) * r) }
                        }
                    }
                }
                if saving { saved.append(.inverseStd(inv, scale)) }
            case let .residual(inner, _):
                let skip = h
                var innerSaved: [Saved] = []
                var innerWidth = width
                run(inner, &h, &innerWidth, batch, saving, &innerSaved)
                precondition(innerWidth == width)
                for i in 0..<h.count { h[i] += skip[i] }
                if saving { saved.append(.residual(innerSaved)) }
            }
        }
    }

    /// torch's leaky_relu: `x if x > 0 else slope·x`, and its gradient `1 or slope`. Written
    /// branch-free (a select, then a multiply by 1 or the slope, which is exact) so it
    /// vectorizes: signs are random, and a branch per element mispredicts half the time.
    @inline(__always)
    private static func prelu(
        _ x: UnsafeMutablePointer<T>, factors f: UnsafeMutablePointer<T>?, slopes: UnsafeBufferPointer<T>, batch: Int, width w: Int
    ) {
        if slopes.count == 1 {
            let a = slopes[0]
            let n = batch * w
            if let f {
                for i in 0..<n { let g: T = x[i] > 0 ? 1 : a; f[i] = g; x[i] *= g }
            } else {
                for i in 0..<n { let g: T = x[i] > 0 ? 1 : a; x[i] *= g }
            }
        } else {
            let s = slopes.baseAddress!
            for b in 0..<batch {
                let row = x + b * w
                let frow = f.map { $0 + b * w }
                for c in 0..<w {
                    let g: T = row[c] > 0 ? 1 : s[c]
                    frow?[c] = g
                    row[c] *= g
                }
            }
        }
    }

    static func uninitialized(_ count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// The Jacobian of the output with respect to the input for every sample of the batch,
    /// as rows: returns (batch · outputWidth) × inputWidth, i.e. numpy's (batch, m, in) C order.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func jacobian(saved: [Saved], batch: Int) -> [T] {
        let m = outputWidth
        // G starts as I_m per sample; the first Linear met going backwards turns it into W.
        var g = [T](repeating: 0, count: batch * m * m)
        for b in 0..<batch { for j in 0..<m { g[(b * m + j) * m + j] = 1 } }
        var width = m
        Self.back(ops, saved, &g, &width, batch: batch, m: m)
        precondition(width == inputWidth)
        return g
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    private static func back(_ ops: [Op], _ saved: [Saved], _ g: inout [T], _ width: inout Int, batch: Int, m: Int) {
        let rows = batch * m
        for (op, s) in zip(ops, saved).reversed() {
            switch (op, s) {
            case let (.linear(w, out, inp), _):
                precondition(out == width)
                let next = [T](unsafeUninitializedCapacity: rows * inp) { np, count in
                    g.withUnsafeBufferPointer { gp in
                        w.withUnsafeBufferPointer { wp in
                            T.gemm(
                                transA: false, transB: false, m: rows, n: inp, k: out, alpha: 1,
                                a: gp.baseAddress!, lda: out, b: wp.baseAddress!, ldb: inp,
                                beta: 0, c: np.baseAddress!, ldc: inp)
                        }
                    }
                    count = rows * inp
                }
                g = next
                width = inp
            case let (.prelu, .factors(f)):
                let w = width
                g.withUnsafeMutableBufferPointer { gp in
                    f.withUnsafeBufferPointer { fp in
                        for b in 0..<batch {
                            let frow = fp.baseAddress! + b * w
                            for j in 0..<m {
                                let grow = gp.baseAddress! + (b * m + j) * w
                                for c in 0..<w { grow[c] *= frow[c] }
                            }
                        }
                    }
                }
            case let (.layerNorm, .inverseStd(inv, scale)):
                // g · diag(s/σ) · (I − 11ᵀ/w): scale, then remove the row mean.
                let w = width
                g.withUnsafeMutableBufferPointer { gp in
                    scale.withUnsafeBufferPointer { sp in
                        let s = sp.baseAddress!
                        for b in 0..<batch {
                            let r = inv[b]
                            for j in 0..<m {
                                let grow = gp.baseAddress! + (b * m + j) * w
                                var sum: T = 0
                                for c in 0..<w { let v = grow[c] * (s[c] * r); grow[c] = v; sum += v }
                                let mean = sum / T(w)
                                for c in 0..<w { grow[c] -= mean }
                            }
                        }
                    }
                }
            case let (.residual(inner, _), .residual(innerSaved)):
                // g · (I + J_inner) = g + g · J_inner
                var branch = g
                var innerWidth = width
                back(inner, innerSaved, &branch, &innerWidth, batch: batch, m: m)
                precondition(innerWidth == width)
                for i in 0..<g.count { g[i] += branch[i] }
            default:
                preconditionFailure("saved state does not match the op")
            }
        }
    }
}
