/// The `limit` samples with the largest reconstruction error, largest first, ties to the
/// lower row — the same order as `TopK.indices` over all errors, in O(limit) memory.
struct WorstSamples {
    let limit: Int
    private(set) var entries: [(row: Int, id: String, error: Double)] = []

    init(limit: Int) { self.limit = limit }

    mutating func add(row: Int, id: String = "", error e: Double) {
        guard limit > 0 else { return }
        let v = e.isNaN ? -Double.infinity : e
        func before(_ a: (row: Int, id: String, error: Double)) -> Bool {
            let av = a.error.isNaN ? -Double.infinity : a.error
            return av > v || (av == v && a.row < row)
        }
        if entries.count == limit {
            guard !before(entries[limit - 1]) else { return }
            entries.removeLast()
        }
        var at = entries.count
        while at > 0, !before(entries[at - 1]) { at -= 1 }
        entries.insert((row, id, e), at: at)
    }
}
