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
        case factors([T])               // PReLU: 1 or slope, per element (batch × width)
        case inverseStd([T], [T])       // LayerNorm: 1/sqrt(var+eps) per row, and the scale
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
                var y = [T](repeating: 0, count: batch * out)
                h.withUnsafeBufferPointer { hp in
                    w.withUnsafeBufferPointer { wp in
                        y.withUnsafeMutableBufferPointer { yp in
                            T.gemm(transA: false, transB: true, m: batch, n: out, k: inp, alpha: 1,
                                   a: hp.baseAddress!, lda: inp, b: wp.baseAddress!, ldb: inp,
                                   beta: 0, c: yp.baseAddress!, ldc: out)
                        }
                    }
                }
                h = y
                width = out
                if saving { saved.append(.none) }
            case .prelu(let slopes):
                let perChannel = slopes.count > 1
                var factors = saving ? [T](repeating: 1, count: h.count) : []
                let w = width
                h.withUnsafeMutableBufferPointer { hp in
                    factors.withUnsafeMutableBufferPointer { fp in
                        for i in 0..<hp.count where !(hp[i] > 0) {
                            // torch's leaky_relu: x if x > 0 else slope·x (and gradient likewise).
                            let a = perChannel ? slopes[i % w] : slopes[0]
                            hp[i] *= a
                            if saving { fp[i] = a }
                        }
                    }
                }
                if saving { saved.append(.factors(factors)) }
            case let .layerNorm(scale, eps):
                var inv = [T](repeating: 0, count: batch)
                let w = width
                h.withUnsafeMutableBufferPointer { hp in
                    for b in 0..<batch {
                        let row = UnsafeMutableBufferPointer(rebasing: hp[(b * w)..<((b + 1) * w)])
                        var sum: T = 0
                        for v in row { sum += v }
                        let mean = sum / T(w)
                        var sq: T = 0
                        for v in row { let d = v - mean; sq += d * d }
                        let r = 1 / T.squareRoot(sq / T(w) + eps)
                        inv[b] = r
                        for c in 0..<w { row[c] = scale[c] * ((row[c] - mean) * r) }
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
                var next = [T](repeating: 0, count: rows * inp)
                g.withUnsafeBufferPointer { gp in
                    w.withUnsafeBufferPointer { wp in
                        next.withUnsafeMutableBufferPointer { np in
                            T.gemm(transA: false, transB: false, m: rows, n: inp, k: out, alpha: 1,
                                   a: gp.baseAddress!, lda: out, b: wp.baseAddress!, ldb: inp,
                                   beta: 0, c: np.baseAddress!, ldc: inp)
                        }
                    }
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
                    for b in 0..<batch {
                        let r = inv[b]
                        for j in 0..<m {
                            let grow = gp.baseAddress! + (b * m + j) * w
                            var sum: T = 0
                            for c in 0..<w { let v = grow[c] * (scale[c] * r); grow[c] = v; sum += v }
                            let mean = sum / T(w)
                            for c in 0..<w { grow[c] -= mean }
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
