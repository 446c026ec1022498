import Foundation

/// One encoder parameter from a state dict: its full key and shape (values are read later).
struct EncoderParameter: Sendable {
    var key: String
    var shape: [Int]
}

/// Recovers the encoder's layer sequence from state-dict keys alone, since a checkpoint
/// stores weights but not the module classes.
///
/// Understood: an `nn.Sequential` (under `encoder.` or `encoder.<path>.`) of `Linear` (2-D
/// `weight`), `VmapPReLU` (1-D `weight`), `LayerNormDetached` (`scale`) and upstream's
/// `ResidualMLPBlock` (`fc1`, `norm1`, `act`, `fc2`, `norm2`). Parameterless modules leave
/// gaps in the indices; for upstream's default `DeepPReLUNet` we know they are Dropout, for
/// any other encoder their type is unknowable, so gaps are refused there.
enum EncoderArchitecture {
    static let maxModuleIndex = 10_000

    private enum Kind: Equatable {
        case linear, prelu, layerNorm, residual, gap

        var name: String {
            switch self {
            case .linear: return "Linear"
            case .prelu: return "PReLU"
            case .layerNorm: return "LayerNormDetached"
            case .residual: return "ResidualMLPBlock"
            case .gap: return "Dropout (no parameters)"
            }
        }
    }

    private static let residualRequired: Set<String> = ["fc1.weight", "fc2.weight", "act.weight"]
    private static let residualOptional: Set<String> = ["norm1.scale", "norm2.scale"]

