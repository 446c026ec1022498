/// One layer of a glass box encoder. Every kind is bias-free and piecewise linear, so the
/// network satisfies `f(u) = J(u) · u` exactly (see `Jacobian`).
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

    public var name: String {
        switch self {
        case .linear: return "Linear"
        case .prelu: return "PReLU"
        case .layerNorm: return "LayerNormDetached"
        case .dropout: return "Dropout"
        case .residual: return "ResidualMLPBlock"
        }
    }

    public var parameterCount: Int {
        switch self {
        case .linear(let w): return w.count
        case .prelu(let a): return a.count
        case .layerNorm(let s, _): return s.count
        case .dropout: return 0
        case .residual(let b): return b.parameterCount
        }
    }
}

/// The parts of upstream's `ResidualMLPBlock`; the norms are absent when it was built
/// with `use_norm=False` (they are then `nn.Identity`).
public struct ResidualBlock: Equatable, Sendable {
    public var fc1: Tensor          // (hidden, dim)
    public var norm1: Tensor?       // (hidden,)
    public var act: Tensor          // PReLU slope(s)
    public var fc2: Tensor          // (dim, hidden)
    public var norm2: Tensor?       // (dim,)
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
    public var parameterCount: Int { fc1.count + fc2.count + act.count + (norm1?.count ?? 0) + (norm2?.count ?? 0) }
}
