import GlassBoxTUI

/// A set of samples the analysis views aggregate: one label, or the samples inside a box
/// drawn on the shown axes.
public enum Selection: Equatable, Sendable {
    case group(Int)
    case box(SelectionBox)
}

/// A rectangle in data coordinates of two embedding axes.
public struct SelectionBox: Equatable, Sendable {
    public var xMin: Double, xMax: Double, yMin: Double, yMax: Double
    public var axes: AxisPair

    public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double, axes: AxisPair) {
        self.xMin = xMin
        self.xMax = xMax
        self.yMin = yMin
        self.yMax = yMax
        self.axes = axes
    }

    /// A box a quarter of the viewport's size around its centre.
    public static func centered(in v: Viewport, axes: AxisPair) -> SelectionBox {
        let cx = (v.xMin + v.xMax) / 2, cy = (v.yMin + v.yMax) / 2
        let w = (v.xMax - v.xMin) / 8, h = (v.yMax - v.yMin) / 8
        return SelectionBox(xMin: cx - w, xMax: cx + w, yMin: cy - h, yMax: cy + h, axes: axes)
    }

    /// Moved by (dx, dy) steps of 1/40 of the viewport.
    public func moved(dx: Int, dy: Int, in v: Viewport) -> SelectionBox {
        var b = self
        let sx = (v.xMax - v.xMin) / 40 * Double(dx), sy = (v.yMax - v.yMin) / 40 * Double(dy)
        b.xMin += sx; b.xMax += sx; b.yMin += sy; b.yMax += sy
        return b
    }

    /// Grown (or shrunk, negative) by a step on each side; never smaller than one step.
    public func resized(dx: Int, dy: Int, in v: Viewport) -> SelectionBox {
        var b = self
        let sx = (v.xMax - v.xMin) / 40, sy = (v.yMax - v.yMin) / 40
        let cx = (xMin + xMax) / 2, cy = (yMin + yMax) / 2
        let hw = max(sx / 2, (xMax - xMin) / 2 + sx * Double(dx)), hh = max(sy / 2, (yMax - yMin) / 2 + sy * Double(dy))
        b.xMin = cx - hw; b.xMax = cx + hw; b.yMin = cy - hh; b.yMax = cy + hh
        return b
    }

    public var viewport: Viewport { Viewport(xMin: xMin, xMax: xMax, yMin: yMin, yMax: yMax) }
}

/// A popup or editing mode of the analysis views; keys go to it while it is open.
public enum AnalysisOverlay: Equatable, Sendable {
    /// `s`: choose a label.
    case groupPicker(ListState)
    /// `b`: the box being drawn (arrows move it, h j k l resize it, Enter accepts).
    case drawBox(SelectionBox)
    /// `r`: the verification report; the list is its worst samples.
    case report(ListState)
    /// `o`: the groups overview.
    case groups(ListState)
}
