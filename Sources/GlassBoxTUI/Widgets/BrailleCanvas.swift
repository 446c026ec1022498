/// A scatter plot at braille resolution: each cell is a 2×4 dot grid (U+2800 + mask, bit order
/// ⠁⠈⠂⠐⠄⠠⡀⢀ as in ratatui) with one ink per cell — a colour, or a style with bold/dim for
/// terminals with few or no colours.
///
/// Build it for the exact cell size it will be rendered at, plot layers in order, then render:
///
///     var canvas = BrailleCanvas(width: inner.width, height: inner.height, viewport: view)
///     xs.withUnsafeBufferPointer { x in ys.withUnsafeBufferPointer { y in
///         classes.withUnsafeBufferPointer { c in canvas.plot(xs: x, ys: y, colorIndices: c, palette: colors) } } }
///     canvas.mark(x: fx, y: fy, style: Style(fg: .brightWhite, modifiers: .bold))
///     frame.render(canvas, in: inner)
///
/// Plotting rasterises straight into the dot mask — O(points), no per-point allocation — so a
/// million points take a few milliseconds in release builds. A cell's colour is that of the
/// last point plotted into it: later layers (and later points within a layer) win, so plot
/// the most important layer last. Markers are drawn on top of everything as whole-cell glyphs.
/// Without Unicode, cells show `.` (1–3 dots) or `*` (4 or more).
public struct BrailleCanvas: Widget {
    /// A whole-cell glyph drawn over the dots (e.g. the focused point).
    public struct Marker: Equatable, Sendable {
        public var x: Double, y: Double
        public var symbol: Character
        public var asciiSymbol: Character
        public var style: Style
    }

    /// Size in cells.
    public private(set) var width: Int
    public private(set) var height: Int
    public var viewport: Viewport
    public var glyphs: GlyphSet
    /// Patched under every drawn dot cell.
    public var style: Style
    /// Dot masks, row-major, one per cell.
    public private(set) var masks: [UInt8]
    /// Ink of the last point plotted into each cell, as an index into `inkTable` (one byte a
    /// cell: plotting a million points writes a byte each, not a style).
    public private(set) var cellInks: [UInt8]
    /// The inks used so far (at most 256; past that, further inks share the last slot).
    public private(set) var inkTable: [Style] = [Style()]
    public private(set) var markers: [Marker] = []

