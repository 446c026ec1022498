import Foundation
import GlassBoxCore

/// Jacobian + projection + contributions throughput, against this machine's sgemm rate
/// measured in the same run (a large square multi-threaded sgemm: the best BLAS does here).
func runEngineBenchmark(arguments: [String]) {
    let o = BenchOptions(arguments)
    var n = o.int("n", 50_000), d = o.int("d", 2000), k = o.int("pca", 50)
    var h = o.int("hidden", 128), layers = o.int("layers", 3), m = 2
    let threads = o.int("threads", ProcessInfo.processInfo.activeProcessorCount)

    let peak = measureSGEMM(size: 2048)
    print(String(format: "sgemm 2048³ (OpenBLAS, all %d cores): %.1f GFLOP/s", ProcessInfo.processInfo.activeProcessorCount, peak))

    let (model, data) = benchmarkInputs(o, n: n, d: d, k: k, hidden: h, layers: layers, m: m)

    n = data.rows; d = model.featureCount; k = model.pcaComponentCount ?? d; m = model.outputCount
    let linears = model.encoder.layers.compactMap { l -> Tensor? in
        if case .linear(let w) = l.layer { return w }; return nil
    }
    h = linears.first?.shape[0] ?? h; layers = max(1, linears.count - 1)
    // GEMM flops per sample: PCA, forward, backward (m rows), projection J·P; plus the
    // elementwise products (J_feat ⊙ xc, x − mean).
    var flops = 2.0 * Double(d * k) + 2.0 * Double(d)
    var width = k
    for _ in 0..<layers { flops += 2.0 * Double(width * h) * Double(1 + m); width = h }
    flops += 2.0 * Double(h * m) * Double(1 + m)
    flops += 2.0 * Double(m * k * d) + Double(m * d)
    let totalFlops = flops * Double(n)

    for precision in [Precision.single] {
        let engine = ContributionEngine<Float>(model: model)
        var checksum = 0.0
        var seconds = Double.infinity
        // Best of three: the machine is shared, the minimum is the least disturbed run.
        for _ in 0..<o.int("repeat", 3) {
            let start = DispatchTime.now()
            try! engine.run(data, outputs: [.contributions], chunkSize: o.string("chunk").flatMap { Int($0) }, threads: threads) { chunk in
                checksum += Double(chunk.contributions![0])
            }
            seconds = min(seconds, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
        }
        let gflops = totalFlops / seconds / 1e9
        print(
            String(
                format:
                    "engine (%@, n=%d d=%d pca=%d hidden=%d×%d, %d threads): %.2f s, %.0f samples/s, %.1f GFLOP/s = %.0f%% of sgemm (checksum %.3g)",
                precision.rawValue, n, d, k, h, layers, threads, seconds, Double(n) / seconds, gflops, 100 * gflops / peak, checksum))
    }
}

/// `--model` and `--data` (the first n rows) when given — the same files as the upstream
/// comparison (scripts/bench_engine.py) — else a synthetic model and n × d random values.
func benchmarkInputs(_ o: BenchOptions, n: Int, d: Int, k: Int, hidden h: Int, layers: Int, m: Int) -> (GlassBoxModel, Matrix<Float>) {
    if let modelPath = o.string("model"), let dataPath = o.string("data") {
        let model = try! ModelFile.load(URL(fileURLWithPath: modelPath))
        let dataset = try! CSVDatasetReader.read(
            URL(fileURLWithPath: dataPath), options: CSVReadOptions(),
            expecting: FeatureExpectation(model: model), notes: { _ in })
        return (model, try! dataset.denseValues().rows(0..<min(n, dataset.sampleCount)))
    }
    var state: UInt32 = 12345
    // A cheap LCG: generating 100M values must not dominate the run.
    let data = Matrix<Float>(
        rows: n, cols: d,
        storage: (0..<(n * d)).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(state >> 8) / Float(1 << 23) - 1
        })
    return (syntheticModel(d: d, k: k, hidden: h, layers: layers, m: m), data)
}

func measureSGEMM(size s: Int) -> Double {
    BLASThreads.useAllCores()
    defer { BLASThreads.useSingleThreadPerCall() }
    let a = [Float](repeating: 0.5, count: s * s), b = [Float](repeating: 0.25, count: s * s)
    var c = [Float](repeating: 0, count: s * s)
    var best = 0.0
    for _ in 0..<4 {
        let start = DispatchTime.now()
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    Float.gemm(
                        transA: false, transB: false, m: s, n: s, k: s, alpha: 1, a: ap.baseAddress!, lda: s,
                        b: bp.baseAddress!, ldb: s, beta: 0, c: cp.baseAddress!, ldc: s)
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        best = max(best, 2.0 * Double(s * s * s) / seconds / 1e9)
    }
    return best
}

/// Upstream's default DeepPReLUNet shape with random weights, and a random PCA.
func syntheticModel(d: Int, k: Int, hidden h: Int, layers: Int, m: Int) -> GlassBoxModel {
    var rng = SystemRandomNumberGenerator()
    func t(_ shape: [Int], _ scale: Double) -> Tensor {
        Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in Double(Float(Double.random(in: -scale...scale, using: &rng))) })
    }
    var named: [NamedLayer] = []
    var width = k
    for i in 0..<layers {
        named.append(NamedLayer("encoder.model.\(named.count)", .linear(weight: t([h, width], 1 / Double(width).squareRoot()))))
        named.append(NamedLayer("encoder.model.\(named.count)", .prelu(slope: Tensor(shape: [1], values: [0.25]))))
        if i < layers - 1 {
            named.append(
                NamedLayer(
                    "encoder.model.\(named.count)", .layerNorm(scale: Tensor(shape: [h], values: Array(repeating: 1, count: h)), eps: 1e-12)
                ))
        }
        named.append(NamedLayer("encoder.model.\(named.count)", .dropout))
        width = h
    }
    named.append(NamedLayer("encoder.model.\(named.count)", .linear(weight: t([m, h], 1 / Double(h).squareRoot()))))
    let pca = k == d ? nil : PCAProjection(components: t([k, d], 1 / Double(d).squareRoot()), mean: t([d], 1e-3))
    return try! GlassBoxModel(encoder: Encoder(layers: named), preprocessing: Preprocessing(mean: t([d], 0.1), pca: pca))
}
