import GlassBoxCore
import GlassBoxTestSupport

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

enum RandomNetworks {
    /// Upstream's default DeepPReLUNet: L hidden layers of Linear → PReLU → (LN unless last) → Dropout, then Linear.
    static func deepPReLU(input: Int, hidden: Int, layers: Int, output: Int = 2, rng: inout SplitMix64) throws -> Encoder {
        var named: [NamedLayer] = []
        var index = 0
        for i in 0..<layers {
            let inDim = i == 0 ? input : hidden
            named.append(
                NamedLayer(
                    "encoder.model.\(index)", .linear(weight: rng.normalTensor([hidden, inDim], scale: 1 / Double(inDim).squareRoot()))));
            index += 1
            named.append(
                NamedLayer(
                    "encoder.model.\(index)",
                    .prelu(slope: Tensor(shape: [1], scalarType: .float64, values: [Double.random(in: 0.05...0.6, using: &rng)]))));
            index += 1
            if i < layers - 1 {
                named.append(
                    NamedLayer(
                        "encoder.model.\(index)",
                        .layerNorm(
                            scale: Tensor(
                                shape: [hidden], scalarType: .float64,
                                values: (0..<hidden).map { _ in Double.random(in: 0.5...1.5, using: &rng) }), eps: 1e-12)));
                index += 1
            }
            named.append(NamedLayer("encoder.model.\(index)", .dropout)); index += 1
        }
        named.append(
            NamedLayer(
                "encoder.model.\(index)", .linear(weight: rng.normalTensor([output, hidden], scale: 1 / Double(hidden).squareRoot()))))
        return try Encoder(layers: named)
    }

    /// Linear → PReLU(per channel) → ResidualMLPBlock(with norms) → ResidualMLPBlock(without) → Linear.
    static func residual(input: Int, width: Int, output: Int = 3, rng: inout SplitMix64) throws -> Encoder {
        func block(norms: Bool) -> Layer {
            let h = width + 3
            return .residual(
                ResidualBlock(
                    fc1: rng.normalTensor([h, width], scale: 0.5 / Double(width).squareRoot()),
                    norm1: norms
                        ? Tensor(shape: [h], scalarType: .float64, values: (0..<h).map { _ in Double.random(in: 0.5...1.5, using: &rng) })
                        : nil,
                    act: Tensor(shape: [1], scalarType: .float64, values: [0.25]),
                    fc2: rng.normalTensor([width, h], scale: 0.5 / Double(h).squareRoot()),
                    norm2: norms
                        ? Tensor(
                            shape: [width], scalarType: .float64, values: (0..<width).map { _ in Double.random(in: 0.5...1.5, using: &rng) }
                        ) : nil))
        }
        return try Encoder(layers: [
            NamedLayer("encoder.model.0", .linear(weight: rng.normalTensor([width, input], scale: 1 / Double(input).squareRoot()))),
            NamedLayer(
                "encoder.model.1",
                .prelu(
                    slope: Tensor(
                        shape: [width], scalarType: .float64, values: (0..<width).map { _ in Double.random(in: 0.05...0.5, using: &rng) }))),
            NamedLayer("encoder.model.2", block(norms: true)),
            NamedLayer("encoder.model.3", block(norms: false)),
            NamedLayer("encoder.model.4", .linear(weight: rng.normalTensor([output, width], scale: 1 / Double(width).squareRoot()))),
        ])
    }

    /// Linear → ResidualMLPBlock(use_norm=False) → PReLU → Linear: no LayerNorm anywhere.
    static func residualWithoutNorms(input: Int, width: Int, output: Int = 2, rng: inout SplitMix64) throws -> Encoder {
        try Encoder(layers: [
            NamedLayer("encoder.model.0", .linear(weight: rng.normalTensor([width, input], scale: 1 / Double(input).squareRoot()))),
            NamedLayer(
                "encoder.model.1",
                .residual(
                    ResidualBlock(
                        fc1: rng.normalTensor([width, width], scale: 0.5), norm1: nil,
                        act: Tensor(shape: [1], scalarType: .float64, values: [0.2]),
                        fc2: rng.normalTensor([width, width], scale: 0.5), norm2: nil))),
            NamedLayer("encoder.model.2", .prelu(slope: Tensor(shape: [1], scalarType: .float64, values: [0.3]))),
            NamedLayer("encoder.model.3", .linear(weight: rng.normalTensor([output, width], scale: 1 / Double(width).squareRoot()))),
        ])
    }

    static func matrix(rows: Int, cols: Int, rng: inout SplitMix64, scale: Double = 1) -> Matrix<Double> {
        Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in rng.normal() * scale })
    }

    /// A model with PCA preprocessing around `encoder` (d features → k PCA components).
    static func model(encoder: Encoder, features d: Int, rng: inout SplitMix64) throws -> GlassBoxModel {
        let k = encoder.inputWidth
        let pca =
            d == k
            ? nil
            : PCAProjection(
                components: rng.normalTensor([k, d], scale: 1 / Double(d).squareRoot()), mean: rng.normalTensor([d], scale: 1e-3))
        return try GlassBoxModel(encoder: encoder, preprocessing: Preprocessing(mean: rng.normalTensor([d], scale: 0.1), pca: pca))
    }
}
