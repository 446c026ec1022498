/// How a `Layout` sizes one segment.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells (shrinks only when space runs out).
    case length(Int)
    /// At least `n` cells; grows to absorb free space when there is no `.fill`.
    case min(Int)
    /// Up to `n` cells; never grows beyond.
    case max(Int)
    /// `p` percent of the available space.
    case percentage(Int)
    /// A share of the free space proportional to `weight`, after everything else.
    case fill(Int)
}

/// Splits a `Rect` into rows or columns by constraints.
///
/// A simple deterministic solver rather than ratatui's Cassowary:
/// 1. Base sizes: `length`/`min`/`max` their value, `percentage` its share of the space
///    (cumulative rounding, so 50% + 50% covers odd sizes exactly), `fill` 0.
/// 2. Too big: shrink `percentage`, then `length`, then `max`, then `min` segments, each class
///    from the last segment backwards (headers survive, footers go first).
/// 3. Space left: `fill`s share it by weight; without fills, `min`s share it equally;
///    otherwise it stays unused at the end.
public struct Layout: Sendable {
    public enum Direction: Sendable { case horizontal, vertical }

    public var direction: Direction
    public var constraints: [Constraint]
    /// Cells between segments.
    public var spacing: Int
    /// Cells removed from every side of the area before splitting.
    public var margin: Int

    public init(_ direction: Direction, _ constraints: [Constraint], spacing: Int = 0, margin: Int = 0) {
        self.direction = direction
        self.constraints = constraints
        self.spacing = spacing
        self.margin = margin
    }

    /// Segments stacked top to bottom.
    public static func vertical(_ constraints: [Constraint], spacing: Int = 0, margin: Int = 0) -> Layout {
        Layout(.vertical, constraints, spacing: spacing, margin: margin)
    }

    /// Segments side by side, left to right.
    public static func horizontal(_ constraints: [Constraint], spacing: Int = 0, margin: Int = 0) -> Layout {
        Layout(.horizontal, constraints, spacing: spacing, margin: margin)
    }

    /// One rect per constraint, in order.
    public func split(_ area: Rect) -> [Rect] {
        let a = area.inner(margin)
        let total = direction == .vertical ? a.height : a.width
        let sizes = Layout.solve(constraints, total: total, spacing: spacing)
        var rects: [Rect] = []
        rects.reserveCapacity(sizes.count)
        var offset = 0
        for s in sizes {
            let start = Swift.min(offset, total)
            let len = Swift.max(0, Swift.min(s, total - start))
            rects.append(
                direction == .vertical
                    ? Rect(x: a.x, y: a.y + start, width: a.width, height: len)
                    : Rect(x: a.x + start, y: a.y, width: len, height: a.height))
            offset += s + spacing
        }
        return rects
    }

    /// Segment sizes for `total` cells (see the type's documentation for the rules).
    public static func solve(_ constraints: [Constraint], total: Int, spacing: Int = 0) -> [Int] {
        let n = constraints.count
        guard n > 0 else { return [] }
        let avail = Swift.max(0, total - spacing * (n - 1))
        var size = [Int](repeating: 0, count: n)
        var percentSoFar = 0
        for (i, c) in constraints.enumerated() {
            switch c {
            case .length(let v), .min(let v), .max(let v):
                size[i] = Swift.max(0, v)
            case .percentage(let p):
                let p = Swift.max(0, p)
                size[i] = (percentSoFar + p) * avail / 100 - percentSoFar * avail / 100
                percentSoFar += p
            case .fill:
                size[i] = 0
            }
        }
        var used = size.reduce(0, +)
        if used > avail {
            // Shrink order: lowest priority first; within a class, last segment first.
            let classes: [(Constraint) -> Bool] = [
                {
                    if case .percentage = $0 { return true }; return false
                },
                {
                    if case .length = $0 { return true }; return false
                },
                {
                    if case .max = $0 { return true }; return false
                },
                {
                    if case .min = $0 { return true }; return false
                },
            ]
            for inClass in classes where used > avail {
                for i in stride(from: n - 1, through: 0, by: -1) where used > avail && inClass(constraints[i]) {
                    let cut = Swift.min(size[i], used - avail)
                    size[i] -= cut
                    used -= cut
                }
            }
        } else if used < avail {
            let free = avail - used
            var weights = constraints.map { c -> Int in
                if case .fill(let w) = c { return Swift.max(0, w) }
                return 0
            }
            if weights.allSatisfy({ $0 == 0 }) {
                weights = constraints.map { c -> Int in
                    if case .min = c { return 1 }
                    return 0
                }
            }
            let totalWeight = weights.reduce(0, +)
            if totalWeight > 0 {
                // Cumulative rounding: shares add up to exactly `free`.
                var cumulative = 0
                for i in 0..<n where weights[i] > 0 {
                    let before = cumulative * free / totalWeight
                    cumulative += weights[i]
                    size[i] += cumulative * free / totalWeight - before
                }
            }
        }
        return size
    }
}

extension Rect {
    /// Splits into rows by constraints (`Layout.vertical(constraints).split(self)`).
    public func splitVertically(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Layout.vertical(constraints, spacing: spacing).split(self)
    }

    /// Splits into columns by constraints (`Layout.horizontal(constraints).split(self)`).
    public func splitHorizontally(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Layout.horizontal(constraints, spacing: spacing).split(self)
    }
}
