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

/// A `--part I/N` selection: the I-th (0-based) of N contiguous, near-equal runs of the data's
/// rows — what a job array's task I of N exports, without counting the rows in a script.
public struct RowPart: Equatable, Sendable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N` (two integers; see `isValid`); nil when it is not of that form.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0].trimmingCharacters(in: .whitespaces)),
            let n = Int(parts[1].trimmingCharacters(in: .whitespaces))
        else { return nil }
        index = i
        count = n
    }

    /// 0 ≤ I < N.
    public var isValid: Bool { count > 0 && index >= 0 && index < count }

    public var description: String { "\(index)/\(count)" }

    /// The part's rows of `rows` data rows: `I·rows/N ..< (I+1)·rows/N` (empty when there
    /// are fewer rows than parts).
    public func range(of rows: Int) -> Range<Int> {
        Self.floor(index, rows, count)..<Self.floor(index + 1, rows, count)
    }

    /// ⌊i · rows / n⌋ without overflow.
    private static func floor(_ i: Int, _ rows: Int, _ n: Int) -> Int {
        let product = i.multipliedFullWidth(by: rows)
        return n.dividingFullWidth(product).quotient
    }
}
