import Foundation

/// One layer of a glass box encoder. Every kind is bias-free and piecewise linear, so the
/// network satisfies `f(u) = J(u) · u` exactly (see `Jacobian`). What the model formats know of
/// each kind (type name, tensor keys, attributes) is in `LayerKind`.
public enum Layer: Equatable, Sendable {
    /// `y = W h`; weight shape (out, in).
    case linear(weight: Tensor)
    /// `y = h if h > 0 else a·h`; one slope, or one per channel.
    case prelu(slope: Tensor)
    /// Upstream's `LayerNormDetached`: `y = s ⊙ (h − mean h) / sqrt(var h + eps)`, with the
    /// variance treated as a constant at inference.
    case layerNorm(scale: Tensor, eps: Double)
    /// Identity at inference.
    case dropout
    /// Upstream's `ResidualMLPBlock`: `h + norm2(fc2(act(norm1(fc1(h)))))`.
    case residual(ResidualBlock)

    public static let layerNormEpsilon = 1e-12

    public var kind: LayerKind {
        switch self {
        case .linear: return .linear
        case .prelu: return .prelu
        case .layerNorm: return .layerNorm
        case .dropout: return .dropout
        case .residual: return .residual
        }
    }

    /// The kind's type name ("Linear", …).
    public var name: String { kind.type }

    /// The parameter tensors by their key in `kind.tensors`, in that order; an absent
    /// optional one is left out.
    public var parameters: [(key: String, tensor: Tensor)] {
        switch self {
        case .linear(let w): return [("weight", w)]
        case .prelu(let a): return [("weight", a)]
        case .layerNorm(let s, _): return [("scale", s)]
        case .dropout: return []
        case .residual(let b):
            return [
                ("fc1.weight", b.fc1), b.norm1.map { ("norm1.scale", $0) }, ("act.weight", b.act),
                ("fc2.weight", b.fc2), b.norm2.map { ("norm2.scale", $0) },
            ].compactMap { $0 }
        }
    }

    /// LayerNorm's eps, for the kinds that have one.
    public var eps: Double? {
        switch self {
        case .layerNorm(_, let eps): return eps
        case .residual(let b): return b.eps
        case .linear, .prelu, .dropout: return nil
        }
    }

