/// Refuses infinite values, and NaN unless `--missing zero` (which reads it as 0), naming the
/// place in the file. Every value of the matrix passes here once, as its rows are read.
struct AnnDataValueCheck: Sendable {
    let file: String
    /// The matrix's path (`/X`, `/layers/counts`).
    let path: String
    let missing: MissingPolicy
    /// Feature names in the model's order, for messages.
    let featureNames: [String]

    /// The index of the first value of `count` at `p` that is NaN or infinite, or nil.
    static func firstNonFinite(_ p: UnsafePointer<Float>, _ count: Int) -> Int? {
        var start = 0
        while start < count {
            let end = min(start + 4096, count)
            if !GlassBoxCore.allFinite(p + start, count: end - start) {
                for i in start..<end where !p[i].isFinite { return i }
            }
            start = end
        }
        return nil
    }

    /// Checks `count` values at `p` in place: NaN becomes 0 under `--missing zero`; otherwise a
    /// non-finite value throws, located by `place(i)` (its object path and feature slot).
    func check(_ p: UnsafeMutablePointer<Float>, _ count: Int, place: (Int) -> (object: String, feature: Int?)) throws {
        var from = 0
        while from < count, let i = Self.firstNonFinite(p + from, count - from).map({ $0 + from }) {
            if p[i].isNaN && missing == .zero {
                p[i] = 0
                from = i + 1
                continue
            }
            throw error(p[i], at: place(i))
        }
    }

    /// Whether `count` values at `p` are all finite (the caller then copies to fix NaNs, or throws).
    func allFinite(_ p: UnsafePointer<Float>, _ count: Int) -> Bool { Self.firstNonFinite(p, count) == nil }

    func error(_ value: Float, at place: (object: String, feature: Int?)) -> InputError {
        let feature = place.feature.map { " (feature '\(featureNames[$0])')" } ?? ""
        if value.isNaN {
            let hint =
                missing == .drop
                ? "; --missing drop is for CSV files, --missing zero reads missing values as 0"
                : "; --missing zero reads missing values as 0"
            return InputError(file: file, field: place.object, message: "found NaN\(feature), expected finite numbers\(hint)")
        }
        return InputError(file: file, field: place.object, message: "found an infinite value (\(value))\(feature), expected finite numbers")
    }
}
