import Foundation
import GlassBoxCore

/// `r`: upstream's JacobianVerification over the samples computed so far, judged against the
/// tolerance, with the distribution of per-sample reconstruction errors and the worst samples.
/// Built from the store's running accumulator and error column: O(n) per build, cached by
/// the renderer until the store changes.
public struct VerificationReport: Sendable, Equatable {
    public struct Bin: Sendable, Equatable {
        /// [low, high) of max_j |z − J·u|; `low == 0 && high == 0` is the exact-zero bin.
        public var low: Double
        public var high: Double
        public var count: Int
    }

    public var result: JacobianVerification
    public var done: Int
    public var total: Int
    public var tolerance: Double
    /// "single (float32)".
    public var precision: String
    public var bins: [Bin]
    /// Rows with the largest reconstruction error, worst first, and their errors.
    public var worst: [(row: Int, error: Double)]
    /// Rows whose z, J·u or C hold a NaN or an infinity (the first `worstCount`), ascending.
    public var nonFinite: [Int]

    /// The rows the report lists, as its list shows them: non-finite first, then the worst.
    public var listedRows: [Int] { nonFinite + worst.map(\.row) }

    public static func == (a: Self, b: Self) -> Bool {
        a.result == b.result && a.done == b.done && a.total == b.total && a.tolerance == b.tolerance
            && a.precision == b.precision && a.bins == b.bins && a.worst.elementsEqual(b.worst) { $0 == $1 }
            && a.nonFinite == b.nonFinite
    }

    /// Upstream's criterion: relative_error = max_error / (max|Z| + 1e-8) within the tolerance,
    /// and no sample NaN or infinite (`result.nonFiniteRows` lists them).
    public var passes: Bool { result.passes(tolerance: tolerance) }

    public init(
        result: JacobianVerification, errors: UnsafeBufferPointer<Float>, done: Int, tolerance: Double,
        precision: String, worstCount: Int = 50, binCount: Int = 8
    ) {
        self.result = result
        self.done = done
        total = errors.count
        self.tolerance = tolerance
        self.precision = precision
        let top = TopK.indices(count: errors.count, k: worstCount) { Double(errors[$0]) }
        worst = top.filter { errors[$0].isFinite }.map { ($0, Double(errors[$0])) }
        nonFinite = Array(result.nonFiniteRows.prefix(worstCount))
        bins = Self.histogram(errors, bins: binCount)
    }

    /// Decades (log10) between the smallest positive and the largest error, at most `bins`
    /// of them (the lowest one absorbing smaller errors), plus a bin for exact zeros when
    /// there are any. NaN (not yet computed) is left out.
    static func histogram(_ errors: UnsafeBufferPointer<Float>, bins: Int) -> [Bin] {
        var zeros = 0, lo = Float.infinity, hi: Float = 0
        for e in errors where e.isFinite {
            if e == 0 { zeros += 1 } else { lo = min(lo, e); hi = max(hi, e) }
        }
        var out: [Bin] = []
        if zeros > 0 { out.append(Bin(low: 0, high: 0, count: zeros)) }
        guard hi > 0 else { return out }
        let top = Int(log10(Double(hi)).rounded(.down)) + 1
        let bottom = max(Int(log10(Double(lo)).rounded(.down)), top - bins)
        var counts = [Int](repeating: 0, count: top - bottom)
        for e in errors where e.isFinite && e > 0 {
            let k = min(counts.count - 1, max(0, Int(log10(Double(e)).rounded(.down)) - bottom))
            counts[k] += 1
        }
        for (k, c) in counts.enumerated() {
            out.append(Bin(low: pow10(bottom + k), high: pow10(bottom + k + 1), count: c))
        }
        return out
    }

    static func pow10(_ e: Int) -> Double {
        var p = 1.0
        for _ in 0..<abs(e) { p *= 10 }
        return e < 0 ? 1 / p : p
    }
}
