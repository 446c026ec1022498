/// Selecting the largest entries without sorting everything (d can be 30,000 genes).
public enum TopK {
    /// Indices of the `k` largest `key(i)` for i in 0..<count, largest first; ties go to the
    /// lower index so results are deterministic.
    public static func indices(count: Int, k: Int, key: (Int) -> Double) -> [Int] {
        let k = min(k, count)
        guard k > 0 else { return [] }
        // A min-heap of the best k seen so far: O(count · log k).
        var heap: [(value: Double, index: Int)] = []
        heap.reserveCapacity(k)
        func worse(_ a: (value: Double, index: Int), _ b: (value: Double, index: Int)) -> Bool {
            a.value < b.value || (a.value == b.value && a.index > b.index)
        }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < heap.count, worse(heap[l], heap[smallest]) { smallest = l }
                if r < heap.count, worse(heap[r], heap[smallest]) { smallest = r }
                if smallest == i { return }
                heap.swapAt(i, smallest)
                i = smallest
            }
        }
        for i in 0..<count {
            var v = key(i)
            if v.isNaN { v = -.infinity }
            let item = (value: v, index: i)
            if heap.count < k {
                heap.append(item)
                var c = heap.count - 1
                while c > 0 {
                    let p = (c - 1) / 2
                    if worse(heap[c], heap[p]) { heap.swapAt(c, p); c = p } else { break }
                }
            } else if worse(heap[0], item) {
                heap[0] = item
                siftDown(0)
            }
        }
        return heap.sorted { worse($1, $0) }.map(\.index)
    }

    /// Indices of the `k` largest values of an array, largest first.
    public static func indices<T: BinaryFloatingPoint>(of values: [T], k: Int) -> [Int] {
        values.withUnsafeBufferPointer { v in indices(count: v.count, k: k) { Double(v[$0]) } }
    }
}
