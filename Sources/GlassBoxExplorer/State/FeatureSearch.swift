import Foundation

/// `/`: case-insensitive substring search over feature names.
public struct FeatureSearch: Sendable {
    /// Lower-cased names, computed once (30,000 genes are searched on every key press).
    public let folded: [String]

    public init(names: [String]) {
        folded = names.map { $0.lowercased() }
    }

    /// Matching features: exact name first, then names starting with the query, then the
    /// rest; each group in feature order. An empty query matches nothing.
    public func matches(_ query: String) -> [Int] {
        let q = query.lowercased()
        guard !q.isEmpty else { return [] }
        var exact: [Int] = [], prefix: [Int] = [], inner: [Int] = []
        for (i, name) in folded.enumerated() where name.contains(q) {
            if name == q { exact.append(i) } else if name.hasPrefix(q) { prefix.append(i) } else { inner.append(i) }
        }
        return exact + prefix + inner
    }
}
