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

/// `g`: what a typed target means. An exact sample id wins (ids may be numbers); otherwise a
/// number is a 1-based row; otherwise the first id starting with the text (ignoring case).
public enum GotoTarget {
    public static func resolve(_ text: String, ids: [String]) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        if let i = ids.firstIndex(of: t) { return i }
        if let n = Int(t), n >= 1, n <= ids.count { return n - 1 }
        let folded = t.lowercased()
        return ids.firstIndex { $0.lowercased().hasPrefix(folded) }
    }
}
