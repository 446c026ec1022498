/// The data-space rectangle a canvas shows. y grows upwards, as in plots.
public struct Viewport: Equatable, Sendable {
    public var xMin: Double, xMax: Double, yMin: Double, yMax: Double

    public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double) {
        self.xMin = xMin
        self.xMax = xMax
        self.yMin = yMin
        self.yMax = yMax
    }

    /// The bounding box of the finite points, padded by `padding` (a fraction of each span).
    /// Degenerate spans are widened to 1 so a single point lands in the middle.
    public static func fitting(xs: UnsafeBufferPointer<Float>, ys: UnsafeBufferPointer<Float>, padding: Double = 0) -> Viewport {
        var x0 = Float.infinity, x1 = -Float.infinity, y0 = Float.infinity, y1 = -Float.infinity
        for i in 0..<min(xs.count, ys.count) {
            let x = xs[i], y = ys[i]
            guard x.isFinite, y.isFinite else { continue }
            x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
        }
        guard x0 <= x1, y0 <= y1 else { return Viewport(xMin: 0, xMax: 1, yMin: 0, yMax: 1) }
        var v = Viewport(xMin: Double(x0), xMax: Double(x1), yMin: Double(y0), yMax: Double(y1))
        if v.xMax - v.xMin <= 0 { v.xMin -= 0.5; v.xMax += 0.5 }
        if v.yMax - v.yMin <= 0 { v.yMin -= 0.5; v.yMax += 0.5 }
        let px = (v.xMax - v.xMin) * padding, py = (v.yMax - v.yMin) * padding
        return Viewport(xMin: v.xMin - px, xMax: v.xMax + px, yMin: v.yMin - py, yMax: v.yMax + py)
    }

    /// Zoomed by `factor` (> 1 zooms in) around a data point.
    public func zoomed(by factor: Double, around cx: Double, _ cy: Double) -> Viewport {
        Viewport(
            xMin: cx - (cx - xMin) / factor, xMax: cx + (xMax - cx) / factor,
            yMin: cy - (cy - yMin) / factor, yMax: cy + (yMax - cy) / factor)
    }

    /// Shifted by fractions of the current span (positive dx moves the view right, dy up).
    public func panned(dx: Double, dy: Double) -> Viewport {
        let sx = (xMax - xMin) * dx, sy = (yMax - yMin) * dy
        return Viewport(xMin: xMin + sx, xMax: xMax + sx, yMin: yMin + sy, yMax: yMax + sy)
    }
}
