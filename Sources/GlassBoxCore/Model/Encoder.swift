/// A layer together with the state-dict name it came from (e.g. `encoder.model.4`), which
/// `inspect` shows and the portable formats write back.
public struct NamedLayer: Equatable, Sendable {
    public var name: String
    public var layer: Layer

    public init(_ name: String, _ layer: Layer) {
        self.name = name
        self.layer = layer
    }
}

/// A bias-free, piecewise-linear encoder: the sequence of layers that maps the encoder input
/// `u` (PCA scores, or centered features) to the embedding `z`.
public struct Encoder: Equatable, Sendable {
    public var layers: [NamedLayer]
    public let inputWidth: Int
    public let outputWidth: Int

    /// Checks that consecutive layers fit together and returns the encoder.
    /// `file` names the model file in the error.
    public init(layers: [NamedLayer], file: String = "<model>") throws {
        var width: Int? = nil
        var input: Int? = nil
        for named in layers {
            let (takes, gives) = try named.layer.widths(after: width, file: file, name: named.name)
            if input == nil { input = takes }
            if let gives { width = gives }
            for t in named.layer.tensors where t.values.contains(where: { !$0.isFinite }) {
                throw InputError(
                    file: file, field: named.name,
                    message: "\(named.layer.name) has a NaN or infinite parameter; the embedding would be undefined")
            }
        }
        guard let input, let width else {
            throw InputError(
                file: file, field: "state_dict", message: "the encoder has no Linear layer, so its input and output widths are unknown")
        }
        self.layers = layers
        self.inputWidth = input
        self.outputWidth = width
    }

    public var parameterCount: Int { layers.reduce(0) { $0 + $1.layer.parameterCount } }
}
