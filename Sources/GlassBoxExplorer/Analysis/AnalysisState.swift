import GlassBoxTUI

/// A set of samples the analysis views aggregate: one label, the samples inside a box, or
/// inside a freeform lasso, drawn on the shown axes.
public enum Selection: Equatable, Sendable {
    case group(Int)
    case box(SelectionBox)
    case lasso(SelectionLasso)

    /// The axes a drawn selection was drawn on (nil for a label).
    public var axes: AxisPair? {
        switch self {
        case .group: return nil
        case .box(let b): return b.axes
        case .lasso(let l): return l.axes
        }
    }
}

/// What a selection is set against in its panel.
public enum Versus: Equatable, Sendable {
    /// Every sample not selected.
    case rest
    /// A kept selection (its index in `ExplorerState.kept`): "A vs B".
    case kept(Int)
}

/// A selection kept under a name (`a`): the kept list recalls it, compares it with the shown
/// one, and writes every kept selection as one annotation column.
public struct KeptSelection: Equatable, Sendable {
    public var name: String
    public var selection: Selection

    public init(name: String, selection: Selection) {
        self.name = name
        self.selection = selection
    }
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

    /// Moved by (dx, dy) steps of 1/40 of the viewport (dy > 0 moves up, as the data's y).
    public func moved(dx: Int, dy: Int, in v: Viewport) -> SelectionBox {
        var b = self
        let sx = (v.xMax - v.xMin) / 40 * Double(dx), sy = (v.yMax - v.yMin) / 40 * Double(dy)
        b.xMin += sx; b.xMax += sx; b.yMin += sy; b.yMax += sy
        return b
    }

    /// Its bottom-right corner moved by (dx, dy) steps on screen — right and down for
    /// positive steps, as the arrows point: `l` widens, `h` narrows, `j` lowers the bottom
    /// edge (taller), `k` raises it (shorter). Never smaller than one step.
    public func resized(dx: Int, dy: Int, in v: Viewport) -> SelectionBox {
        var b = self
        let sx = (v.xMax - v.xMin) / 40, sy = (v.yMax - v.yMin) / 40
        b.xMax = max(xMin + sx, xMax + sx * Double(dx))
        b.yMin = min(yMax - sy, yMin - sy * Double(dy))
        return b
    }

    public var viewport: Viewport { Viewport(xMin: xMin, xMax: xMax, yMin: yMin, yMax: yMax) }
}

/// A point in data coordinates.
public struct DataPoint: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A closed polygon in data coordinates of two embedding axes: the samples inside it (even-odd
/// rule) are selected.
public struct SelectionLasso: Equatable, Sendable {
    public var vertices: [DataPoint]
    public var axes: AxisPair

    public init(vertices: [DataPoint], axes: AxisPair) {
        self.vertices = vertices
        self.axes = axes
    }

    /// The bounding box, for names and the scan's first test.
    public var bounds: Viewport {
        Viewport(
            xMin: vertices.map(\.x).min() ?? 0, xMax: vertices.map(\.x).max() ?? 0,
            yMin: vertices.map(\.y).min() ?? 0, yMax: vertices.map(\.y).max() ?? 0)
    }
}

/// A lasso being drawn: with the mouse (each drag adds a vertex, release closes it) or from
/// the keyboard (the arrows move a cursor, Space places a vertex, Enter closes).
public struct LassoDraft: Equatable, Sendable {
    public var vertices: [DataPoint]
    /// The keyboard cursor (nil while drawing with the mouse).
    public var cursor: DataPoint?
    public var axes: AxisPair

    public init(vertices: [DataPoint] = [], cursor: DataPoint?, axes: AxisPair) {
        self.vertices = vertices
        self.cursor = cursor
        self.axes = axes
    }

    /// The cursor moved by (dx, dy) steps of 1/40 of the viewport, kept inside it.
    public func movingCursor(dx: Int, dy: Int, in v: Viewport) -> LassoDraft {
        guard let c = cursor else { return self }
        var d = self
        let sx = (v.xMax - v.xMin) / 40, sy = (v.yMax - v.yMin) / 40
        d.cursor = DataPoint(
            x: min(v.xMax, max(v.xMin, c.x + sx * Double(dx))),
            y: min(v.yMax, max(v.yMin, c.y + sy * Double(dy))))
        return d
    }

    /// A polygon needs three corners.
    public var canClose: Bool { vertices.count >= 3 }
}

/// A popup or editing mode of the analysis views; keys go to it while it is open.
public enum AnalysisOverlay: Equatable, Sendable {
    /// `s`: choose a label.
    case groupPicker(ListState)
    /// `b`: the box being drawn (arrows move it, h j k l move its bottom-right corner).
    case drawBox(SelectionBox)
    /// `f` or a mouse drag: the lasso being drawn.
    case lasso(LassoDraft)
    /// `r`: the verification report; the list is its worst samples.
    case report(ListState)
    /// `o`: the groups overview.
    case groups(ListState)
    /// `A`: the kept selections.
    case kept(ListState)
    /// Enter in the sets space: a set's members and their contributions.
    case members(set: Int, ListState)
}
