import Foundation
import XCTest
@testable import GlassBoxCore

/// The promise glassbox stands on: on the bundled samples, Swift reproduces upstream
/// glass-box-umap 0.1.0's own `transform` and `compute_contributions` (fixtures exported by
/// SampleData/make_samples.py) to float32 rounding, from the same files a user opens.
final class UpstreamFixtureTests: XCTestCase {
    struct Sample {
        let name: String, idColumn: String, labelColumn: String
    }
    static let samples = [
        Sample(name: "pbmc68k", idColumn: "cell", labelColumn: "bulk_labels"),
        Sample(name: "wine", idColumn: "sample", labelColumn: "class"),
    ]

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func fixture(_ sample: String, _ name: String) throws -> NPY.Array {
        let url = try XCTUnwrap(
            Bundle.module.url(forResource: "Fixtures/\(sample)/\(name)", withExtension: "npy"), "missing fixture \(sample)/\(name).npy")
        return try NPY.read(url)
    }

    func load(_ sample: Sample) throws -> (GlassBoxModel, Dataset) {
        let dir = Self.packageRoot.appendingPathComponent("SampleData/\(sample.name)")
        let model = try ModelFile.load(dir.appendingPathComponent("model.pt"))
        let dataset = try CSVDatasetReader.read(
            dir.appendingPathComponent("data.csv"),
            options: CSVReadOptions(labelColumn: sample.labelColumn, idColumn: sample.idColumn),
            expecting: FeatureExpectation(model: model), notes: { _ in })
        return (model, dataset)
    }

    func testEmbeddingAndContributionsMatchUpstreamInFloat32() throws {
        for sample in Self.samples {
            let (model, dataset) = try load(sample)
            let engine = ContributionEngine<Float>(model: model)
            var chunks: [ContributionChunk<Float>] = []
            try engine.run(dataset.values, outputs: [.contributions], chunkSize: 128) { chunks.append($0) }
            chunks.sort { $0.rows.lowerBound < $1.rows.lowerBound }
            let z = chunks.flatMap(\.embedding), c = chunks.flatMap { $0.contributions! }
            let u = chunks.flatMap(\.encoderInput), j = chunks.flatMap(\.jacobian)

            let upstreamZ = try fixture(sample.name, "embedding")
            let upstreamC = try fixture(sample.name, "contributions")
            let upstreamU = try fixture(sample.name, "encoder_input")
            let upstreamJ = try fixture(sample.name, "jacobian")
            XCTAssertEqual(upstreamZ.shape, [dataset.sampleCount, model.outputCount])
            XCTAssertEqual(upstreamC.shape, [dataset.sampleCount, model.outputCount, model.featureCount])

            func assertClose(_ ours: [Float], _ theirs: NPY.Array, _ what: String, relativeTo scaleOverride: Double? = nil) {
                XCTAssertEqual(ours.count, theirs.values.count, "\(sample.name) \(what) size")
                let scale = scaleOverride ?? theirs.values.map(abs).max()!
                let worst = zip(ours, theirs.values).map { abs(Double($0) - $1) }.max()!
                XCTAssertLessThanOrEqual(worst, 1e-5 * scale, "\(sample.name) \(what): max |Δ| \(worst) vs max |·| \(scale)")
            }
            assertClose(u, upstreamU, "encoder input u")
            assertClose(z, upstreamZ, "embedding Z")
            assertClose(j, upstreamJ, "Jacobian")
            assertClose(c, upstreamC, "contributions C")

            // Contributions sum to Z (plus sklearn's pca.mean_ term, which is tiny).
            let m = model.outputCount, d = model.featureCount
            let zScale = upstreamZ.values.map(abs).max()!
            var worstSum = 0.0
            for i in 0..<dataset.sampleCount {
                for jj in 0..<m {
                    let s = c[((i * m + jj) * d)..<((i * m + jj + 1) * d)].reduce(0.0) { $0 + Double($1) }
                    worstSum = max(worstSum, abs(s - Double(z[i * m + jj])))
                }
            }
            XCTAssertLessThanOrEqual(worstSum, 1e-4 * zScale, "\(sample.name): contributions must sum to Z")
        }
    }

    func testVerificationMatchesUpstream() throws {
        for sample in Self.samples {
            let (model, dataset) = try load(sample)
            var acc = VerificationAccumulator()
            try ContributionEngine<Float>(model: model).run(dataset.values, outputs: []) { acc.add($0) }
            let ours = acc.result
            let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(sample.name)/verification", withExtension: "json"))
            let upstream = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let zRange = try XCTUnwrap(upstream["z_range"] as? [Double])
            XCTAssertEqual(ours.sampleCount, upstream["n_samples"] as? Int)
            XCTAssertEqual(ours.zRange.0, zRange[0], accuracy: 1e-5 * abs(zRange[0]))
            XCTAssertEqual(ours.zRange.1, zRange[1], accuracy: 1e-5 * abs(zRange[1]))
            // Both are float32 rounding noise: same order of magnitude, both far below 1e-4.
            let upstreamRelative = try XCTUnwrap(upstream["relative_error"] as? Double)
            XCTAssertLessThan(ours.relativeError, 1e-5)
            XCTAssertLessThan(upstreamRelative, 1e-5)
        }
    }

    func testDoublePrecisionReconstructsTo1e12OnSamples() throws {
        for sample in Self.samples {
            let (model, dataset) = try load(sample)
            var acc = VerificationAccumulator()
            try ContributionEngine<Double>(model: model).run(dataset.values, outputs: []) { acc.add($0) }
            XCTAssertLessThanOrEqual(acc.result.relativeError, 1e-12, sample.name)
            XCTAssertEqual(acc.result.sampleCount, dataset.sampleCount)
        }
    }
}
