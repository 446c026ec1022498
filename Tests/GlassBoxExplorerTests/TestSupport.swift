import Foundation
import GlassBoxCore
import GlassBoxTUI
import GlassBoxTestSupport
import XCTest
@testable import GlassBoxExplorer

/// Small synthetic models and datasets.
enum Fixtures {
    /// Linear → PReLU → LayerNorm → Linear → PReLU → Linear, optionally behind a PCA.
    static func model(features d: Int, pca k: Int?, hidden h: Int = 8, outputs m: Int = 2, seed: UInt64 = 7) throws -> GlassBoxModel {
        var rng = SplitMix64(seed: seed)
        let input = k ?? d
        let layers = [
            NamedLayer("encoder.model.0", .linear(weight: rng.uniformTensor([h, input], scale: 1 / Double(input).squareRoot()))),
            NamedLayer("encoder.model.1", .prelu(slope: Tensor(shape: [1], scalarType: .float64, values: [0.25]))),
            NamedLayer(
                "encoder.model.2",
                .layerNorm(scale: Tensor(shape: [h], scalarType: .float64, values: Array(repeating: 1, count: h)), eps: 1e-12)),
            NamedLayer("encoder.model.3", .linear(weight: rng.uniformTensor([h, h], scale: 1 / Double(h).squareRoot()))),
            NamedLayer("encoder.model.4", .prelu(slope: Tensor(shape: [1], scalarType: .float64, values: [0.25]))),
            NamedLayer("encoder.model.5", .linear(weight: rng.uniformTensor([m, h], scale: 1 / Double(h).squareRoot()))),
        ]
        let pca = k.map {
            PCAProjection(
                components: rng.uniformTensor([$0, d], scale: 1 / Double(d).squareRoot()), mean: rng.uniformTensor([d], scale: 1e-3))
        }
        return try GlassBoxModel(
            encoder: Encoder(layers: layers), preprocessing: Preprocessing(mean: rng.uniformTensor([d], scale: 0.1), pca: pca))
    }

    /// n samples of d features named "gene0"…, with ids "s1"… and labels cycling through
    /// `groups` names (nil: no labels).
    static func dataset(samples n: Int, features d: Int, groups: [String]? = ["alpha", "beta", "gamma"], seed: UInt64 = 11) -> Dataset {
        var rng = SplitMix64(seed: seed)
        let values = Matrix<Float>(rows: n, cols: d, storage: (0..<(n * d)).map { _ in Float(rng.uniform() * 2) })
        let labels = groups.map { g in GroupLabels(column: "kind", values: (0..<n).map { g[$0 % g.count] }) }
        return Dataset(
            file: "test.csv", featureNames: (0..<d).map { "gene\($0)" }, values: values,
            ids: (0..<n).map { "s\($0 + 1)" }, idColumn: "id", labels: labels)
    }

    static func session(
        samples n: Int = 40, features d: Int = 12, pca k: Int? = 4, outputs m: Int = 2,
        groups: [String]? = ["alpha", "beta", "gamma"], sets gmt: String? = nil
    ) throws -> ExplorerSession {
        let data = dataset(samples: n, features: d, groups: groups)
        let sets = try gmt.map {
            try FeatureSets(FeatureSetFile.parse(Data($0.utf8), file: "sets.gmt", format: .gmt), featureNames: data.featureNames)
        }
        return try ExplorerSession(
            model: model(features: d, pca: k, outputs: m), dataset: data, featureSets: sets,
            modelName: "model.pt", dataName: "test.csv")
    }

    /// Three sets over gene0…gene11 that don't overlap (gene9…gene11 in none), with a set
    /// whose name is long enough to be cut, and a member no feature has.
    static let disjointSets =
        "B cell markers\tna\tgene0\tgene1\tgene2\n"
        + "T cell and natural killer cell cytotoxicity markers\tna\tgene3\tgene4\tgene5\tNOTAGENE\n"
        + "Monocytes\tna\tgene6\tgene7\tgene8\n"
    /// Two sets sharing gene2.
    static let overlappingSets = "first\tna\tgene0\tgene1\tgene2\nsecond\tna\tgene2\tgene3\n"

}

/// A context over explicit points (the reducer's data), for navigation tests.
func context(
    xs: [Float], ys: [Float], ids: [String]? = nil, labels: [String]? = nil, features: [String] = ["CD74", "CD7", "CD79A", "MS4A1", "LYZ"],
    outputs: Int = 2, components: Int? = nil, sets: FeatureSets? = nil, layout: FrameLayout = FrameLayout(),
    listedRows: [Int] = []
) -> ExplorerContext {
    let n = xs.count
    let groups = labels.map { GroupIndex(labels: GroupLabels(column: "kind", values: $0)) }
    return ExplorerContext(
        sampleCount: n, outputCount: outputs, componentCount: components, featureSets: sets, featureNames: features,
        ids: ids ?? (0..<n).map { "s\($0 + 1)" }, groups: groups, spatial: SpatialIndex(x: xs, y: ys),
        layout: layout, defaultFeature: 0, listedRows: listedRows)
}

/// Applies commands in order (their effects are checked with `TestStore`).
func apply(_ commands: [Command], from state: ExplorerState, _ ctx: ExplorerContext) -> ExplorerState {
    commands.reduce(state) { reduce($0, $1, ctx).state }
}

extension Dataset {
    /// Every value as one dense matrix (the datasets in these tests are small).
    var values: Matrix<Float> {
        get { try! denseValues() }
        set { matrix = DenseMatrix(newValue) }
    }
}

extension ExplorerApp where B == TestBackend {
    /// Waits (up to a minute) for the background pass to finish, then draws; no-op without one.
    func awaitBackgroundPass() {
        guard let store = background?.store else { return }
        let deadline = Date(timeIntervalSinceNow: 60)
        while store.progress.phase != .finished && Date() < deadline { usleep(1000) }
        draw()
    }

    /// Presses `keys` in order, waits for the files they write, and draws.
    func press(_ keys: [Key]) {
        for k in keys { handle(.key(k)) }
        waitForWrites()
        draw()
    }
}
