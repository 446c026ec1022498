import Foundation
import GlassBoxCore
import GlassBoxTUI
import XCTest
@testable import GlassBoxExplorer

/// Deterministic random numbers (SplitMix64), as in GlassBoxCoreTests/RandomNetworks.swift.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) * 2 - 1 }
    mutating func tensor(_ shape: [Int], scale: Double = 1) -> Tensor {
        Tensor(shape: shape, scalarType: .float64, values: (0..<shape.reduce(1, *)).map { _ in uniform() * scale })
    }
}

/// Small synthetic models and datasets built by hand (the test targets don't share code).
enum Fixtures {
    /// Linear → PReLU → LayerNorm → Linear → PReLU → Linear, optionally behind a PCA.
    static func model(features d: Int, pca k: Int?, hidden h: Int = 8, outputs m: Int = 2, seed: UInt64 = 7) throws -> GlassBoxModel {
        var rng = SeededRandom(seed: seed)
        let input = k ?? d
        let layers = [
            NamedLayer("encoder.model.0", .linear(weight: rng.tensor([h, input], scale: 1 / Double(input).squareRoot()))),
            NamedLayer("encoder.model.1", .prelu(slope: Tensor(shape: [1], scalarType: .float64, values: [0.25]))),
            NamedLayer("encoder.model.2", .layerNorm(scale: Tensor(shape: [h], scalarType: .float64, values: Array(repeating: 1, count: h)), eps: 1e-12)),
            NamedLayer("encoder.model.3", .linear(weight: rng.tensor([h, h], scale: 1 / Double(h).squareRoot()))),
            NamedLayer("encoder.model.4", .prelu(slope: Tensor(shape: [1], scalarType: .float64, values: [0.25]))),
            NamedLayer("encoder.model.5", .linear(weight: rng.tensor([m, h], scale: 1 / Double(h).squareRoot()))),
        ]
        let pca = k.map { PCAProjection(components: rng.tensor([$0, d], scale: 1 / Double(d).squareRoot()), mean: rng.tensor([d], scale: 1e-3)) }
        return try GlassBoxModel(encoder: Encoder(layers: layers), preprocessing: Preprocessing(mean: rng.tensor([d], scale: 0.1), pca: pca))
    }

    /// n samples of d features named "gene0"…, with ids "s1"… and labels cycling through
    /// `groups` names (nil: no labels).
    static func dataset(samples n: Int, features d: Int, groups: [String]? = ["alpha", "beta", "gamma"], seed: UInt64 = 11) -> Dataset {
        var rng = SeededRandom(seed: seed)
        let values = Matrix<Float>(rows: n, cols: d, storage: (0..<(n * d)).map { _ in Float(rng.uniform() * 2) })
        let labels = groups.map { g in GroupLabels(column: "kind", values: (0..<n).map { g[$0 % g.count] }) }
        return Dataset(file: "test.csv", featureNames: (0..<d).map { "gene\($0)" }, values: values,
                       ids: (0..<n).map { "s\($0 + 1)" }, idColumn: "id", labels: labels)
    }

    static func session(samples n: Int = 40, features d: Int = 12, pca k: Int? = 4, outputs m: Int = 2,
                        groups: [String]? = ["alpha", "beta", "gamma"]) throws -> ExplorerSession {
        try ExplorerSession(model: model(features: d, pca: k, outputs: m), dataset: dataset(samples: n, features: d, groups: groups),
                        modelName: "model.pt", dataName: "test.csv")
    }
}

/// A context over explicit points (the reducer's data), for navigation tests.
func context(xs: [Float], ys: [Float], ids: [String]? = nil, labels: [String]? = nil, features: [String] = ["CD74", "CD7", "CD79A", "MS4A1", "LYZ"],
             outputs: Int = 2, components: Int? = nil, geometry: FrameGeometry = FrameGeometry()) -> ExplorerContext {
    let n = xs.count
    let groups = labels.map { GroupIndex(labels: GroupLabels(column: "kind", values: $0)) }
    return ExplorerContext(sampleCount: n, outputCount: outputs, componentCount: components, featureNames: features,
                           ids: ids ?? (0..<n).map { "s\($0 + 1)" }, groups: groups, spatial: SpatialIndex(x: xs, y: ys),
                           geometry: geometry, defaultFeature: 0)
}

/// Applies commands in order.
func apply(_ commands: [Command], from state: ExplorerState, _ ctx: ExplorerContext) -> ExplorerState {
    commands.reduce(state) { reduce($0, $1, ctx) }
}

/// Renders `widget` into a fresh `width`×`height` buffer.
func render<W: Widget>(_ widget: W, width: Int, height: Int) -> Buffer {
    var buffer = Buffer(area: Rect(width: width, height: height))
    widget.render(in: buffer.area, buffer: &buffer)
    return buffer
}

/// Compares buffer text with expected rows (right-padded to the buffer width). On failure
/// prints the actual rows as Swift literals, ready to paste after review.
func assertLines(_ buffer: Buffer, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
    let actual = buffer.lines()
    let padded = expected.map { $0 + String(repeating: " ", count: max(0, buffer.area.width - TextWidth.width($0))) }
    if actual != padded {
        let shown = actual.map { "    \"\($0)\"," }.joined(separator: "\n")
        XCTFail("buffer text differs; actual:\n\(shown)", file: file, line: line)
    }
}

extension Array where Element == String {
    /// Whether any line contains `text`.
    func containsText(_ text: String) -> Bool { contains { $0.contains(text) } }
}

extension Dataset {
    /// Every value as one dense matrix (the datasets in these tests are small).
    var values: Matrix<Float> { try! denseValues() }
}
