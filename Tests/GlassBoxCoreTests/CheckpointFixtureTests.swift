import Foundation
import XCTest
@testable import GlassBoxCore

/// Real checkpoints written by upstream's `GlassBoxUMAP.save` (see
/// Fixtures/checkpoints/make_checkpoints.py), checked for structure and numerically.
final class CheckpointFixtureTests: XCTestCase {
    private func load(_ name: String) throws -> GlassBoxModel {
        try TorchCheckpoint.load(contentsOf: try CheckpointFixtures.url(name + ".pt"))
    }

    /// The loaded weights reproduce upstream's embedding: exactly (up to summation order)
    /// against torch's float64 evaluation, closely against upstream's float32 `transform`.
    private func assertForward(
        _ model: GlassBoxModel, _ expectedName: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let expected = try CheckpointFixtures.expected(expectedName)
        for (row, x) in expected.x.enumerated() {
            let z = CheckpointForward.embed(model, x)
            XCTAssertEqual(z.count, expected.z[row].count, file: file, line: line)
            for (a, b) in zip(z, expected.z[row]) {
                XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b)), "row \(row)", file: file, line: line)
            }
            if let zt = expected.zTransform?[row] {
                for (a, b) in zip(z, zt) {
                    XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b)), "row \(row) vs transform", file: file, line: line)
                }
            }
        }
    }

    private func layerSummary(_ model: GlassBoxModel) -> [String] {
        model.encoder.layers.map { "\($0.name):\($0.layer.name)" }
    }

    func testDefaultEncoderWithPCA() throws {
        let model = try load("default_pca")
        XCTAssertEqual(
            layerSummary(model),
            [
                "encoder.model.0:Linear", "encoder.model.1:PReLU", "encoder.model.2:LayerNormDetached", "encoder.model.3:Dropout",
                "encoder.model.4:Linear", "encoder.model.5:PReLU", "encoder.model.6:LayerNormDetached", "encoder.model.7:Dropout",
                "encoder.model.8:Linear", "encoder.model.9:PReLU", "encoder.model.10:Dropout", "encoder.model.11:Linear",
            ])
        XCTAssertEqual(model.featureCount, 10)
        XCTAssertEqual(model.pcaComponentCount, 5)
        XCTAssertEqual(model.outputCount, 2)
        XCTAssertEqual(model.inputDims, [5])
        XCTAssertEqual(model.encoder.inputWidth, 5)
        if case .linear(let w) = model.encoder.layers[0].layer {
            XCTAssertEqual(w.shape, [8, 5])
            XCTAssertEqual(w.scalarType, .float32)
        } else {
            XCTFail("first layer is not Linear")
        }
        if case .layerNorm(_, let eps) = model.encoder.layers[2].layer { XCTAssertEqual(eps, 1e-12) }
        XCTAssertEqual(model.preprocessing.pca?.components.shape, [5, 10])
        XCTAssertEqual(model.preprocessing.pca?.components.scalarType, .float32)
        XCTAssertEqual(model.preprocessing.mean.shape, [10])

        // Attributes, in upstream's order and with Python types.
        XCTAssertEqual(
            model.attributes.map(\.key),
            [
                "n_neighbors", "min_dist", "metric", "n_components", "negative_sample_rate", "repulsion_strength",
                "pca_components", "encoder_name", "encoder_kwargs", "lr", "epochs", "batch_size", "num_batches",
                "num_workers", "checkpoint_dir", "restore_best_weights", "random_state", "quiet",
            ])
        XCTAssertEqual(model.attribute("n_neighbors"), .int(5))
        XCTAssertEqual(model.attribute("min_dist"), .double(0.1))
        XCTAssertEqual(model.attribute("metric"), .string("euclidean"))
        XCTAssertEqual(model.attribute("encoder_kwargs"), .dict([("hidden_size", .int(8)), ("n_hidden_layers", .int(3))]))
        XCTAssertEqual(model.attribute("checkpoint_dir"), AttributeValue.none)
        XCTAssertEqual(model.attribute("restore_best_weights"), .bool(true))
        try assertForward(model, "default_pca")
    }

    func testNumpyCoreSpellingLoadsTheSameModel() throws {
        XCTAssertEqual(try load("numpy_core"), try load("default_pca"))
    }

    func testOneHiddenLayerWithoutPCAAndPathAttribute() throws {
        let model = try load("one_hidden")
        XCTAssertEqual(
            layerSummary(model), ["encoder.model.0:Linear", "encoder.model.1:PReLU", "encoder.model.2:Dropout", "encoder.model.3:Linear"])
        XCTAssertNil(model.preprocessing.pca)
        XCTAssertEqual(model.featureCount, 7)
        XCTAssertEqual(model.attribute("checkpoint_dir"), .string("/tmp/glassbox-ckpts/run1"))
        try assertForward(model, "one_hidden")
    }

    func testPickleProtocol4() throws {
        let model = try load("protocol4")
        XCTAssertEqual(model, try load("one_hidden"))
        try assertForward(model, "one_hidden")
    }

    func testFloat64() throws {
        let model = try load("float64")
        XCTAssertTrue(model.encoder.layers.flatMap(\.layer.tensors).allSatisfy { $0.scalarType == .float64 })
        XCTAssertEqual(model.preprocessing.pca?.components.scalarType, .float64)
        XCTAssertEqual(model.preprocessing.mean.scalarType, .float64)
        try assertForward(model, "float64")
    }

    func testFloat16() throws {
        let model = try load("float16")
        XCTAssertTrue(model.encoder.layers.flatMap(\.layer.tensors).allSatisfy { $0.scalarType == .float16 })
        XCTAssertEqual(model.preprocessing.mean.scalarType, .float16)
        try assertForward(model, "float16")
    }

    func testMixedBFloat16AndBigEndianMean() throws {
        let model = try load("mixed_bfloat16")
        let types = model.encoder.layers.compactMap { $0.layer.tensors.first?.scalarType }
        XCTAssertEqual(types, [.bfloat16, .float32, .float64, .bfloat16, .bfloat16, .bfloat16])
        XCTAssertEqual(model.preprocessing.mean.scalarType, .float64)
        try assertForward(model, "mixed_bfloat16")
    }

    func testResidualCustomEncoder() throws {
        let model = try load("residual")
        XCTAssertEqual(
            layerSummary(model),
            [
                "encoder.0:Linear", "encoder.1:PReLU", "encoder.2:ResidualMLPBlock",
                "encoder.3:ResidualMLPBlock", "encoder.4:Linear",
            ])
        guard case .residual(let withNorms) = model.encoder.layers[2].layer,
            case .residual(let withoutNorms) = model.encoder.layers[3].layer,
            case .prelu(let slopes) = model.encoder.layers[1].layer
        else { return XCTFail("unexpected layers") }
        XCTAssertEqual(withNorms.fc1.shape, [12, 8])
        XCTAssertNotNil(withNorms.norm1)
        XCTAssertNotNil(withNorms.norm2)
        XCTAssertNil(withoutNorms.norm1)
        XCTAssertNil(withoutNorms.norm2)
        XCTAssertEqual(slopes.count, 8)  // per-channel PReLU
        XCTAssertEqual(model.outputCount, 3)
        try assertForward(model, "residual")
    }

    func testBiasIsRefused() throws {
        assertCheckpointError(["bias.pt", "encoder.model.0.bias", "has a bias term", "f(x) = J(x)·x"]) {
            _ = try load("bias")
        }
    }

    func testConvolutionalEncoderIsRefused() throws {
        assertCheckpointError(["conv.pt", "encoder_name", "convolutional encoders are not supported"]) {
            _ = try load("conv")
        }
    }

    func testLoadFromDataMatchesLoadFromFile() throws {
        let fromData = try TorchCheckpoint.load(data: try CheckpointFixtures.data("residual.pt"), fileName: "residual.pt")
        XCTAssertEqual(fromData, try load("residual"))
    }

    func testFormatSniffing() throws {
        XCTAssertTrue(TorchCheckpoint.isTorchCheckpoint(try CheckpointFixtures.url("default_pca.pt")))
        XCTAssertFalse(TorchCheckpoint.isTorchCheckpoint(try CheckpointFixtures.url("default_pca.json")))
        XCTAssertFalse(TorchCheckpoint.isTorchCheckpoint(URL(fileURLWithPath: "/nonexistent/model.pt")))
    }

    func testHandMadeCheckpointLoads() throws {
        let model = try TorchCheckpoint.load(data: HandMadeCheckpoint().zip, fileName: "hand.pt")
        XCTAssertEqual(
            layerSummary(model), ["encoder.model.0:Linear", "encoder.model.1:PReLU", "encoder.model.2:Dropout", "encoder.model.3:Linear"])
        XCTAssertEqual(model.attribute("checkpoint_dir"), .string("/tmp/ck"))
        XCTAssertEqual(model.preprocessing.mean.values, [0.5, -0.5, 1])
        XCTAssertEqual(model.inputDims, [3])
    }

    func testTransposedViewIsGathered() throws {
        // Storage holds Wᵀ (3×2 row-major); the view (2, 3) with stride (1, 2) reads W.
        var ck = HandMadeCheckpoint()
        ck.storage0 = HandMadeCheckpoint.floats([1, -1, 2, 0.5, 3, 0.25])
        ck.w0View = (6, [2, 3], [1, 2], 0)
        let model = try TorchCheckpoint.load(data: ck.zip, fileName: "t.pt")
        guard case .linear(let w) = model.encoder.layers[0].layer else { return XCTFail() }
        XCTAssertEqual(w.values, [1, 2, 3, -1, 0.5, 0.25])
    }

    func testFortranOrderPCAAndWhitenRefusal() throws {
        func pca(whiten: Bool) -> (inout PickleWriter) -> Void {
            { p in
                p.global("sklearn.decomposition._pca", "PCA"); p.emptyTuple(); p.newObj()
                p.emptyDict(); p.mark()
                p.string("whiten"); p.bool(whiten)
                // components_ (3, 3) in Fortran order: column-major bytes of [[1,2,3],[4,5,6],[7,8,9]].
                p.string("components_"); p.ndarray([1, 4, 7, 2, 5, 8, 3, 6, 9], shape: [3, 3], fortran: true)
                p.string("mean_"); p.ndarray([0, 0, 0], shape: [3])
                p.setItems()
                p.build()
            }
        }
        var ck = HandMadeCheckpoint()
        ck.pca = pca(whiten: false)
        let model = try TorchCheckpoint.load(data: ck.zip, fileName: "pca.pt")
        XCTAssertEqual(model.preprocessing.pca?.components.values, [1, 2, 3, 4, 5, 6, 7, 8, 9])
        ck.pca = pca(whiten: true)
        assertCheckpointError(["pca.whiten", "not supported", "upstream never sets it"]) {
            _ = try TorchCheckpoint.load(data: ck.zip, fileName: "pca.pt")
        }
    }

    func testHalfAndBFloat16Decoding() {
        XCTAssertEqual(TorchTensorView.halfToDouble(0x3C00), 1)
        XCTAssertEqual(TorchTensorView.halfToDouble(0xC000), -2)
        XCTAssertEqual(TorchTensorView.halfToDouble(0x7BFF), 65504)
        XCTAssertEqual(TorchTensorView.halfToDouble(0x0001), 0x1p-24)  // smallest subnormal
        XCTAssertEqual(TorchTensorView.halfToDouble(0x03FF), 1023 * 0x1p-24)  // largest subnormal
        XCTAssertEqual(TorchTensorView.halfToDouble(0x3555), 0x1.554p-2)
        XCTAssertEqual(TorchTensorView.halfToDouble(0x7C00), .infinity)
        XCTAssertTrue(TorchTensorView.halfToDouble(0x7E00).isNaN)
        XCTAssertEqual(TorchTensorView.halfToDouble(0x8000).sign, .minus)
        XCTAssertEqual(TorchTensorView.bfloat16ToDouble(0x3F80), 1)
        XCTAssertEqual(TorchTensorView.bfloat16ToDouble(0xC0A0), -5)
    }
}
