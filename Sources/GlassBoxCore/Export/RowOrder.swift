/// Puts chunks that arrive in any order back into row order. Holds only the chunks that
/// finished before an earlier one — with one chunk in flight per worker and chunks handed
/// out in order, a handful at most.
struct RowOrder<Value> {
    /// The first row not yet released.
    private(set) var next: Int
    private var waiting: [Int: (end: Int, value: Value)] = [:]

    init(start: Int) { next = start }

    /// Adds the value for `rows`; returns every value that is now next in order.
    mutating func add(_ rows: Range<Int>, _ value: Value) -> [Value] {
        precondition(rows.lowerBound >= next && waiting[rows.lowerBound] == nil, "rows \(rows) delivered twice")
        waiting[rows.lowerBound] = (rows.upperBound, value)
        var ready: [Value] = []
        while let w = waiting.removeValue(forKey: next) {
            ready.append(w.value)
            next = w.end
        }
        return ready
    }

    var waitingCount: Int { waiting.count }
}
