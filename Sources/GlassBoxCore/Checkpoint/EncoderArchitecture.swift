import Foundation

/// One encoder parameter from a state dict: its full key and shape (values are read later).
struct EncoderParameter: Sendable {
    var key: String
    var shape: [Int]
}

/// Recovers the encoder's layer sequence from state-dict keys alone, since a checkpoint
/// stores weights but not the module classes.
///
/// Understood: an `nn.Sequential` (under `encoder.model.` for upstream's default encoder,
/// `encoder.` or `encoder.<path>.` for others) of the modules in `LayerKind`, each recognized
/// by its tensors' keys and ranks. Parameterless modules leave gaps in the indices; for
/// upstream's default `DeepPReLUNet` we know they are Dropout, for any other encoder their
/// type is unknowable, so gaps are refused there.
///
/// Keys are taken only as PyTorch spells them — `encoder.model.0.weight`, never
/// `encoder.model.00.weight` or `encoder..0.weight` — as upstream's own `load_state_dict`
/// does: an alias could otherwise stand in for the real parameter (`Int("00") == 0`).
enum EncoderArchitecture {
    static let maxModuleIndex = 10_000

    /// - Parameters:
    ///   - parameters: the state dict's `encoder.*` entries, in file order.
    ///   - encoderName: `attrs['encoder_name']` (nil when absent: treated as the default).
    ///   - encoderKwargs: `attrs['encoder_kwargs']`, cross-checked for the default encoder.
    ///   - tensor: reads one parameter's values.
    static func layers(
        parameters: [EncoderParameter], encoderName: String?, encoderKwargs: AttributeValue?,
        file: String, tensor: (EncoderParameter) throws -> Tensor
    ) throws -> [NamedLayer] {
        func fail(_ field: String, _ message: String) -> InputError {
            InputError(file: file, field: field, message: message)
        }
        if encoderName == "default_conv" {
            throw fail(
                "attrs['encoder_name']",
                "the model uses upstream's convolutional encoder ('default_conv'); convolutional encoders are not supported, only fully connected ones"
            )
        }
        guard !parameters.isEmpty else {
            throw fail("state_dict", "the state dict has no 'encoder.' parameters")
        }
        // Checks on names and ranks first: they explain a refusal better than a shape mismatch.
        for p in parameters {
            if p.key.hasSuffix(".bias") {
                throw fail(
                    "state_dict['\(p.key)']",
                    "the encoder has a bias term: f(x) = J(x)·x only holds for bias-free networks, so contributions would not sum to the embedding"
                )
            }
            if p.shape.count >= 3 {
                throw fail(
                    "state_dict['\(p.key)']",
                    "a \(p.shape.count)-D weight \(p.shape) is a convolution; convolutional encoders are not supported, only fully connected ones"
                )
            }
        }
        let isDefault = (encoderName ?? "default") == "default"

        // Split `encoder.<path>.<index>.<param>` keys.
        var prefix: String? = nil
        var groups: [Int: [(param: String, parameter: EncoderParameter)]] = [:]
        for p in parameters {
            let field = "state_dict['\(p.key)']"
            let parts = p.key.split(separator: ".", omittingEmptySubsequences: false).dropFirst().map(String.init)
            guard !parts.contains(where: \.isEmpty) else {
                throw fail(field, "'\(p.key)' has an empty name part; PyTorch never writes one, so it could only alias another parameter")
            }
            guard let at = parts.firstIndex(where: { $0.allSatisfy { $0.isASCII && $0.isNumber } }), at + 1 < parts.count else {
                throw fail(
                    field,
                    "unrecognized encoder parameter '\(p.key)': glassbox reads encoders that are an nn.Sequential of \(LayerKind.typeList) modules"
                )
            }
            let path = parts[..<at].joined(separator: ".")
            if let prefix, prefix != path {
                throw fail(
                    field,
                    "the encoder's parameters are not one nn.Sequential: found modules under 'encoder.\(prefix)' and 'encoder.\(path)'")
            }
            if isDefault, path != "model" {
                throw fail(
                    field,
                    "upstream's default encoder keeps its modules under 'encoder.model.', not 'encoder.\(path.isEmpty ? "" : path + ".")'")
            }
            prefix = path
            guard parts[at].count <= 6, let index = Int(parts[at]), index <= maxModuleIndex else {
                throw fail(field, "module index \(parts[at]) is larger than \(maxModuleIndex)")
            }
            guard String(index) == parts[at] else {
                throw fail(
                    field,
                    "module index '\(parts[at])' is not written as PyTorch writes it ('\(index)'); refusing what could be an alias of another parameter"
                )
            }
            let param = parts[(at + 1)...].joined(separator: ".")
            guard !(groups[index]?.contains { $0.param == param } ?? false) else {
                throw fail(field, "the state dict holds this parameter twice")
            }
            groups[index, default: []].append((param, p))
        }
        let modulePrefix = "encoder." + (prefix.map { $0.isEmpty ? "" : $0 + "." } ?? "")
        let lastIndex = groups.keys.max() ?? 0

        // Classify each index by its tensors' keys and ranks.
        var kinds: [LayerKind] = []
        for index in 0...lastIndex {
            guard let group = groups[index] else { kinds.append(.dropout); continue }
            if let unknown = group.first(where: { !LayerKind.allKeys.contains($0.param) }) {
                throw fail(
                    "state_dict['\(unknown.parameter.key)']",
                    "unrecognized parameter or buffer '\(unknown.parameter.key)': glassbox understands \(LayerKind.signatures)")
            }
            let ranks = Dictionary(group.map { ($0.param, $0.parameter.shape.count) }, uniquingKeysWith: { first, _ in first })
            guard let kind = LayerKind.matching(ranks) else {
                let found = group.map { "\($0.param) (\($0.parameter.shape.count)-D, shape \($0.parameter.shape))" }.joined(separator: ", ")
                throw fail(
                    "state_dict['\(modulePrefix)\(index)']",
                    "module '\(modulePrefix)\(index)' has \(found), which matches no supported module: \(LayerKind.signatures)")
            }
            kinds.append(kind)
        }

        if isDefault {
            try checkDefaultLayout(kinds, prefix: modulePrefix, kwargs: encoderKwargs, groups: groups, fail: fail)
        } else if let gap = kinds.firstIndex(of: .dropout) {
            throw fail(
                "state_dict",
                "module '\(modulePrefix)\(gap)' of encoder '\(encoderName ?? "")' has no parameters, so its type (Dropout, ReLU, …) cannot be known from the file; glassbox only assumes Dropout for upstream's default encoder"
            )
        }

        // Build the layers, reading each tensor once.
        return try kinds.enumerated().map { index, kind in
            let name = modulePrefix + String(index)
            var tensors: [String: Tensor] = [:]
            for (param, parameter) in groups[index] ?? [] { tensors[param] = try tensor(parameter) }
            return NamedLayer(name, try Layer(kind: kind, tensors: tensors, file: file, field: "state_dict['\(name)']"))
        }
    }