    /// - Parameters:
    ///   - parameters: the state dict's `encoder.*` entries, in file order.
    ///   - encoderName: `attrs['encoder_name']` (nil when absent: treated as the default).
    ///   - encoderKwargs: `attrs['encoder_kwargs']`, cross-checked for the default encoder.
    ///   - tensor: reads one parameter's values.
    static func layers(parameters: [EncoderParameter], encoderName: String?, encoderKwargs: AttributeValue?,
                       file: String, tensor: (EncoderParameter) throws -> Tensor) throws -> [NamedLayer] {
        func fail(_ field: String, _ message: String) -> InputError {
            InputError(file: file, field: field, message: message)
        }
        if encoderName == "default_conv" {
            throw fail("attrs['encoder_name']", "the model uses upstream's convolutional encoder ('default_conv'); convolutional encoders are not supported, only fully connected ones")
        }
        guard !parameters.isEmpty else {
            throw fail("state_dict", "the state dict has no 'encoder.' parameters")
        }
        // Checks on names and ranks first: they explain a refusal better than a shape mismatch.
        for p in parameters {
            if p.key.hasSuffix(".bias") {
                throw fail("state_dict['\(p.key)']", "the encoder has a bias term: f(x) = J(x)·x only holds for bias-free networks, so contributions would not sum to the embedding")
            }
            if p.shape.count >= 3 {
                throw fail("state_dict['\(p.key)']", "a \(p.shape.count)-D weight \(p.shape) is a convolution; convolutional encoders are not supported, only fully connected ones")
            }
        }

        // Split `encoder.<prefix>.<index>.<param>` keys.
        var prefix: String? = nil
        var groups: [Int: [(param: String, parameter: EncoderParameter)]] = [:]
        for p in parameters {
            let parts = p.key.split(separator: ".", omittingEmptySubsequences: false).dropFirst().map(String.init)
            guard let at = parts.firstIndex(where: { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  at + 1 < parts.count else {
                throw fail("state_dict['\(p.key)']", "unrecognized encoder parameter '\(p.key)': glassbox reads encoders that are an nn.Sequential of Linear, PReLU, LayerNormDetached and ResidualMLPBlock modules")
            }
            let path = parts[..<at].joined(separator: ".")
            if let prefix, prefix != path {
                throw fail("state_dict['\(p.key)']", "the encoder's parameters are not one nn.Sequential: found modules under 'encoder.\(prefix)' and 'encoder.\(path)'")
            }
            prefix = path
            guard parts[at].count <= 6, let index = Int(parts[at]), index <= maxModuleIndex else {
                throw fail("state_dict['\(p.key)']", "module index \(parts[at]) is larger than \(maxModuleIndex)")
            }
            groups[index, default: []].append((parts[(at + 1)...].joined(separator: "."), p))
        }
        let modulePrefix = "encoder." + (prefix!.isEmpty ? "" : prefix! + ".")
        let lastIndex = groups.keys.max()!

        // Classify each index.
        var kinds: [Kind] = []
        for index in 0...lastIndex {
            guard let group = groups[index] else { kinds.append(.gap); continue }
            let names = Set(group.map(\.param))
            let name = modulePrefix + String(index)
            if names == ["weight"] || names == ["scale"] {
                let p = group[0].parameter
                switch (names.first!, p.shape.count) {
                case ("weight", 2): kinds.append(.linear)
                case ("weight", 1): kinds.append(.prelu)
                case ("scale", 1): kinds.append(.layerNorm)
                default:
                    throw fail("state_dict['\(p.key)']", "a \(p.shape.count)-D '\(names.first!)' of shape \(p.shape) matches no supported module (Linear weights are 2-D, PReLU weights and LayerNorm scales 1-D)")
                }
            } else if residualRequired.isSubset(of: names), names.isSubset(of: residualRequired.union(residualOptional)) {
                kinds.append(.residual)
            } else {
                let known = residualRequired.union(residualOptional).union(["weight", "scale"])
                if let unknown = group.first(where: { !known.contains($0.param) }) {
                    throw fail("state_dict['\(unknown.parameter.key)']", "unrecognized parameter or buffer '\(unknown.parameter.key)': glassbox understands Linear and PReLU ('weight'), LayerNormDetached ('scale') and ResidualMLPBlock ('fc1', 'norm1', 'act', 'fc2', 'norm2') modules")
                }
                throw fail("state_dict['\(name)']", "module '\(name)' has parameters \(names.sorted().joined(separator: ", ")), which match no supported module")
            }
        }

        let isDefault = (encoderName ?? "default") == "default"
        if isDefault {
            try checkDefaultLayout(kinds, prefix: modulePrefix, kwargs: encoderKwargs, groups: groups, fail: fail)
        } else if let gap = kinds.firstIndex(of: .gap) {
            throw fail("state_dict", "module '\(modulePrefix)\(gap)' of encoder '\(encoderName!)' has no parameters, so its type (Dropout, ReLU, …) cannot be known from the file; glassbox only assumes Dropout for upstream's default encoder")
        }

        // Build the layers, reading each tensor once.
        var layers: [NamedLayer] = []
        for (index, kind) in kinds.enumerated() {
            let name = modulePrefix + String(index)
            func value(_ param: String) throws -> Tensor? {
                guard let p = groups[index]?.first(where: { $0.param == param })?.parameter else { return nil }
                return try tensor(p)
            }
            switch kind {
            case .gap: layers.append(NamedLayer(name, .dropout))
            case .linear: layers.append(NamedLayer(name, .linear(weight: try value("weight")!)))
            case .prelu: layers.append(NamedLayer(name, .prelu(slope: try value("weight")!)))
            case .layerNorm: layers.append(NamedLayer(name, .layerNorm(scale: try value("scale")!, eps: Layer.layerNormEpsilon)))
            case .residual:
                let fc1 = try value("fc1.weight")!
                let fc2 = try value("fc2.weight")!
                guard fc1.rank == 2, fc2.rank == 2 else {
                    throw fail("state_dict['\(name)']", "ResidualMLPBlock weights must be 2-D, found fc1 \(fc1.shapeDescription) and fc2 \(fc2.shapeDescription)")
                }
                let block = ResidualBlock(fc1: fc1, norm1: try value("norm1.scale"), act: try value("act.weight")!,
                                          fc2: fc2, norm2: try value("norm2.scale"))
                layers.append(NamedLayer(name, .residual(block)))
            }
        }
        return layers
    }

    /// Upstream's `DeepPReLUNet`: per hidden layer Linear, PReLU, LayerNormDetached (all but
    /// the last hidden layer), Dropout; then a final Linear.
    private static func checkDefaultLayout(_ kinds: [Kind], prefix: String, kwargs: AttributeValue?,
                                           groups: [Int: [(param: String, parameter: EncoderParameter)]],
                                           fail: (String, String) -> InputError) throws {
        let hiddenLayers = kinds.filter { $0 == .linear }.count - 1
        var expected: [Kind] = []
        for i in 0..<max(hiddenLayers, 0) {
            expected += [.linear, .prelu]
            if i < hiddenLayers - 1 { expected.append(.layerNorm) }
            expected.append(.gap)
        }
        expected.append(.linear)
        let layout = "DeepPReLUNet layout (per hidden layer Linear, PReLU, LayerNormDetached except after the last, Dropout; then Linear)"
        for (i, kind) in kinds.enumerated() where i >= expected.count || expected[i] != kind {
            let wanted = i < expected.count ? "a " + expected[i].name : "nothing"
            throw fail("state_dict['\(prefix)\(i)']", "the encoder is upstream's default but does not have the \(layout): module '\(prefix)\(i)' is a \(kind.name) where \(wanted) was expected")
        }
        guard kinds.count == expected.count else {
            throw fail("state_dict", "the encoder is upstream's default but does not have the \(layout): it ends after \(kinds.count) modules, expected \(expected.count)")
        }
        // encoder_kwargs must agree with the weights, or the file is inconsistent.
        if let n = kwargs?["n_hidden_layers"]?.intValue, n != hiddenLayers {
            throw fail("attrs['encoder_kwargs']", "n_hidden_layers is \(n) but the state dict has \(hiddenLayers) hidden layers")
        }
        if let h = kwargs?["hidden_size"]?.intValue, let first = groups[0]?.first?.parameter, first.shape.count == 2, first.shape[0] != h {
            throw fail("attrs['encoder_kwargs']", "hidden_size is \(h) but '\(first.key)' has \(first.shape[0]) outputs")
        }
    }
}