    public init(width: Int, height: Int, viewport: Viewport, glyphs: GlyphSet = .unicode, style: Style = Style()) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.viewport = viewport
        self.glyphs = glyphs
        self.style = style
        masks = Array(repeating: 0, count: self.width * self.height)
        cellInks = Array(repeating: 0, count: self.width * self.height)
    }

    /// The ink of a cell.
    public func ink(at i: Int) -> Style { inkTable[Int(cellInks[i])] }

    /// The table slot of `ink`, added when new.
    private mutating func slot(_ ink: Style) -> UInt8 {
        if let i = inkTable.firstIndex(of: ink) { return UInt8(i) }
        guard inkTable.count < 256 else { return 255 }
        inkTable.append(ink)
        return UInt8(inkTable.count - 1)
    }

    /// Dots across and down.
    public var dotWidth: Int { width * 2 }
    public var dotHeight: Int { height * 4 }

    /// Removes all dots and markers, keeping the allocation (reuse one canvas across frames).
    public mutating func clear() {
        for i in masks.indices { masks[i] = 0 }
        for i in cellInks.indices { cellInks[i] = 0 }
        inkTable = [Style()]
        markers.removeAll(keepingCapacity: true)
    }

    /// Changes the size in cells, clearing everything.
    public mutating func resize(width w: Int, height h: Int) {
        width = max(0, w)
        height = max(0, h)
        masks = Array(repeating: 0, count: width * height)
        cellInks = Array(repeating: 0, count: width * height)
        inkTable = [Style()]
        markers.removeAll()
    }

    /// The dot (column, row) a data point falls on, or nil outside the viewport. The upper
    /// edges are inclusive so points exactly on `xMax`/`yMin` are drawn.
    public func dot(x: Double, y: Double) -> (x: Int, y: Int)? {
        let fx = (x - viewport.xMin) / (viewport.xMax - viewport.xMin) * Double(dotWidth)
        let fy = (viewport.yMax - y) / (viewport.yMax - viewport.yMin) * Double(dotHeight)
        guard fx >= 0, fy >= 0, fx <= Double(dotWidth), fy <= Double(dotHeight), dotWidth > 0, dotHeight > 0 else { return nil }
        return (min(Int(fx), dotWidth - 1), min(Int(fy), dotHeight - 1))
    }

    /// The cell (relative to the canvas) a data point falls in.
    public func cell(x: Double, y: Double) -> (x: Int, y: Int)? {
        dot(x: x, y: y).map { ($0.x / 2, $0.y / 4) }
    }

    /// Turns on one dot (canvas dot coordinates) in `color`.
    public mutating func setDot(_ dx: Int, _ dy: Int, color: Color) {
        setDot(dx, dy, ink: Style(fg: color))
    }

    /// Turns on one dot (canvas dot coordinates) in `ink`.
    public mutating func setDot(_ dx: Int, _ dy: Int, ink: Style) {
        guard dx >= 0, dy >= 0, dx < dotWidth, dy < dotHeight else { return }
        let i = (dy >> 2) * width + (dx >> 1)
        masks[i] |= GlyphSet.brailleBits[dy & 3][dx & 1]
        cellInks[i] = slot(ink)
    }

    /// Plots one point.
    public mutating func plot(x: Double, y: Double, color: Color) {
        if let d = dot(x: x, y: y) { setDot(d.x, d.y, color: color) }
    }

    /// Plots a layer of points in one colour. Non-finite and out-of-view points are skipped.
    public mutating func plot(
        xs: UnsafeBufferPointer<Float>, ys: UnsafeBufferPointer<Float>,
        indices: UnsafeBufferPointer<Int32>? = nil, color: Color
    ) {
        rasterize(xs: xs, ys: ys, indices: indices, colorIndices: nil, palette: [Style(fg: color)])
    }

    /// Plots a layer of points in one ink.
    public mutating func plot(
        xs: UnsafeBufferPointer<Float>, ys: UnsafeBufferPointer<Float>,
        indices: UnsafeBufferPointer<Int32>? = nil, ink: Style
    ) {
        rasterize(xs: xs, ys: ys, indices: indices, colorIndices: nil, palette: [ink])
    }

    /// Plots a layer of points coloured per point: `palette[colorIndices[i]]` (indices past the
    /// end of the palette use its last colour). With `indices`, only those points are plotted
    /// (e.g. a filtered subset), in that order.
    public mutating func plot(
        xs: UnsafeBufferPointer<Float>, ys: UnsafeBufferPointer<Float>,
        indices: UnsafeBufferPointer<Int32>? = nil,
        colorIndices: UnsafeBufferPointer<UInt8>, palette: [Color]
    ) {
        rasterize(xs: xs, ys: ys, indices: indices, colorIndices: colorIndices, palette: palette.map { Style(fg: $0) })
    }

    /// Plots a layer of points inked per point: `inks[inkIndices[i]]` (past the end: the last).
    public mutating func plot(
        xs: UnsafeBufferPointer<Float>, ys: UnsafeBufferPointer<Float>,
        indices: UnsafeBufferPointer<Int32>? = nil,
        inkIndices: UnsafeBufferPointer<UInt8>, inks palette: [Style]
    ) {
        rasterize(xs: xs, ys: ys, indices: indices, colorIndices: inkIndices, palette: palette)
    }

    /// Array convenience for `plot(xs:ys:indices:color:)`.
    public mutating func plot(xs: [Float], ys: [Float], color: Color) {
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeBufferPointer { y in plot(xs: x, ys: y, color: color) }
        }
    }

    /// Array convenience for `plot(xs:ys:indices:colorIndices:palette:)`.
    public mutating func plot(xs: [Float], ys: [Float], colorIndices: [UInt8], palette: [Color]) {
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeBufferPointer { y in
                colorIndices.withUnsafeBufferPointer { c in plot(xs: x, ys: y, colorIndices: c, palette: palette) }
            }
        }
    }

    private mutating func rasterize(
        xs: UnsafeBufferPointer<Float>, ys: UnsafeBufferPointer<Float>,
        indices: UnsafeBufferPointer<Int32>?,
        colorIndices: UnsafeBufferPointer<UInt8>?, palette: [Style]
    ) {
        guard width > 0, height > 0, !palette.isEmpty else { return }
        var count = min(xs.count, ys.count)
        if let c = colorIndices { count = min(count, c.count) }
        guard count > 0, let px = xs.baseAddress, let py = ys.baseAddress else { return }
        // A 256-entry table removes the palette bounds check from the hot loop.
        let slots = palette.prefix(256).map { slot($0) }
        var table = [UInt8](repeating: slots[slots.count - 1], count: 256)
        for (i, c) in slots.enumerated() { table[i] = c }
        let spanX = viewport.xMax - viewport.xMin, spanY = viewport.yMax - viewport.yMin
        guard spanX > 0, spanY > 0 else { return }
        let dw = Float(dotWidth), dh = Float(dotHeight)
        let sx = Float(Double(dotWidth) / spanX), sy = Float(Double(dotHeight) / spanY)
        let x0 = Float(viewport.xMin), y1 = Float(viewport.yMax)
        let maxDX = dotWidth - 1, maxDY = dotHeight - 1
        let w = width
        let bits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0x01, 0x08, 0x02, 0x10, 0x04, 0x20, 0x40, 0x80)
        let singleColor = colorIndices == nil ? table[0] : nil

        withUnsafeBytes(of: bits) { bitBytes in
            let bit = bitBytes.bindMemory(to: UInt8.self)
            table.withUnsafeBufferPointer { tbl in
                masks.withUnsafeMutableBufferPointer { m in
                    cellInks.withUnsafeMutableBufferPointer { col in
                        @inline(__always) func put(_ i: Int) {
                            let fx = (px[i] - x0) * sx
                            let fy = (y1 - py[i]) * sy
                            // Written so NaN fails the test and is skipped.
                            guard fx >= 0, fy >= 0, fx <= dw, fy <= dh else { return }
                            let dx = Swift.min(Int(fx), maxDX), dy = Swift.min(Int(fy), maxDY)
                            let cell = (dy &>> 2) &* w &+ (dx &>> 1)
                            m[cell] |= bit[((dy & 3) &<< 1) | (dx & 1)]
                            if let c = singleColor { col[cell] = c } else { col[cell] = tbl[Int(colorIndices.unsafelyUnwrapped[i])] }
                        }
                        if let idx = indices {
                            for j in idx where j >= 0 && Int(j) < count { put(Int(j)) }
                        } else {
                            for i in 0..<count { put(i) }
                        }
                    }
                }
            }
        }
    }

    /// Draws a straight line between two data points (Bresenham on the dot grid).
    public mutating func line(from a: (x: Double, y: Double), to b: (x: Double, y: Double), color: Color) {
        line(from: a, to: b, ink: Style(fg: color))
    }

    /// Draws a straight line between two data points in `ink`.
    public mutating func line(from a: (x: Double, y: Double), to b: (x: Double, y: Double), ink: Style) {
        let spanX = viewport.xMax - viewport.xMin, spanY = viewport.yMax - viewport.yMin
        guard spanX > 0, spanY > 0, dotWidth > 0, dotHeight > 0 else { return }
        func toDot(_ p: (x: Double, y: Double)) -> (Int, Int)? {
            let fx = ((p.x - viewport.xMin) / spanX * Double(dotWidth)).rounded(.down)
            let fy = ((viewport.yMax - p.y) / spanY * Double(dotHeight)).rounded(.down)
            guard fx.isFinite, fy.isFinite, abs(fx) < 1e6, abs(fy) < 1e6 else { return nil }
            return (Int(fx), Int(fy))
        }
        guard var (x, y) = toDot(a), let (x1, y1) = toDot(b) else { return }
        let dx = abs(x1 - x), dy = -abs(y1 - y)
        let stepX = x < x1 ? 1 : -1, stepY = y < y1 ? 1 : -1
        var err = dx + dy
        while true {
            setDot(min(x, dotWidth - 1), min(y, dotHeight - 1), ink: ink)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += stepX }
            if e2 <= dx { err += dx; y += stepY }
        }
    }

    /// Adds a whole-cell marker at a data point, drawn on top of the dots.
    public mutating func mark(
        x: Double, y: Double, symbol: Character? = nil, asciiSymbol: Character? = nil,
        style: Style = Style(modifiers: .bold)
    ) {
        markers.append(
            Marker(
                x: x, y: y, symbol: symbol ?? GlyphSet.unicode.focusMarker,
                asciiSymbol: asciiSymbol ?? GlyphSet.ascii.focusMarker, style: style))
    }

    /// Draws dot cells (leaving empty cells untouched) and then markers, at the top-left of `area`.
    public func render(in area: Rect, buffer: inout Buffer) {
        let clip = area.intersection(buffer.area)
        let w = min(width, clip.right - area.x), h = min(height, clip.bottom - area.y)
        guard w > 0, h > 0 else { return }
        let braille = GlyphSet.brailleCharacters
        for row in 0..<h {
            let y = area.y + row
            guard y >= clip.y else { continue }
            for col in 0..<w {
                let x = area.x + col
                guard x >= clip.x else { continue }
                let i = row * width + col
                let mask = masks[i]
                if mask == 0 { continue }
                let symbol: Character
                if glyphs.isUnicode {
                    symbol = braille[Int(mask)]
                } else {
                    symbol = mask.nonzeroBitCount >= 4 ? glyphs.denseDot : glyphs.sparseDot
                }
                let j = buffer.index(x: x, y: y)
                var cell = buffer.content[j]
                let cellStyle = cell.style.patch(style).patch(inkTable[Int(cellInks[i])])
                if cell.width == 1 {
                    // Fast path: overwrite a narrow cell in place.
                    cell.setNarrowSymbol(symbol)
                    cell.style = cellStyle
                    buffer[x, y] = cell
                } else {
                    buffer.set(Cell(symbol: symbol, style: cellStyle, width: 1), x: x, y: y)
                }
            }
        }
        for m in markers {
            guard let c = cell(x: m.x, y: m.y), c.x < w, c.y < h else { continue }
            let x = area.x + c.x, y = area.y + c.y
            guard clip.contains(x: x, y: y) else { continue }
            let old = buffer[x, y].style
            buffer.set(Cell(glyphs.isUnicode ? m.symbol : m.asciiSymbol, style: old.patch(style).patch(m.style)), x: x, y: y)
        }
    }
}
