import Foundation

/// A `--rows A:B` selection: rows A (inclusive) to B (exclusive), 0-based, of the samples as
/// read (after `--missing drop`). Either end may be left out: `A:` runs to the end, `:B`
/// starts at 0. Checked against the data with `range(sampleCount:)`.
public struct RowSpan: Equatable, Sendable, CustomStringConvertible {
    public var start: Int?
    public var end: Int?

    public init(start: Int?, end: Int?) {
        self.start = start
        self.end = end
    }

    /// Parses `A:B`; nil when it is not of that form.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        func bound(_ s: Substring) -> Int?? {
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return .some(nil) }
            guard let v = Int(t) else { return nil }
            return .some(v)
        }
        guard let a = bound(parts[0]), let b = bound(parts[1]) else { return nil }
        start = a
        end = b
    }

    public var description: String { "\(start.map(String.init) ?? ""):\(end.map(String.init) ?? "")" }

    /// The rows selected from `sampleCount` samples; an `InputError` naming `flag` unless
    /// 0 ≤ A < B ≤ sampleCount.
    public func range(sampleCount n: Int, flag: String = "--rows") throws -> Range<Int> {
        let a = start ?? 0, b = end ?? n
        guard a >= 0 else {
            throw InputError(file: flag, message: "\(self): the start \(a) is negative, expected 0 ≤ A < B ≤ \(n) (the data has \(n) rows)")
        }
        guard b <= n else {
            throw InputError(file: flag, message: "\(self): the end \(b) is past the data's \(n) rows, expected 0 ≤ A < B ≤ \(n)")
        }
        guard a < b else {
            throw InputError(file: flag, message: "\(self) selects no rows, expected 0 ≤ A < B ≤ \(n)")
        }
        return a..<b
    }
}
