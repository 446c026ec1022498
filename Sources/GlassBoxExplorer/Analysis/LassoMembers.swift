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
        // Edges as (x0, y0, x1, y1) with y0 < y1 (horizontal edges never cross a ray).
        var edges: [(Double, Double, Double, Double)] = []
        for i in 0..<v.count {
            let p = v[i], q = v[(i + 1) % v.count]
            if p.y == q.y { continue }
            edges.append(p.y < q.y ? (p.x, p.y, q.x, q.y) : (q.x, q.y, p.x, p.y))
        }
        let bandCount = max(1, min(1024, edges.count * 2))
        let bandHeight = (b.yMax - b.yMin) / Double(bandCount)
        var bands = [[Int]](repeating: [], count: bandCount)
        func band(_ y: Double) -> Int { min(bandCount - 1, max(0, Int((y - b.yMin) / bandHeight))) }
        for (e, edge) in edges.enumerated() {
            for k in band(edge.1)...band(edge.3) { bands[k].append(e) }
        }
        let x0 = Float(b.xMin), x1 = Float(b.xMax), y0 = Float(b.yMin), y1 = Float(b.yMax)
        var out: [Int32] = []
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeBufferPointer { y in
                for i in 0..<min(x.count, y.count) where x[i] >= x0 && x[i] <= x1 && y[i] >= y0 && y[i] <= y1 {
                    let px = Double(x[i]), py = Double(y[i])
                    var inside = false
                    // A ray to the right crosses edge (a, b) when py is in [y0, y1) and the
                    // crossing lies right of px.
                    for e in bands[band(py)] {
                        let (ax, ay, bx, by) = edges[e]
                        guard py >= ay, py < by else { continue }
                        let cx = ax + (py - ay) / (by - ay) * (bx - ax)
                        if cx > px { inside.toggle() }
                    }
                    if inside { out.append(Int32(i)) }
                }
            }
        }
        return out
    }
}
