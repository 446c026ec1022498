/// One parameter tensor of a kind of layer: its key within the layer as upstream's state dict
/// spells it (`weight`, `fc1.weight`), its rank, and whether the layer can do without it.
public struct LayerTensorSlot: Sendable, Equatable {
    public let key: String
    public let rank: Int
    public let required: Bool

    init(_ key: String, rank: Int, required: Bool = true) {
        self.key = key
        self.rank = rank
        self.required = required
    }

    var description: String { "\(required ? "" : "optional ")\(key) (\(rank)-D)" }
}

/// The kinds of layer a glass box encoder is made of, and what every model format needs to
/// know of each: the type name (encoder.json, `inspect`), the parameter tensors and the
/// attributes. The readers (`.pt` architecture inference, encoder.json), the writers and the
/// reports all work from this table; `Layer` converts to and from it. A new kind of layer is
/// a row here, a case in `Layer` (with its conversions, checks and summary) and its arithmetic
/// in `CompiledEncoder`.
public enum LayerKind: String, CaseIterable, Sendable {
    case linear = "Linear"
    case prelu = "PReLU"
    case layerNorm = "LayerNormDetached"
    case dropout = "Dropout"
    case residual = "ResidualMLPBlock"

    /// The type name written in encoder.json and shown by `inspect`.
    public var type: String { rawValue }

    /// The parameter tensors, in state-dict order.
    public var tensors: [LayerTensorSlot] {
        switch self {
        case .linear: return [LayerTensorSlot("weight", rank: 2)]
        case .prelu: return [LayerTensorSlot("weight", rank: 1)]
        case .layerNorm: return [LayerTensorSlot("scale", rank: 1)]
        case .dropout: return []
        case .residual:
            return [
                LayerTensorSlot("fc1.weight", rank: 2), LayerTensorSlot("norm1.scale", rank: 1, required: false),
                LayerTensorSlot("act.weight", rank: 1), LayerTensorSlot("fc2.weight", rank: 2),
                LayerTensorSlot("norm2.scale", rank: 1, required: false),
            ]
        }
    }

    /// Whether the layer has LayerNorm's `eps` (a checkpoint does not store it: upstream's
    /// `Layer.layerNormEpsilon` then).
    public var hasEps: Bool { self == .layerNorm || self == .residual }

    public init?(type: String) { self.init(rawValue: type) }

    /// "Linear, PReLU, LayerNormDetached, Dropout or ResidualMLPBlock".
    static var typeList: String {
        let types = allCases.map(\.type)
        return types.dropLast().joined(separator: ", ") + " or " + (types.last ?? "")
    }

    /// Each kind with parameters and its tensors, for messages about modules that match none.
    static var signatures: String {
        allCases.filter { !$0.tensors.isEmpty }
            .map { "\($0.type) (\($0.tensors.map(\.description).joined(separator: ", ")))" }
            .joined(separator: "; ")
    }

    /// Every tensor key any kind has.
    static let allKeys: Set<String> = Set(allCases.flatMap { $0.tensors.map(\.key) })

    /// The kind of a state-dict module with these parameters (key → rank): its required
    /// tensors all present, no others, each of its rank. nil when no kind fits.
    static func matching(_ parameters: [String: Int]) -> LayerKind? {
        allCases.first { kind in
            !kind.tensors.isEmpty
                && kind.tensors.allSatisfy { slot in parameters[slot.key].map { $0 == slot.rank } ?? !slot.required }
                && parameters.keys.allSatisfy { key in kind.tensors.contains { $0.key == key } }
        }
    }
}
