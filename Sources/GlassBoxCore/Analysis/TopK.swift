/// Selecting the largest entries without sorting everything (d can be 30,000 genes).
public enum TopK {
    /// Indices of the `k` largest `key(i)` for i in 0..<count, largest first; ties go to the
    /// lower index and NaN ranks last, so results are deterministic.
    public static func indices(count: Int, k: Int, key: (Int) -> Double) -> [Int] {
        let keys = (0..<count).map(key)
        var best: [(value: Double, index: Int)] = []
        keys.withUnsafeBufferPointer { largest($0, k, into: &best) }
        return best.map(\.index)
    }

    /// Indices of the `k` largest values of an array, largest first.
    public static func indices<T: BinaryFloatingPoint>(of values: [T], k: Int) -> [Int] {
        values.withUnsafeBufferPointer { v in indices(count: v.count, k: k) { Double(v[$0]) } }
    }

    /// The `k` largest values, largest first, ties to the lower index, NaN ranked as −∞, by
    /// insertion into a short sorted list: once it is full, most values fail one comparison
    /// with its smallest (NaN included: it compares false). With enough values, only those at
    /// or above a cheap lower bound are inserted. Runs per sample over every feature (export's
    /// top features, the explorer's summaries), so it is the one top-K there is.
    @_specialize(where V == Float)
    @_specialize(where V == Double)
    public static func largest<V: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<V>, _ k: Int, into best: inout [(value: V, index: Int)]
    ) {
        let k = min(k, values.count)
        best.removeAll(keepingCapacity: true)
        guard k > 0 else { return }
        for _ in 0..<k { best.append((value: V.zero, index: 0)) }
        if let floor = lowerBound(values, k), largest(values, k, atLeast: floor, into: &best) { return }
        best.withUnsafeMutableBufferPointer { b in
            // Insert (v, f) into the sorted prefix of length `count` (count < k, or the last is dropped).
            func insert(_ v: V, _ f: Int, count: Int) {
                var at = min(count, k - 1)
                while at > 0, b[at - 1].value < v {
                    b[at] = b[at - 1]
                    at -= 1
                }
                b[at] = (v, f)
            }
            for f in 0..<k { insert(values[f].isNaN ? -V.infinity : values[f], f, count: f) }
            var floor = b[k - 1].value
            for f in k..<values.count {
                let v = values[f]
                // Equal values keep the earlier (lower) index.
                if v > floor {
                    insert(v, f, count: k)
                    floor = b[k - 1].value
                }
            }
        }
    }

    /// A value at most the k-th largest, without a branch per value: split the blocks of 16
    /// into k groups; each group's maximum is one of its values, so the least of those k maxima
    /// has k values ≥ it. On export's 2,000 L2 norms ~70 values pass it (perf: the plain
    /// insertion spent ~2.7 µs per sample, ~92 insertions of which most mispredict, vs ~2.0).
    /// nil when there are too few blocks to help, or the bound is −∞ (NaN and −∞ values).
    private static func lowerBound<V: BinaryFloatingPoint>(_ values: UnsafeBufferPointer<V>, _ k: Int) -> V? {
        let blocks = values.count / 16
        guard blocks >= 2 * k else { return nil }
        let p = values.baseAddress!
        var bound = V.infinity
        for g in 0..<k {
            var top = -V.infinity
            for b in (g * blocks / k)..<((g + 1) * blocks / k) {
                let m = blockMax(p + 16 * b)
                top = m > top ? m : top  // NaN never wins
            }
            bound = top < bound ? top : bound
        }
        return bound > -V.infinity ? bound : nil
    }

    /// One of the 16 values at `q` (not NaN unless the largest is hidden by one: then a smaller
    /// value or NaN, which the caller's comparisons skip) — a tree of selects LLVM vectorizes.
    @inline(__always)
    private static func blockMax<V: BinaryFloatingPoint>(_ q: UnsafePointer<V>) -> V {
        @inline(__always) func max(_ a: V, _ b: V) -> V { a > b ? a : b }
        let a0 = max(max(q[0], q[8]), max(q[4], q[12])), a1 = max(max(q[1], q[9]), max(q[5], q[13]))
        let a2 = max(max(q[2], q[10]), max(q[6], q[14])), a3 = max(max(q[3], q[11]), max(q[7], q[15]))
        return max(max(a0, a2), max(a1, a3))
    }

    /// The insertion of `largest`, only for values ≥ `floor`, a value with k values ≥ it: whole
    /// blocks of 16 below it (most) cost 4 packed compares. false if fewer than k values passed.
    private static func largest<V: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<V>, _ k: Int, atLeast bound: V,
        into best: inout [(value: V, index: Int)]
    ) -> Bool {
        let n = values.count, p = values.baseAddress!
        // No nested function: captured mutable state here cost dynamic exclusivity checks.
        return best.withUnsafeMutableBufferPointer { b in
            var count = 0, floor = bound, f = 0
            while f < n {
                let end = min(f + 16, n)
                // A fixed count of non-short-circuit tests: packed compares and a mask test.
                var hit: UInt32 = end - f < 16 ? 1 : 0
                if hit == 0 {
                    for q in 0..<16 { hit |= UInt32(truncatingIfNeeded: (p[f + q] >= floor ? 1 : 0) as Int) }
                }
                if hit != 0 {
                    for i in f..<end {
                        let v = p[i]
                        // Until k are kept, everything ≥ the bound; then, as `largest`, above the
                        // k-th (equal values keep the earlier index).
                        guard count < k ? v >= floor : v > floor else { continue }
                        var at = min(count, k - 1)
                        while at > 0, b[at - 1].value < v {
                            b[at] = b[at - 1]
                            at -= 1
                        }
                        b[at] = (v, i)
                        if count < k { count += 1 }
                        if count == k { floor = b[k - 1].value }
                    }
                }
                f = end
            }
            return count == k
        }
    }
}
