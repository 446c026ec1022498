import XCTest
@testable import GlassBoxCore
import GlassBoxTestSupport

final class ContributionEngineTests: XCTestCase {
    private func fixture(pca: Bool, seed: UInt64 = 1) throws -> (GlassBoxModel, Matrix<Float>) {
        var rng = SplitMix64(seed: seed)
        let d = 40, k = pca ? 12 : 40
        let encoder = try RandomNetworks.deepPReLU(input: k, hidden: 16, layers: 3, rng: &rng)
        let model = try RandomNetworks.model(encoder: encoder, features: d, rng: &rng)
        let x = RandomNetworks.matrix(rows: 257, cols: d, rng: &rng)
        return (model, Matrix(rows: x.rows, cols: d, storage: x.storage.map(Float.init)))
    }

    /// Runs the engine in parallel chunks and stitches the chunks back in row order.
    private func runAll<T: BLASScalar>(
        _ engine: ContributionEngine<T>, _ data: Matrix<Float>, chunk: Int, threads: Int
    ) throws -> [ContributionChunk<T>] {
        var chunks: [ContributionChunk<T>] = []
        try engine.run(data, outputs: [.contributions, .pcaContributions], chunkSize: chunk, threads: threads) { chunks.append($0) }
        return chunks.sorted { $0.rows.lowerBound < $1.rows.lowerBound }
    }

    func testContributionsSumToEmbeddingInDouble() throws {
        for pca in [true, false] {
            let (model, data) = try fixture(pca: pca)
            let engine = ContributionEngine<Double>(model: model)
            let chunks = try runAll(engine, data, chunk: 50, threads: 2)
            XCTAssertEqual(chunks.map(\.count).reduce(0, +), data.rows)
            let pcaMeanShift = model.preprocessing.pca.map { p -> [Double] in
                // Σ_f C = J·P·xc = J·(u + P·pca.mean): the tiny sklearn term math.md mentions.
                (0..<p.componentCount).map { c in
                    (0..<p.mean.count).reduce(0.0) { $0 + p.components.values[c * p.mean.count + $1] * p.mean.values[$1] }
                }
            }
            var verification = VerificationAccumulator()
            for chunk in chunks {
                verification.add(chunk)
                for i in 0..<chunk.count {
                    let s = SampleExplanation(chunk: chunk, index: i)
                    for j in 0..<s.outputCount {
                        var expected = s.embedding[j]
                        if let shift = pcaMeanShift {
                            let jrow = Array(
                                chunk.jacobian[((i * s.outputCount + j) * chunk.encoderInputCount)...].prefix(chunk.encoderInputCount))
                            expected += zip(jrow, shift).map(*).reduce(0, +)
                        }
                        XCTAssertEqual(s.contributionSums[j], expected, accuracy: 1e-11 * max(1, abs(expected)))
                        if let pcaSums = s.pcaTable?.sums {
                            XCTAssertEqual(pcaSums[j], s.reconstruction[j], accuracy: 1e-12 * max(1, abs(s.reconstruction[j])))
                        }
                    }
                }
            }
            XCTAssertLessThanOrEqual(verification.result.relativeError, 1e-12)
            XCTAssertEqual(verification.result.sampleCount, data.rows)
        }
    }

    /// Chunking and threads change nothing: every chunking gives bit-identical results
    /// (the engine pads every BLAS call to the same shape), so `--rows` slices concatenate
    /// to the full export bit for bit.
    func testChunkingAndThreadsDoNotChangeResults() throws {
        let (model, data) = try fixture(pca: true, seed: 2)
        let engine = ContributionEngine<Float>(model: model)
        let reference = try runAll(engine, data, chunk: data.rows, threads: 1)[0]
        XCTAssertEqual(engine.embed(data), reference.embedding)
        let single = engine.compute(data, rows: 100..<101, outputs: [.contributions])
        XCTAssertEqual(single.contributions!, Array(reference.contributions![(100 * 2 * 40)..<(101 * 2 * 40)]))
        for (chunk, threads) in [(1, 2), (7, 2), (64, 1), (100, 3)] {
            let parts = try runAll(engine, data, chunk: chunk, threads: threads)
            XCTAssertEqual(parts.flatMap(\.embedding), reference.embedding)
            XCTAssertEqual(parts.flatMap(\.jacobian), reference.jacobian)
            XCTAssertEqual(parts.flatMap { $0.contributions! }, reference.contributions!)
            XCTAssertEqual(parts.flatMap { $0.pcaContributions! }, reference.pcaContributions!)
            XCTAssertEqual(parts.flatMap(\.reconstruction), reference.reconstruction)
        }
    }

    func testRowRangeProgressAndCancellation() throws {
        let (model, data) = try fixture(pca: false, seed: 3)
        let engine = ContributionEngine<Float>(model: model)
        var seen: [Int] = []
        var progress: [Int] = []
        try engine.run(
            data, rows: 10..<95, outputs: [], chunkSize: 20, threads: 2,
            progress: { done, total in
                XCTAssertEqual(total, 85)
                progress.append(done)
            }
        ) { chunk in
            XCTAssertNil(chunk.contributions)
            seen += Array(chunk.rows)
        }
        XCTAssertEqual(seen.sorted(), Array(10..<95))
        XCTAssertEqual(progress.last, 85)
        XCTAssertEqual(progress, progress.sorted())

        let token = CancellationToken()
        var delivered = 0
        XCTAssertThrowsError(
            try engine.run(data, outputs: [.contributions], chunkSize: 10, threads: 1, token: token) { _ in
                delivered += 1
                if delivered == 3 { token.cancel() }
            }
        ) { XCTAssertTrue($0 is EngineCancelled) }
        XCTAssertEqual(delivered, 3)
    }

    func testEngineMatchesWholeArrayAPI() throws {
        let (model, data) = try fixture(pca: true, seed: 4)
        let engine = ContributionEngine<Double>(model: model)
        let chunk = engine.compute(data, rows: 0..<data.rows, outputs: [.contributions])
        let u = Matrix(rows: data.rows, cols: chunk.encoderInputCount, storage: chunk.encoderInput)
        let jac = Jacobian.compute(model.encoder, at: u, batchSize: 33)
        XCTAssertEqual(jac.storage.count, chunk.jacobian.count)
        for (a, b) in zip(jac.storage, chunk.jacobian) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b))) }
        let p = model.preprocessing.pca!.components
        let jf = Jacobian.project(jac, Matrix(rows: p.shape[0], cols: p.shape[1], storage: p.values))
        let xc = Matrix(
            rows: data.rows, cols: data.cols,
            storage: (0..<data.storage.count).map { Double(data.storage[$0]) - model.preprocessing.mean.values[$0 % data.cols] })
        let c = Contributions.compute(jacobian: jf, input: xc)
        for (a, b) in zip(c.storage, chunk.contributions!) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b))) }
    }
}
