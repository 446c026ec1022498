import Foundation

/// The rows whose shown coordinates fall inside a lasso (even-odd rule), ascending. The
/// polygon's edges are sorted into horizontal bands, so each point crosses only the few edges
/// of its band: O(n + edges) — one scan of the coordinates at 1,000,000 samples, however
/// many corners a mouse drag made.
public enum LassoMembers {
    public static func rows(xs: [Float], ys: [Float], lasso: SelectionLasso) -> [Int32] {
        let v = lasso.vertices
        guard v.count >= 3 else { return [] }
        let b = lasso.bounds
        guard b.yMax > b.yMin, b.xMax > b.xMin else { return [] }
        // Edges as x0, y0, x1, y1 with y0 < y1 (horizontal edges never cross a ray).
        var edges: [Double] = []
        for i in 0..<v.count {
            let p = v[i], q = v[(i + 1) % v.count]
            if p.y == q.y { continue }
            edges += p.y < q.y ? [p.x, p.y, q.x, q.y] : [q.x, q.y, p.x, p.y]
        }
        let edgeCount = edges.count / 4
        let bandCount = max(1, min(1024, edgeCount * 2))
        let bandHeight = (b.yMax - b.yMin) / Double(bandCount)
        func band(_ y: Double) -> Int { min(bandCount - 1, max(0, Int((y - b.yMin) / bandHeight))) }
        // Each band's edges, flattened: band k's are members[starts[k]..<starts[k + 1]].
        var perBand = [[Int32]](repeating: [], count: bandCount)
        for e in 0..<edgeCount {
            for k in band(edges[e * 4 + 1])...band(edges[e * 4 + 3]) { perBand[k].append(Int32(e)) }
        }
        var starts = [Int](repeating: 0, count: bandCount + 1)
        for k in 0..<bandCount { starts[k + 1] = starts[k] + perBand[k].count }
        let members = perBand.flatMap { $0 }
        let x0 = Float(b.xMin), x1 = Float(b.xMax), y0 = Float(b.yMin), y1 = Float(b.yMax)
        let n = min(xs.count, ys.count)
        // Points in pieces on every core (a lasso over 1,000,000 samples is a frame's work).
        func scan(_ range: Range<Int>) -> [Int32] {
            var out: [Int32] = []
            xs.withUnsafeBufferPointer { x in
                ys.withUnsafeBufferPointer { y in
                    edges.withUnsafeBufferPointer { edge in
                        starts.withUnsafeBufferPointer { start in
                            members.withUnsafeBufferPointer { member in
                                for i in range where x[i] >= x0 && x[i] <= x1 && y[i] >= y0 && y[i] <= y1 {
                                    let px = Double(x[i]), py = Double(y[i])
                                    let k = band(py)
                                    var inside = false
                                    // A ray to the right crosses edge (a, b) when py is in [ay, by) and the
                                    // crossing lies right of px.
                                    for m in start[k]..<start[k + 1] {
                                        let e = Int(member[m]) * 4
                                        let ay = edge[e + 1], by = edge[e + 3]
                                        guard py >= ay, py < by else { continue }
                                        let ax = edge[e], bx = edge[e + 2]
                                        if ax + (py - ay) / (by - ay) * (bx - ax) > px { inside.toggle() }
                                    }
                                    if inside { out.append(Int32(i)) }
                                }
                            }
                        }
                    }
                }
            }
            return out
        }
        let pieces = max(1, min(ProcessInfo.processInfo.activeProcessorCount, n >> 16))
        guard pieces > 1 else { return scan(0..<n) }
        var found = [[Int32]](repeating: [], count: pieces)
        found.withUnsafeMutableBufferPointer { found in
            let found = found
            DispatchQueue.concurrentPerform(iterations: pieces) { p in
                found[p] = scan((n * p / pieces)..<(n * (p + 1) / pieces))
            }
        }
        return Array(found.joined())
    }
}
