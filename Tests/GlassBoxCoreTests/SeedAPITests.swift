import Foundation
import XCTest
@testable import GlassBoxCore

/// The library's front door — the Swift counterparts of upstream's `glass_box_umap.jacobian`
/// functions, on whole arrays — checked one by one against what upstream itself computed on
/// the bundled samples (Fixtures/README.md), each from upstream's own inputs.
final class SeedAPITests: XCTestCase {
    private typealias U = UpstreamFixtureTests

    private func fixture(_ sample: U.Sample, _ name: String) throws -> NPY.Array {
        try ExportSupport.fixture(sample, name)
    }

    /// max |ours − theirs| ≤ 1e-5 · max |theirs| (float32 rounding, as upstream computes in float32).
    private func assertClose<T: BinaryFloatingPoint>(
        _ ours: [T], _ theirs: NPY.Array, _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(ours.count, theirs.values.count, "\(what): size", file: file, line: line)
        let scale = theirs.values.map(abs).max()!
        let worst = zip(ours, theirs.values).map { abs(Double($0) - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, 1e-5 * scale, "\(what): max |Δ| \(worst) vs max |·| \(scale)", file: file, line: line)
    }

    private func matrix(_ a: NPY.Array) -> Matrix<Float> {
        Matrix(rows: a.shape[0], cols: a.shape.dropFirst().reduce(1, *), storage: a.values.map(Float.init))
    }

    func testEachFunctionMatchesUpstream() throws {
        for sample in U.samples {
            let (model, dataset) = try ExportSupport.load(sample)
            let u = matrix(try fixture(sample, "encoder_input"))
            let m = model.outputCount, n = dataset.sampleCount

            // compute_jacobian(model, u) and the encoder's own output at u.
            let jacobian = Jacobian.compute(model.encoder, at: u, batchSize: 128)
            XCTAssertTrue(jacobian.shape == (n, m, u.cols))
            assertClose(jacobian.storage, try fixture(sample, "jacobian"), "\(sample.name) compute_jacobian")
            let z = Jacobian.forward(model.encoder, at: u)
            assertClose(z.storage, try fixture(sample, "embedding"), "\(sample.name) encoder(u)")

            // project_jacobian(J, P), then C = J_feat ⊙ (x − mean) — upstream's compute_contributions.
            let jFeatures: Array3<Float>
            if let pca = model.preprocessing.pca {
                let p = Matrix(rows: pca.componentCount, cols: model.featureCount, storage: pca.components.values.map(Float.init))
                jFeatures = Jacobian.project(jacobian, p)
            } else {
                jFeatures = jacobian
            }
            let x = try dataset.denseValues()
            let mean = model.preprocessing.mean.values.map(Float.init)
            let centred = Matrix(rows: n, cols: x.cols, storage: x.storage.enumerated().map { $1 - mean[$0 % x.cols] })
            let c = Contributions.compute(jacobian: jFeatures, input: centred)
            assertClose(c.storage, try fixture(sample, "contributions"), "\(sample.name) compute_contributions")

            // reduce_contributions(C, "l2").
            let l2 = Contributions.reduce(c, method: .l2)
            XCTAssertEqual(l2.rows, n)
            assertClose(l2.storage, try fixture(sample, "l2"), "\(sample.name) reduce_contributions l2")

            // verify_jacobian(Z, J, u).
            let v = JacobianVerification.verify(z: z, jacobian: jacobian, input: u)
            let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(sample.name)/verification", withExtension: "json"))
            let upstream = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let zRange = try XCTUnwrap(upstream["z_range"] as? [Double])
            let rRange = try XCTUnwrap(upstream["reconstruction_range"] as? [Double])
            XCTAssertEqual(v.sampleCount, upstream["n_samples"] as? Int)
            for (ours, theirs) in [
                (v.zRange.0, zRange[0]), (v.zRange.1, zRange[1]),
                (v.reconstructionRange.0, rRange[0]), (v.reconstructionRange.1, rRange[1]),
            ] {
                XCTAssertEqual(ours, theirs, accuracy: 1e-5 * max(1, abs(theirs)), sample.name)
            }
            // The errors themselves are float32 rounding on both sides: the same order, far below 1e-4.
            XCTAssertLessThan(v.relativeError, 1e-5, sample.name)
            XCTAssertLessThan(try XCTUnwrap(upstream["relative_error"] as? Double), 1e-5, sample.name)
        }
    }

    /// The reduction is the L2 norm over the embedding's components, per sample and feature.
    func testReduceIsTheNormOverComponents() {
        let c = Array3<Double>(shape: (2, 2, 3), storage: [3, 0, 1, 4, -2, 0, 0, 5, -1, 0, 12, 0])
        let l2 = Contributions.reduce(c, method: .l2)
        XCTAssertEqual(l2.storage, [5, 2, 1, 0, 13, 1])
    }
}