    /// Upstream's `DeepPReLUNet`: per hidden layer Linear, PReLU, LayerNormDetached (all but
    /// the last hidden layer), Dropout; then a final Linear.
    private static func checkDefaultLayout(
        _ kinds: [LayerKind], prefix: String, kwargs: AttributeValue?,
        groups: [Int: [(param: String, parameter: EncoderParameter)]],
        fail: (String, String) -> InputError
    ) throws {
        let hiddenLayers = kinds.filter { $0 == .linear }.count - 1
        var expected: [LayerKind] = []
        for i in 0..<max(hiddenLayers, 0) {
            expected += [.linear, .prelu]
            if i < hiddenLayers - 1 { expected.append(.layerNorm) }
            expected.append(.dropout)
        }
        expected.append(.linear)
        let layout = "DeepPReLUNet layout (per hidden layer Linear, PReLU, LayerNormDetached except after the last, Dropout; then Linear)"
        func described(_ kind: LayerKind) -> String { kind == .dropout ? "Dropout (no parameters)" : kind.type }
        for (i, kind) in kinds.enumerated() where i >= expected.count || expected[i] != kind {
            let wanted = i < expected.count ? "a " + described(expected[i]) : "nothing"
            throw fail(
                "state_dict['\(prefix)\(i)']",
                "the encoder is upstream's default but does not have the \(layout): module '\(prefix)\(i)' is a \(described(kind)) where \(wanted) was expected"
            )
        }
        guard kinds.count == expected.count else {
            throw fail(
                "state_dict",
                "the encoder is upstream's default but does not have the \(layout): it ends after \(kinds.count) modules, expected \(expected.count)"
            )
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
