import GlassBoxCore

/// A plain, one-sample Double forward pass written straight from math.md — independent of
/// the engine — used to check it. `frozenStd`, when given, replaces each LayerNorm's
/// sqrt(var + eps) by the value recorded at another input: the function whose derivative is
/// the *detached* Jacobian upstream computes.
enum ReferenceForward {
    static func run(_ encoder: Encoder, _ x: [Double], frozenStd: [Double]? = nil) -> (output: [Double], std: [Double]) {
        var stds: [Double] = []
        var frozen = frozenStd.map { $0[...] }
        func norm(_ h: [Double], _ s: Tensor, _ eps: Double) -> [Double] {
            let mean = h.reduce(0, +) / Double(h.count)
            let variance = h.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(h.count)
            var sd = (variance + eps).squareRoot()
            if let f = frozen?.first { sd = f; frozen = frozen?.dropFirst() }
            stds.append(sd)
            return h.indices.map { s.values[$0] * (h[$0] - mean) / sd }
        }
        func linear(_ h: [Double], _ w: Tensor) -> [Double] {
            (0..<w.shape[0]).map { o in (0..<w.shape[1]).reduce(0.0) { $0 + w.values[o * w.shape[1] + $1] * h[$1] } }
        }
        func prelu(_ h: [Double], _ a: Tensor) -> [Double] {
            h.indices.map { h[$0] > 0 ? h[$0] : (a.count == 1 ? a.values[0] : a.values[$0]) * h[$0] }
        }
        var h = x
        for named in encoder.layers {
            switch named.layer {
            case .linear(let w): h = linear(h, w)
            case .prelu(let a): h = prelu(h, a)
            case .layerNorm(let s, let eps): h = norm(h, s, eps)
            case .dropout: break
            case .residual(let b):
                var t = linear(h, b.fc1)
                if let n1 = b.norm1 { t = norm(t, n1, b.eps) }
                t = prelu(t, b.act)
                t = linear(t, b.fc2)
                if let n2 = b.norm2 { t = norm(t, n2, b.eps) }
                h = zip(h, t).map { $0 + $1 }
            }
        }
        return (h, stds)
    }
}
