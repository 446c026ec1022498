/// A changed cell produced by `Buffer.diff`, in absolute screen coordinates.
public struct CellUpdate: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell

    public init(x: Int, y: Int, cell: Cell) {
        self.x = x
        self.y = y
        self.cell = cell
    }
}

/// A rectangle of cells stored row-major. Widgets draw here; coordinates are absolute (the
/// same space as `area`), and every write is clipped to `area`.
public struct Buffer: Equatable, Sendable {
    public private(set) var area: Rect
    public private(set) var content: [Cell]

    /// A buffer of blank cells.
    public init(area: Rect) {
        self.area = area
        self.content = Array(repeating: .blank, count: area.area)
    }

    /// A buffer whose rows are `lines` (padded with blanks, clipped to the longest line).
    public init(lines: [String]) {
        let w = lines.map { TextWidth.width($0) }.max() ?? 0
        self.init(area: Rect(width: w, height: lines.count))
        for (i, l) in lines.enumerated() { setString(0, i, l) }
    }

    /// Flat index of an absolute position (which must be inside `area`).
    @inline(__always)
    public func index(x: Int, y: Int) -> Int {
        (y - area.y) * area.width + (x - area.x)
    }

    /// Raw cell access. The setter doesn't repair wide glyphs; prefer `set(_:x:y:)`.
    public subscript(x: Int, y: Int) -> Cell {
        get { content[index(x: x, y: y)] }
        set { content[index(x: x, y: y)] = newValue }
    }

    /// Blanks every cell.
    public mutating func reset() {
        for i in content.indices { content[i] = .blank }
    }

    /// Resizes to `newArea`, blanking everything.
    public mutating func resize(_ newArea: Rect) {
        area = newArea
        content = Array(repeating: .blank, count: newArea.area)
    }

    /// Writes one cell, keeping wide glyphs consistent: overwriting either half of a wide glyph
    /// blanks the other half, and a wide glyph that doesn't fit the row becomes a blank.
    public mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard area.contains(x: x, y: y) else { return }
        let i = index(x: x, y: y)
        var cell = cell
        if cell.width == 2 && x + 1 >= area.right {
            cell = Cell(symbol: " ", style: cell.style, width: 1)
        }
        clearWideNeighbours(at: i, x: x)
        content[i] = cell
        if cell.width == 2 {
            clearWideNeighbours(at: i + 1, x: x + 1)
            content[i + 1] = .continuation(style: cell.style)
        }
    }

    /// Before overwriting cell `i`: detach it from any wide glyph it belongs to.
    @inline(__always)
    private mutating func clearWideNeighbours(at i: Int, x: Int) {
        let old = content[i]
        if old.isContinuation, x > area.x, content[i - 1].width == 2 {
            content[i - 1] = Cell(symbol: " ", style: content[i - 1].style, width: 1)
        } else if old.width == 2, x + 1 < area.right, content[i + 1].isContinuation {
            content[i + 1] = Cell(symbol: " ", style: content[i + 1].style, width: 1)
        }
    }

    /// Writes `string` starting at (x, y), patching `style` over the existing cell styles, and
    /// stopping at the right edge or after `maxWidth` columns. Control characters are skipped;
    /// a wide glyph that doesn't fit is not split. Returns the column after the last glyph.
    @discardableResult
    public mutating func setString(_ x: Int, _ y: Int, _ string: String, style: Style = Style(), maxWidth: Int = .max) -> Int {
        guard y >= area.y, y < area.bottom else { return x }
        let limit = min(area.right, maxWidth == .max ? Int.max : x + max(0, maxWidth))
        var cx = x
        for ch in string {
            let w = ch.terminalWidth
            if w == 0 { continue }
            if cx + w > limit { break }
            if cx >= area.x {
                let old = content[index(x: cx, y: y)].style
                set(Cell(symbol: ch, style: old.patch(style), width: UInt8(w)), x: cx, y: y)
            }
            cx += w
        }
        return cx
    }

    /// Writes a styled line (see `setString`). Returns the column after the last glyph.
    @discardableResult
    public mutating func setLine(_ x: Int, _ y: Int, _ line: Line, maxWidth: Int = .max) -> Int {
        var cx = x
        let end = maxWidth == .max ? Int.max : x + max(0, maxWidth)
        for span in line.spans {
            guard cx < end else { break }
            cx = setString(cx, y, span.content, style: line.style.patch(span.style), maxWidth: end - cx)
        }
        return cx
    }

    /// Patches `style` over every cell of `rect` (clipped to the buffer).
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.bottom {
            let base = index(x: r.x, y: y)
            for i in base..<(base + r.width) { content[i].style = content[i].style.patch(style) }
        }
    }

    /// Fills `rect` (clipped) with copies of `cell` (a wide cell is repeated every two columns).
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        for y in r.y..<r.bottom {
            if cell.width != 1 {
                for x in stride(from: r.x, to: r.right, by: 2) { set(cell, x: x, y: y) }
                continue
            }
            // Repair wide glyphs cut by the left/right edges of the fill.
            clearWideNeighbours(at: index(x: r.x, y: y), x: r.x)
            clearWideNeighbours(at: index(x: r.right - 1, y: y), x: r.right - 1)
            let base = index(x: r.x, y: y)
            for i in base..<(base + r.width) { content[i] = cell }
        }
    }

    /// Fills `rect` with `symbol` in `style` (replacing, not patching, the style).
    public mutating func fill(_ rect: Rect, symbol: Character = " ", style: Style = Style()) {
        fill(rect, with: Cell(symbol, style: style))
    }

    /// The text of each row — exactly `area.width` columns, trailing spaces kept, wide glyphs
    /// written once. Styles are ignored. For tests and debugging.
    public func lines() -> [String] {
        var out: [String] = []
        out.reserveCapacity(area.height)
        for row in 0..<area.height {
            var s = ""
            var previousWide = false
            for col in 0..<area.width {
                let c = content[row * area.width + col]
                if c.isContinuation {
                    if !previousWide { s.append(" ") }
                    previousWide = false
                } else {
                    s.append(c.symbol)
                    previousWide = c.width == 2
                }
            }
            out.append(s)
        }
        return out
    }

    /// The cells that must be written to turn a screen showing `previous` into `self`, in
    /// row-major order. Continuation cells are never emitted (the wide glyph covers them); cells
    /// after a glyph whose width changed are re-sent even if equal, as in ratatui, so a narrowed
    /// glyph can't leave a stale half on screen. A different area means everything changed.
    public func diff(_ previous: Buffer) -> [CellUpdate] {
        var updates: [CellUpdate] = []
        guard previous.area == area else {
            for (i, c) in content.enumerated() where !c.isContinuation {
                updates.append(CellUpdate(x: area.x + i % area.width, y: area.y + i / area.width, cell: c))
            }
            return updates
        }
        var invalidated = 0
        var toSkip = 0
        content.withUnsafeBufferPointer { cur in
            previous.content.withUnsafeBufferPointer { prev in
                for i in 0..<cur.count {
                    let c = cur[i], p = prev[i]
                    if !c.isContinuation && toSkip == 0 && (invalidated > 0 || c != p) {
                        updates.append(CellUpdate(x: area.x + i % area.width, y: area.y + i / area.width, cell: c))
                    }
                    toSkip = max(0, Int(c.width) - 1)
                    invalidated = max(0, max(Int(max(c.width, p.width)), invalidated) - 1)
                }
            }
        }
        return updates
    }
}
