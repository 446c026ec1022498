import Foundation

/// Computes, for a model and a data matrix, everything upstream's `transform`,
/// `compute_jacobian` and `compute_contributions` give — in chunks of bounded memory, in
/// parallel over the cores, with progress and cancellation.
///
/// Preprocessing follows upstream exactly: `xc = x − mean` in the working precision, then
/// sklearn's PCA transform, which computes `xc · Pᵀ − pca.mean · Pᵀ` (sklearn ≥ 1.5 applies
/// the centering after the projection).
public final class ContributionEngine<T: BLASScalar>: @unchecked Sendable {
    public let model: GlassBoxModel
    let encoder: CompiledEncoder<T>
    let mean: [T]
    /// PCA components (k × d) and `pca.mean · Pᵀ` (k).
    let components: [T]?
    let centeredPCAMean: [T]?
    /// With `.setContributions`: the sets whose contributions each sample gets.
    public let featureSets: FeatureSets?

    public var outputCount: Int { encoder.outputWidth }
    public var encoderInputCount: Int { encoder.inputWidth }
    public var featureCount: Int { mean.count }

    /// Samples per BLAS call; every call is made with exactly this many rows (see `compute`).
    /// 96 = 2⁵·3, so 96·m rows divide evenly into every GEMM micro-kernel width in use
    /// (4, 6, 8, 12, 16, 24, 32): no row lands in a differently-rounded tail kernel
    /// (OpenBLAS's Haswell sgemm rounds the last M mod 12 rows differently).
    public let blockSize: Int

    /// `featureSets` (matched to the model's features) lets runs ask for `.setContributions`.
    public init(model: GlassBoxModel, blockSize: Int = 96, featureSets: FeatureSets? = nil) {
        precondition(blockSize > 0)
        precondition(featureSets.map { $0.featureCount == model.featureCount } ?? true, "feature sets for another feature count")
        self.model = model
        self.featureSets = featureSets
        self.blockSize = blockSize
        encoder = CompiledEncoder(model.encoder)
        mean = model.preprocessing.mean.converted()
        if let pca = model.preprocessing.pca {
            let p: [T] = pca.components.converted()
            let pm: [T] = pca.mean.converted()
            let k = pca.componentCount, d = pca.mean.count
            var c = [T](repeating: 0, count: k)
            for i in 0..<k {
                var s: T = 0
                for f in 0..<d { s += pm[f] * p[i * d + f] }
                c[i] = s
            }
            components = p
            centeredPCAMean = c
        } else {
            components = nil
            centeredPCAMean = nil
        }
    }

    /// A chunk size (a multiple of `blockSize`) that keeps one worker's buffers near `budgetBytes`.
    public func defaultChunkSize(budgetBytes: Int = 16 << 20) -> Int {
        let perSample = MemoryLayout<T>.size * (outputCount * (featureCount + 2 * encoderInputCount) + 2 * featureCount + 4 * 256)
        let samples = max(blockSize, min(4096, budgetBytes / max(perSample, 1)))
        return samples / blockSize * blockSize
    }