    /// Every parameter tensor of the layer, in state-dict order.
    public var tensors: [Tensor] { parameters.map(\.tensor) }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.tensor.count } }

    /// Builds a layer of `kind` from its tensors by key. Every key must be one of the kind's,
    /// each required one present, each of its rank; `eps` (nil: upstream's default) only for
    /// kinds that have it. `field` names the layer in errors (e.g. `state_dict['encoder.model.3']`).
    public init(kind: LayerKind, tensors: [String: Tensor], eps: Double? = nil, file: String, field: String) throws {
        func fail(_ message: String) -> InputError { InputError(file: file, field: field, message: message) }
        for key in tensors.keys.sorted() where !kind.tensors.contains(where: { $0.key == key }) {
            let keys = kind.tensors.map { "'\($0.key)'" }.joined(separator: ", ")
            throw fail("a \(kind.type) has no tensor '\(key)'; it has \(keys.isEmpty ? "none" : keys)")
        }
        for slot in kind.tensors {
            guard let t = tensors[slot.key] else {
                if slot.required { throw fail("a \(kind.type) needs the tensor '\(slot.key)'") }
                continue
            }
            guard t.rank == slot.rank else {
                throw fail("'\(slot.key)' of a \(kind.type) must be \(slot.rank)-D, found shape \(t.shapeDescription)")
            }
        }
        guard kind.hasEps || eps == nil else { throw fail("a \(kind.type) has no eps") }
        let eps = eps ?? Self.layerNormEpsilon
        guard eps >= 0, eps.isFinite else { throw fail("LayerNorm eps must be ≥ 0, found \(eps)") }
        // The checks above leave these lookups nothing to miss; they throw rather than trap all the same.
        func tensor(_ key: String) throws -> Tensor {
            guard let t = tensors[key] else { throw fail("a \(kind.type) needs the tensor '\(key)'") }
            return t
        }
        switch kind {
        case .linear: self = .linear(weight: try tensor("weight"))
        case .prelu: self = .prelu(slope: try tensor("weight"))
        case .layerNorm: self = .layerNorm(scale: try tensor("scale"), eps: eps)
        case .dropout: self = .dropout
        case .residual:
            self = .residual(
                ResidualBlock(
                    fc1: try tensor("fc1.weight"), norm1: tensors["norm1.scale"], act: try tensor("act.weight"),
                    fc2: try tensor("fc2.weight"), norm2: tensors["norm2.scale"], eps: eps))
        }
    }

    /// One line for `inspect`: in → out, or the parameters' shapes.
    public var summary: String {
        switch self {
        case .linear(let w): return "\(w.shape[1]) → \(w.shape[0])  weight \(w.shapeDescription) \(w.scalarType.rawValue)"
        case .prelu(let a): return a.count == 1 ? "slope \(formatValue(a.values[0]))" : "slopes \(a.shapeDescription)"
        case .layerNorm(let s, let eps): return "scale \(s.shapeDescription), eps \(eps), variance detached"
        case .dropout: return "identity at inference"
        case .residual(let b):
            return "\(b.dim) → \(b.hidden) → \(b.dim)  fc1 \(b.fc1.shapeDescription), fc2 \(b.fc2.shapeDescription)"
                + (b.norm1 == nil ? ", no norms" : ", norms") + ", skip connection"
        }
    }

    /// Checks the layer's shapes against `width`, the width of what comes in (nil before the
    /// first layer that fixes it). Returns the encoder input width the layer would fix as the
    /// first weighted layer (nil: none) and the width it gives (nil: what comes in).
    func widths(after width: Int?, file: String, name: String) throws -> (takes: Int?, gives: Int?) {
        func fail(_ field: String, _ message: String) -> InputError { InputError(file: file, field: field, message: message) }
        func checkVector(_ t: Tensor, _ field: String, _ what: String, _ width: Int?, allowOne: Bool) throws {
            guard t.rank == 1, t.count >= 1 else {
                throw fail(field, "\(what) must be a vector, found shape \(t.shapeDescription)")
            }
            if let width, t.count != width, !(allowOne && t.count == 1) {
                throw fail(field, "\(what) has \(t.count) entries but the layer before produces \(width) values")
            }
        }
        switch self {
        case .linear(let w):
            guard w.rank == 2, w.shape[0] > 0, w.shape[1] > 0 else {
                throw fail(name, "a Linear weight must be a matrix (out, in), found shape \(w.shapeDescription)")
            }
            if let width, w.shape[1] != width {
                throw fail(name, "Linear weight \(w.shapeDescription) expects \(w.shape[1]) inputs but the layer before produces \(width)")
            }
            return (w.shape[1], w.shape[0])
        case .prelu(let a):
            try checkVector(a, name, "PReLU slope", width, allowOne: true)
            return (nil, nil)
        case .layerNorm(let s, let eps):
            try checkVector(s, name, "LayerNorm scale", width, allowOne: false)
            guard eps >= 0, eps.isFinite else { throw fail(name, "LayerNorm eps must be ≥ 0, found \(eps)") }
            return (nil, s.count)
        case .dropout:
            return (nil, nil)
        case .residual(let b):
            guard b.fc1.rank == 2, b.fc2.rank == 2, b.fc2.shape == [b.fc1.shape[1], b.fc1.shape[0]] else {
                throw fail(
                    name,
                    "ResidualMLPBlock weights fc1 \(b.fc1.shapeDescription) and fc2 \(b.fc2.shapeDescription) do not fit (need (h, d) and (d, h))"
                )
            }
            if let width, b.dim != width {
                throw fail(name, "ResidualMLPBlock expects \(b.dim) inputs but the layer before produces \(width)")
            }
            try checkVector(b.act, name + ".act", "PReLU slope", b.hidden, allowOne: true)
            if let n1 = b.norm1 { try checkVector(n1, name + ".norm1", "LayerNorm scale", b.hidden, allowOne: false) }
            if let n2 = b.norm2 { try checkVector(n2, name + ".norm2", "LayerNorm scale", b.dim, allowOne: false) }
            return (b.dim, b.dim)
        }
    }
}

/// The parts of upstream's `ResidualMLPBlock`; the norms are absent when it was built
/// with `use_norm=False` (they are then `nn.Identity`).
public struct ResidualBlock: Equatable, Sendable {
    public var fc1: Tensor  // (hidden, dim)
    public var norm1: Tensor?  // (hidden,)
    public var act: Tensor  // PReLU slope(s)
    public var fc2: Tensor  // (dim, hidden)
    public var norm2: Tensor?  // (dim,)
    public var eps: Double

    public init(fc1: Tensor, norm1: Tensor?, act: Tensor, fc2: Tensor, norm2: Tensor?, eps: Double = Layer.layerNormEpsilon) {
        self.fc1 = fc1
        self.norm1 = norm1
        self.act = act
        self.fc2 = fc2
        self.norm2 = norm2
        self.eps = eps
    }

    public var dim: Int { fc1.shape[1] }
    public var hidden: Int { fc1.shape[0] }
}
