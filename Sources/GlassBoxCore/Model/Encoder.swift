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
        func fail(_ name: String, _ message: String) -> InputError {
            InputError(file: file, field: name, message: message)
        }
        func checkVector(_ t: Tensor, _ name: String, _ what: String, _ width: Int?, allowOne: Bool) throws {
            guard t.rank == 1, t.count >= 1 else {
                throw fail(name, "\(what) must be a vector, found shape \(t.shapeDescription)")
            }
            if let width, t.count != width, !(allowOne && t.count == 1) {
                throw fail(name, "\(what) has \(t.count) entries but the layer before produces \(width) values")
            }
        }
        for named in layers {
            switch named.layer {
            case .linear(let w):
                guard w.rank == 2, w.shape[0] > 0, w.shape[1] > 0 else {
                    throw fail(named.name, "a Linear weight must be a matrix (out, in), found shape \(w.shapeDescription)")
                }
                if let width, w.shape[1] != width {
                    throw fail(named.name, "Linear weight \(w.shapeDescription) expects \(w.shape[1]) inputs but the layer before produces \(width)")
                }
                if input == nil { input = w.shape[1] }
                width = w.shape[0]
            case .prelu(let a):
                try checkVector(a, named.name, "PReLU slope", width, allowOne: true)
            case .layerNorm(let s, let eps):
                try checkVector(s, named.name, "LayerNorm scale", width, allowOne: false)
                guard eps >= 0, eps.isFinite else { throw fail(named.name, "LayerNorm eps must be ≥ 0, found \(eps)") }
                if width == nil { width = s.count }
            case .dropout:
                break
            case .residual(let b):
                guard b.fc1.rank == 2, b.fc2.rank == 2, b.fc2.shape == [b.fc1.shape[1], b.fc1.shape[0]] else {
                    throw fail(named.name, "ResidualMLPBlock weights fc1 \(b.fc1.shapeDescription) and fc2 \(b.fc2.shapeDescription) do not fit (need (h, d) and (d, h))")
                }
                if let width, b.dim != width {
                    throw fail(named.name, "ResidualMLPBlock expects \(b.dim) inputs but the layer before produces \(width)")
                }
                try checkVector(b.act, named.name + ".act", "PReLU slope", b.hidden, allowOne: true)
                if let n1 = b.norm1 { try checkVector(n1, named.name + ".norm1", "LayerNorm scale", b.hidden, allowOne: false) }
                if let n2 = b.norm2 { try checkVector(n2, named.name + ".norm2", "LayerNorm scale", b.dim, allowOne: false) }
                if input == nil { input = b.dim }
                width = b.dim
            }
            for t in named.layer.tensors where t.values.contains(where: { !$0.isFinite }) {
                throw fail(named.name, "\(named.layer.name) has a NaN or infinite parameter; the embedding would be undefined")
            }
        }
        guard let input, let width else {
            throw InputError(file: file, field: "state_dict", message: "the encoder has no Linear layer, so its input and output widths are unknown")
        }
        self.layers = layers
        self.inputWidth = input
        self.outputWidth = width
    }

    public var parameterCount: Int { layers.reduce(0) { $0 + $1.layer.parameterCount } }
}

extension Layer {
    /// Every parameter tensor of the layer, in state-dict order.
    public var tensors: [Tensor] {
        switch self {
        case .linear(let w): return [w]
        case .prelu(let a): return [a]
        case .layerNorm(let s, _): return [s]
        case .dropout: return []
        case .residual(let b): return [b.fc1, b.norm1, b.act, b.fc2, b.norm2].compactMap { $0 }
        }
    }
}
