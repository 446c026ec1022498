/// `g`: find samples by id, as you type, at any n. Every id is held once, lower-cased, in one
/// byte buffer, so a key press at 1,000,000 samples is one pass over a few megabytes.
///
/// Matches, best first: the exact id, a row number (0-based, as `--rows` counts), ids
/// starting with the text, ids containing it, then — only when nothing contains it — ids
/// holding its characters in order ("fuzzy": `aacg1` finds `AAACGGTG-1`). Each kind in row
/// order; `count` is every match, `rows` the first `limit`.
public struct SampleSearch: Sendable {
    public struct Result: Equatable, Sendable {
        /// Matching rows, best first, at most the limit.
        public var rows: [Int]
        /// How many samples match in all.
        public var count: Int
        /// Whether the matches hold the characters in order rather than the text itself.
        public var isFuzzy: Bool
        /// Whether the text is a row number (listed after an exact id).
        public var byRow: Bool
    }

    /// Lower-cased UTF-8 of every id, back to back.
    private let bytes: [UInt8]
    /// Where id i starts in `bytes`; one entry more than ids.
    private let starts: [Int]

    public var count: Int { starts.count - 1 }

    public init(ids: [String]) {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        bytes.reserveCapacity(ids.reduce(0) { $0 + $1.utf8.count })
        starts.reserveCapacity(ids.count + 1)
        for id in ids {
            for b in id.utf8 { bytes.append(b >= 65 && b <= 90 ? b + 32 : b) }
            starts.append(bytes.count)
        }
        self.bytes = bytes
        self.starts = starts
    }

    public func matches(_ text: String, limit: Int = 500) -> Result {
        let query = Array(text.utf8).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        guard !query.isEmpty else { return Result(rows: [], count: 0, isFuzzy: false, byRow: false) }
        var exact: [Int] = [], prefix: [Int] = [], inner: [Int] = []
        var count = 0
        var byRow: Int?
        if let n = Int(text.trimmingSpaces()), n >= 0, n < self.count { byRow = n }
        bytes.withUnsafeBufferPointer { b in
            for i in 0..<self.count {
                let start = starts[i], end = starts[i + 1]
                guard let at = Self.find(query, in: b, start, end) else { continue }
                count += 1
                if at == start && end - start == query.count {
                    exact.append(i)
                } else if at == start {
                    if prefix.count < limit { prefix.append(i) }
                } else if inner.count < limit {
                    inner.append(i)
                }
            }
        }
        var fuzzy = false
        if count == 0 {
            fuzzy = true
            bytes.withUnsafeBufferPointer { b in
                for i in 0..<self.count where Self.holdsInOrder(query, b, starts[i], starts[i + 1]) {
                    count += 1
                    if inner.count < limit { inner.append(i) }
                }
            }
        }
        var rows = exact + prefix + inner
        if let r = byRow, !exact.contains(r) {
            // An exact id wins (ids may be numbers, often the rows themselves); the row comes next.
            if !rows.contains(r) { count += 1 }
            rows.removeAll { $0 == r }
            rows.insert(r, at: exact.count)
        }
        return Result(rows: Array(rows.prefix(limit)), count: count, isFuzzy: fuzzy && byRow == nil, byRow: byRow != nil)
    }

    /// Where `q` first occurs in b[start..<end], or nil.
    private static func find(_ q: [UInt8], in b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        let n = q.count
        guard end - start >= n else { return nil }
        let first = q[0]
        var i = start
        while i <= end - n {
            if b[i] == first {
                var j = 1
                while j < n && b[i + j] == q[j] { j += 1 }
                if j == n { return i }
            }
            i += 1
        }
        return nil
    }

    private static func holdsInOrder(_ q: [UInt8], _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var j = 0
        var i = start
        while i < end && j < q.count {
            if b[i] == q[j] { j += 1 }
            i += 1
        }
        return j == q.count
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
