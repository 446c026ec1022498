/// A cell position on the screen (column `x`, row `y`; origin top-left).
public struct Position: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    public var description: String { "(\(x), \(y))" }
}

/// A rectangle of terminal cells. Widths and heights are never negative.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// A rectangle at the origin.
    public init(width: Int, height: Int) {
        self.init(x: 0, y: 0, width: width, height: height)
    }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    public var left: Int { x }
    /// One past the last column.
    public var right: Int { x + width }
    public var top: Int { y }
    /// One past the last row.
    public var bottom: Int { y + height }
    public var area: Int { width * height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    public var description: String { "Rect(x: \(x), y: \(y), w: \(width), h: \(height))" }

    /// The rectangle shrunk by `margin` cells on every side (empty if it doesn't fit).
    public func inner(_ margin: Int) -> Rect {
        inner(horizontal: margin, vertical: margin)
    }

    /// The rectangle shrunk by `horizontal` columns left and right and `vertical` rows top and bottom.
    public func inner(horizontal: Int, vertical: Int) -> Rect {
        guard width >= 2 * horizontal, height >= 2 * vertical else {
            return Rect(x: x + min(horizontal, width / 2), y: y + min(vertical, height / 2), width: 0, height: 0)
        }
        return Rect(
            x: x + horizontal, y: y + vertical,
            width: width - 2 * horizontal, height: height - 2 * vertical)
    }

    /// The overlap of two rectangles (empty, positioned inside `self`, when they don't overlap).
    public func intersection(_ other: Rect) -> Rect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(right, other.right), y1 = min(bottom, other.bottom)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    public func intersects(_ other: Rect) -> Bool {
        !intersection(other).isEmpty
    }

    public func contains(_ p: Position) -> Bool {
        contains(x: p.x, y: p.y)
    }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < right && py >= y && py < bottom
    }

    /// A `width`×`height` rectangle centred in `self` (clamped to fit).
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(max(0, w), width), ch = min(max(0, h), height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }

    /// A rectangle centred in `self` covering the given percentages of its size.
    public func centered(percentWidth pw: Int, percentHeight ph: Int) -> Rect {
        centered(width: width * pw / 100, height: height * ph / 100)
    }

    /// The single row `dy` rows below the top (empty if outside).
    public func row(_ dy: Int) -> Rect {
        guard dy >= 0, dy < height else { return Rect(x: x, y: y, width: 0, height: 0) }
        return Rect(x: x, y: y + dy, width: width, height: 1)
    }
}
