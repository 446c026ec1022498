/// The `limit` samples with the largest reconstruction error, largest first, ties to the
/// lower row — the same order as `TopK.indices` over all errors, in O(limit) memory. A NaN
/// error (a non-finite sample, reported apart) is not an error size and is left out.
struct WorstSamples {
    let limit: Int
    private(set) var entries: [(row: Int, id: String, error: Double)] = []

    init(limit: Int) { self.limit = limit }

    mutating func add(row: Int, id: String = "", error v: Double) {
        guard limit > 0, !v.isNaN else { return }
        func before(_ a: (row: Int, id: String, error: Double)) -> Bool {
            a.error > v || (a.error == v && a.row < row)
        }
        if entries.count == limit {
            guard !before(entries[limit - 1]) else { return }
            entries.removeLast()
        }
        var at = entries.count
        while at > 0, !before(entries[at - 1]) { at -= 1 }
        entries.insert((row, id, v), at: at)
    }
}
