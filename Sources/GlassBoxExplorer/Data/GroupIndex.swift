import GlassBoxCore

/// The samples of each group label in file order, for `n`/`N` (next/previous of the same
/// group) in O(log n) at any size.
public struct GroupIndex: Sendable {
    public let labels: GroupLabels
    /// Per category, ascending rows.
    public let members: [[Int32]]

    public init(labels: GroupLabels) {
        self.labels = labels
        var members = labels.categories.map { _ in [Int32]() }
        for (row, code) in labels.codes.enumerated() { members[Int(code)].append(Int32(row)) }
        self.members = members
    }

    public func group(of row: Int) -> Int { Int(labels.codes[row]) }

    public func count(of group: Int) -> Int { members[group].count }

    /// The next (or previous) sample of `row`'s group in file order, wrapping around; nil when
    /// the sample is alone in its group.
    public func neighbor(of row: Int, forward: Bool) -> (row: Int, wrapped: Bool)? {
        let list = members[group(of: row)]
        guard list.count > 1 else { return nil }
        // First index whose row is > row (forward) or the last < row (backward).
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(list[mid]) <= row { lo = mid + 1 } else { hi = mid }
        }
        if forward {
            return lo < list.count ? (Int(list[lo]), false) : (Int(list[0]), true)
        }
        // lo - 1 is `row` itself (it is a member); the previous member is before it.
        let before = lo - 2
        return before >= 0 ? (Int(list[before]), false) : (Int(list[list.count - 1]), true)
    }
}
