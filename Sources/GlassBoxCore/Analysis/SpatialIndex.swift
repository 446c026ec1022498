/// A uniform grid over 2-D points (e.g. the embedding's two shown axes) answering "nearest
/// sample to here" and "nearest sample in that direction" without scanning every point — the
/// explorer's h/l/arrow navigation and mouse clicks at 1,000,000 samples.
///
/// Coordinates are normalized by each axis' range, so "nearest" means nearest as drawn.
public struct SpatialIndex: Sendable {
    public enum Direction: Sendable { case left, right, up, down }

    private let xs: [Float], ys: [Float]  // normalized to [0, 1]
    private let minX: Float, minY: Float, spanX: Float, spanY: Float
    private let side: Int  // cells per axis
    private let cellStart: [Int32]  // side² + 1 offsets into `order`
    private let order: [Int32]  // point indices sorted by cell

    public var count: Int { xs.count }

    /// Indexes points (x[i], y[i]). Non-finite points are never returned.
    public init(x: [Float], y: [Float]) {
        precondition(x.count == y.count)
        let finite = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        let minX = finite.map(\.0).min() ?? 0, maxX = finite.map(\.0).max() ?? 1
        let minY = finite.map(\.1).min() ?? 0, maxY = finite.map(\.1).max() ?? 1
        self.minX = minX
        self.minY = minY
        spanX = maxX > minX ? maxX - minX : 1
        spanY = maxY > minY ? maxY - minY : 1
        let sx = spanX, sy = spanY
        xs = x.map { ($0 - minX) / sx }
        ys = y.map { ($0 - minY) / sy }
        // About four points per cell.
        side = max(1, min(2048, Int((Double(finite.count) / 4).squareRoot())))
        var counts = [Int32](repeating: 0, count: side * side + 1)
        var cells = [Int32](repeating: -1, count: x.count)
        for i in 0..<x.count where xs[i].isFinite && ys[i].isFinite {
            let c = Self.cell(xs[i], ys[i], side)
            cells[i] = Int32(c)
            counts[c + 1] += 1
        }
        for c in 0..<(side * side) { counts[c + 1] += counts[c] }
        var fill = counts
        var order = [Int32](repeating: 0, count: Int(counts[side * side]))
        for i in 0..<x.count where cells[i] >= 0 {
            let c = Int(cells[i])
            order[Int(fill[c])] = Int32(i)
            fill[c] += 1
        }
        cellStart = counts
        self.order = order
    }

    private static func cell(_ x: Float, _ y: Float, _ side: Int) -> Int {
        let cx = min(side - 1, max(0, Int(x * Float(side))))
        let cy = min(side - 1, max(0, Int(y * Float(side))))
        return cy * side + cx
    }

    /// The sample nearest to a point in data coordinates.
    public func nearest(x: Float, y: Float) -> Int? {
        search(from: ((x - minX) / spanX, (y - minY) / spanY), excluding: nil) { _, _ in true }
    }

    /// The nearest sample to `index` that lies in `direction` (within a 45° cone either side),
    /// preferring samples close to the direction's axis.
    public func neighbor(of index: Int, _ direction: Direction) -> Int? {
        guard index >= 0, index < count, xs[index].isFinite, ys[index].isFinite else { return nil }
        return search(from: (xs[index], ys[index]), excluding: index) { dx, dy in
            switch direction {
            case .right: return dx > 0 && abs(dy) <= dx
            case .left: return dx < 0 && abs(dy) <= -dx
            case .up: return dy > 0 && abs(dx) <= dy
            case .down: return dy < 0 && abs(dx) <= -dy
            }
        }
    }

    /// Ring search: visit cells at Chebyshev distance r = 0, 1, 2, … around the start cell,
    /// stopping once no unvisited cell can hold anything closer than the best found.
    private func search(from p: (Float, Float), excluding: Int?, accept: (Float, Float) -> Bool) -> Int? {
        guard !order.isEmpty else { return nil }
        let cx = min(side - 1, max(0, Int(p.0 * Float(side))))
        let cy = min(side - 1, max(0, Int(p.1 * Float(side))))
        let cellSize = 1 / Float(side)
        var best: Int? = nil
        var bestDistance = Float.infinity
        for r in 0...side {
            // Every cell of ring r is at least (r − 1) cells away from p (also when p lies
            // outside the grid and the start cell is clamped).
            if best != nil, Float(r - 1) * cellSize > bestDistance.squareRoot() { break }
            let y0 = cy - r, y1 = cy + r, x0 = cx - r, x1 = cx + r
            for yy in max(0, y0)...min(side - 1, y1) {
                let edgeRow = yy == y0 || yy == y1
                var xx = max(0, x0)
                while xx <= min(side - 1, x1) {
                    let c = yy * side + xx
                    for o in Int(cellStart[c])..<Int(cellStart[c + 1]) {
                        let i = Int(order[o])
                        if i == excluding { continue }
                        let dx = xs[i] - p.0, dy = ys[i] - p.1
                        guard accept(dx, dy) else { continue }
                        let d2 = dx * dx + dy * dy
                        if d2 < bestDistance || (d2 == bestDistance && i < best!) { bestDistance = d2; best = i }
                    }
                    // Interior rows of the ring: only its two edge cells.
                    xx = edgeRow || xx == x1 ? xx + 1 : x1
                }
            }
        }
        return best
    }
}