    /// `xc = x − mean` (b × d) and the encoder input u (b × k) for the samples at `positions`,
    /// whose values start at `values` (row-major, d per row).
    /// With `at`, position p goes to row `p − at` of a block of `blockSize` rows whose other
    /// rows are zero (xc = 0: finite through every layer, and dropped by the caller).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func preprocess(
        values: UnsafePointer<Float>, featureCount d: Int, positions: Range<Int>, at blockStart: Int? = nil
    ) -> (xc: [T], u: [T]) {
        let b = blockStart == nil ? positions.count : blockSize
        let offset = blockStart.map { positions.lowerBound - $0 } ?? 0
        let k = encoderInputCount
        // xc = x − mean (zero-filled only when there are padding rows to keep at zero)
        var xc = b == positions.count ? Self.uninitialized(b * d) : [T](repeating: 0, count: b * d)
        xc.withUnsafeMutableBufferPointer { xp in
            mean.withUnsafeBufferPointer { mp in
                for i in 0..<positions.count {
                    let src = values + i * d
                    let dst = xp.baseAddress! + (offset + i) * d
                    for f in 0..<d { dst[f] = T(src[f]) - mp[f] }
                }
            }
        }
        // u = xc · Pᵀ − pca.mean · Pᵀ   (or u = xc without PCA)
        let u: [T]
        if let components, let centeredPCAMean {
            var v = Self.uninitialized(b * k)
            xc.withUnsafeBufferPointer { xp in
                components.withUnsafeBufferPointer { pp in
                    v.withUnsafeMutableBufferPointer { vp in
                        T.gemm(
                            transA: false, transB: true, m: b, n: k, k: d, alpha: 1,
                            a: xp.baseAddress!, lda: d, b: pp.baseAddress!, ldb: d,
                            beta: 0, c: vp.baseAddress!, ldc: k)
                        for i in 0..<b { for c in 0..<k { vp[i * k + c] -= centeredPCAMean[c] } }
                    }
                }
            }
            u = v
        } else {
            u = xc
        }
        return (xc, u)
    }

    /// The embedding alone (b × m) of the samples at `positions`, whose values start at
    /// `values` — the forward pass without the Jacobian, for drawing the scatter before the
    /// contributions are known.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func embed(values: UnsafePointer<Float>, featureCount d: Int, positions: Range<Int>) -> [T] {
        // Aligned, padded blocks as in `compute`, so the scatter's z equals the later z bit for bit.
        var out: [T] = []
        out.reserveCapacity(positions.count * outputCount)
        let m = outputCount
        for block in alignedBlocks(positions) where !block.isEmpty {
            let start = block.lowerBound / blockSize * blockSize
            let (_, u) = preprocess(
                values: values + (block.lowerBound - positions.lowerBound) * d, featureCount: d,
                positions: block, at: start)
            let z = encoder.forward(u, batch: blockSize, saving: false).output
            out += z[((block.lowerBound - start) * m)..<((block.upperBound - start) * m)]
        }
        return out
    }

    /// The embedding of every row of `data` (n × m, row-major), in parallel chunks. `origin` is
    /// the file row of the matrix's row 0 (see `compute`).
    public func embed(
        _ data: any SampleMatrix, origin: Int = 0, chunkSize: Int? = nil, threads: Int? = nil,
        token: CancellationToken? = nil, progress: ((Int, Int) -> Void)? = nil
    ) throws -> [T] {
        let n = data.rowCount, m = outputCount, d = data.columnCount
        precondition(d == featureCount, "data has \(d) features, model \(featureCount)")
        var out = [T](repeating: 0, count: n * m)
        let size = max(blockSize, (chunkSize ?? blockSize * 8) / blockSize * blockSize)
        try out.withUnsafeMutableBufferPointer { op in
            let base = op.baseAddress!
            try ParallelChunks.run(
                ParallelChunks.split(0..<n, size: size, origin: origin), threads: threads, token: token,
                progress: progress,
                work: { rows in
                    // Chunks are disjoint: each worker writes its own part of `out`.
                    let z = try data.withRows(rows) {
                        embed(values: $0, featureCount: d, positions: (origin + rows.lowerBound)..<(origin + rows.upperBound))
                    }
                    (base + rows.lowerBound * m).update(from: z, count: z.count)
                }, merge: { _, _ in })
        }
        return out
    }

    /// The embedding of every row of a dense matrix.
    public func embed(_ data: Matrix<Float>, chunkSize: Int = 1024) -> [T] {
        try! embed(DenseMatrix(data), chunkSize: chunkSize)  // dense memory cannot fail to read
    }

    /// Computes the samples at `positions` — file rows, which place them in the engine's
    /// aligned blocks — whose values start at `values` (row-major Float32, d per row). The
    /// chunk's `rows` are `positions`.
    ///
    /// Work is done in blocks of exactly `blockSize` samples aligned to multiples of
    /// `blockSize` in the file (partial blocks padded with zero rows), so every BLAS call
    /// has the same shape and every sample the same place in it, whatever the chunking.
    /// GEMM kernels round rows differently by position (OpenBLAS's Haswell sgemm treats
    /// rows 6–11 of every 12 apart), so this is what makes a sample's results bit-identical
    /// however the rows are split — across chunks, threads and `--rows` slices.
    public func compute(
        values: UnsafePointer<Float>, featureCount d: Int, positions: Range<Int>, outputs: EngineOutputs
    ) -> ContributionChunk<T> {
        precondition(d == featureCount, "data has \(d) features, model \(featureCount)")
        let n = positions.count, m = outputCount, k = encoderInputCount
        let wantC = outputs.contains(.contributions)
        let wantPC = outputs.contains(.pcaContributions) && components != nil
        let sets = outputs.contains(.setContributions) ? featureSets : nil
        precondition(sets != nil || !outputs.contains(.setContributions), "set contributions need an engine made with feature sets")
        let width = sets?.count ?? 0
        // Every output is written in place, block by block: no zero-fill, no concatenation.
        var u = Self.uninitialized(n * k), z = Self.uninitialized(n * m)
        var jac = Self.uninitialized(n * m * k), recon = Self.uninitialized(n * m)
        // Set contributions are taken from the feature contributions: computed then, even if not kept.
        var c = wantC || sets != nil ? Self.uninitialized(n * m * d) : [], pc = wantPC ? Self.uninitialized(n * m * k) : []
        var sc = Self.uninitialized(n * m * width)
        func blocks(setScratch: UnsafeMutableRawPointer?) {
            u.withUnsafeMutableBufferPointer { up in
                z.withUnsafeMutableBufferPointer { zp in
                    jac.withUnsafeMutableBufferPointer { jp in
                        recon.withUnsafeMutableBufferPointer { rp in
                            c.withUnsafeMutableBufferPointer { cp in
                                pc.withUnsafeMutableBufferPointer { pcp in
                                    sc.withUnsafeMutableBufferPointer { scp in
                                        for block in alignedBlocks(positions) where !block.isEmpty {
                                            let i = block.lowerBound - positions.lowerBound
                                            computeBlock(
                                                values: values + i * d, featureCount: d, positions: block,
                                                out: BlockOutput(
                                                    u: up.baseAddress! + i * k, z: zp.baseAddress! + i * m,
                                                    jacobian: jp.baseAddress! + i * m * k,
                                                    reconstruction: rp.baseAddress! + i * m,
                                                    contributions: cp.isEmpty ? nil : cp.baseAddress! + i * m * d,
                                                    pcaContributions: wantPC ? pcp.baseAddress! + i * m * k : nil,
                                                    setContributions: sets == nil ? nil : scp.baseAddress! + i * m * width,
                                                    setScratch: setScratch))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if let sets { sets.withScratch(T.self) { blocks(setScratch: $0) } } else { blocks(setScratch: nil) }
        return ContributionChunk(
            rows: positions, outputCount: m, encoderInputCount: k, featureCount: d,
            encoderInput: u, embedding: z, jacobian: jac, reconstruction: recon,
            contributions: wantC ? c : nil, pcaContributions: wantPC ? pc : nil,
            setContributions: sets == nil ? nil : sc)
    }

    /// Computes rows `rows` of `data`, whose row 0 is file row `origin`; the chunk's `rows` are `rows`.
    public func compute(_ data: any SampleMatrix, rows: Range<Int>, origin: Int = 0, outputs: EngineOutputs) throws -> ContributionChunk<T>
    {
        var chunk = try data.withRows(rows) {
            compute(
                values: $0, featureCount: data.columnCount, positions: (origin + rows.lowerBound)..<(origin + rows.upperBound),
                outputs: outputs)
        }
        chunk.rows = rows
        return chunk
    }

    /// Computes rows `rows` of a dense matrix.
    public func compute(_ data: Matrix<Float>, rows: Range<Int>, outputs: EngineOutputs) -> ContributionChunk<T> {
        try! compute(DenseMatrix(data), rows: rows, outputs: outputs)  // dense memory cannot fail to read
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    static func uninitialized(_ count: Int) -> [T] {
        [T](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Where one block's results go (each pointer at the block's first sample).
    struct BlockOutput {
        var u, z, jacobian, reconstruction: UnsafeMutablePointer<T>
        var contributions, pcaContributions: UnsafeMutablePointer<T>?
        /// (b, m, sets) — needs `contributions` — and the room `FeatureSets.apply` works in.
        var setContributions: UnsafeMutablePointer<T>? = nil
        var setScratch: UnsafeMutableRawPointer? = nil
    }

    /// `rows` split at multiples of `blockSize` (one empty range for empty input).
    func alignedBlocks(_ rows: Range<Int>) -> [Range<Int>] {
        guard !rows.isEmpty else { return [rows] }
        var blocks: [Range<Int>] = []
        var start = rows.lowerBound
        while start < rows.upperBound {
            let end = min((start / blockSize + 1) * blockSize, rows.upperBound)
            blocks.append(start..<end)
            start = end
        }
        return blocks
    }

    /// One block: `positions` lie within a single aligned block of `blockSize` samples (their
    /// values start at `values`), computed padded to the whole block and written to `out`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func computeBlock(values: UnsafePointer<Float>, featureCount d: Int, positions: Range<Int>, out: BlockOutput) {
        let b = positions.count, p = blockSize
        let m = outputCount, k = encoderInputCount
        let start = positions.lowerBound / p * p, lead = positions.lowerBound - start
        let (xc, u) = preprocess(values: values, featureCount: d, positions: positions, at: start)
        let (z, saved) = encoder.forward(u, batch: p)
        let jac = encoder.jacobian(saved: saved, batch: p)
        u.withUnsafeBufferPointer { out.u.update(from: $0.baseAddress! + lead * k, count: b * k) }
        z.withUnsafeBufferPointer { out.z.update(from: $0.baseAddress! + lead * m, count: b * m) }
        jac.withUnsafeBufferPointer { out.jacobian.update(from: $0.baseAddress! + lead * m * k, count: b * m * k) }
        let ub = out.u, jb = out.jacobian
        // R = J · u, per sample
        for i in 0..<b {
            for j in 0..<m {
                var s: T = 0
                let row = jb + (i * m + j) * k
                for c in 0..<k { s += row[c] * ub[i * k + c] }
                out.reconstruction[i * m + j] = s
            }
        }
        if let pc = out.pcaContributions {
            for i in 0..<b { for j in 0..<m { for c in 0..<k { pc[(i * m + j) * k + c] = jb[(i * m + j) * k + c] * ub[i * k + c] } } }
        }
        guard let cOut = out.contributions else { return }
        if let components {
            // J_feat = J · P: (p·m × k)(k × d), the dominant GEMM — always on the whole padded
            // block so its shape never changes; straight into the output when the block is full.
            func project(into c: UnsafeMutablePointer<T>) {
                jac.withUnsafeBufferPointer { jp in
                    components.withUnsafeBufferPointer { pp in
                        T.gemm(
                            transA: false, transB: false, m: p * m, n: d, k: k, alpha: 1,
                            a: jp.baseAddress!, lda: k, b: pp.baseAddress!, ldb: d,
                            beta: 0, c: c, ldc: d)
                    }
                }
            }
            if b == p {
                project(into: cOut)
            } else {
                var scratch = Self.uninitialized(p * m * d)
                scratch.withUnsafeMutableBufferPointer { sp in
                    project(into: sp.baseAddress!)
                    cOut.update(from: sp.baseAddress! + lead * m * d, count: b * m * d)
                }
            }
        } else {
            cOut.update(from: jb, count: b * m * k)
        }
        // C = J_feat ⊙ xc; with sets, their contributions every few samples — a multiple of
        // `apply`'s tile of rows — while those rows of C are still in cache.
        let sets = out.setContributions.flatMap { p in featureSets.map { (p, $0, out.setScratch!) } }
        let tile = sets == nil ? b : FeatureSets.tileRows / Self.gcd(FeatureSets.tileRows, m)
        xc.withUnsafeBufferPointer { xp in
            for first in stride(from: 0, to: b, by: tile) {
                let samples = first..<min(first + tile, b)
                for i in samples {
                    let x = xp.baseAddress! + (lead + i) * d
                    for j in 0..<m {
                        let c = cOut + (i * m + j) * d
                        for f in 0..<d { c[f] *= x[f] }
                    }
                }
                if let (setOut, featureSets, scratch) = sets {
                    featureSets.apply(
                        UnsafePointer(cOut + first * m * d), rows: samples.count * m,
                        into: setOut + first * m * featureSets.count, scratch: scratch)
                }
            }
        }
    }

    /// Runs over `rows` of `data` (whose row 0 is file row `origin`) in chunks on `threads`
    /// workers. `sink` receives each chunk — one at a time, in no guaranteed order — and
    /// `progress` the samples done so far. Throws `EngineCancelled` if `token` is cancelled, or
    /// whatever reading the data or `sink` throws (which stops the run).
    public func run(
        _ data: any SampleMatrix, rows: Range<Int>? = nil, origin: Int = 0, outputs: EngineOutputs,
        chunkSize: Int? = nil, threads: Int? = nil, token: CancellationToken? = nil,
        progress: ((Int, Int) -> Void)? = nil,
        sink: (ContributionChunk<T>) throws -> Void
    ) throws {
        let range = rows ?? 0..<data.rowCount
        precondition(range.lowerBound >= 0 && range.upperBound <= data.rowCount)
        // Chunk boundaries at multiples of the size in the file, so that with `--rows` slices
        // the chunks (and the blocks inside them) stay aligned.
        let chunks = ParallelChunks.split(range, size: max(1, chunkSize ?? defaultChunkSize()), origin: origin)
        try ParallelChunks.run(
            chunks, threads: threads, token: token, progress: progress,
            work: { try compute(data, rows: $0, origin: origin, outputs: outputs) },
            merge: { _, chunk in try sink(chunk) })
    }

    /// Runs over `rows` of a dense matrix.
    public func run(
        _ data: Matrix<Float>, rows: Range<Int>? = nil, outputs: EngineOutputs,
        chunkSize: Int? = nil, threads: Int? = nil, token: CancellationToken? = nil,
        progress: ((Int, Int) -> Void)? = nil,
        sink: (ContributionChunk<T>) throws -> Void
    ) throws {
        try run(
            DenseMatrix(data), rows: rows, outputs: outputs, chunkSize: chunkSize, threads: threads, token: token,
            progress: progress, sink: sink)
    }
}

/// What a run produces besides the embedding and Jacobian.
public struct EngineOutputs: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Feature contributions (b, m, d).
    public static let contributions = EngineOutputs(rawValue: 1)
    /// PCA-component contributions (b, m, k), with a PCA model.
    public static let pcaContributions = EngineOutputs(rawValue: 2)
    /// Set contributions (b, m, sets), with an engine made with feature sets.
    public static let setContributions = EngineOutputs(rawValue: 4)
}
