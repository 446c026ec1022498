import GlassBoxTUI

/// The scatter of the embedding at braille resolution: axis ranges, the focused sample marked,
/// and a legend for the color mode.
public struct EmbeddingPanel: Widget {
    public var xs: [Float]
    public var ys: [Float]
    public var colors: ScatterColors
    /// The data rectangle shown.
    public var viewport: Viewport
    public var axisNames: (x: String, y: String)
    /// The focused sample's coordinates.
    public var focus: (x: Double, y: Double)?
    public var title: String
    public var isFocused: Bool
    public var theme: Theme
    /// Right side of the bottom border (e.g. "zoom 4×").
    public var footer: String?
    /// Selected samples, drawn over the colors in one bright ink.
    public var selected: [Int32]?
    /// A box selection's outline (data coordinates); `editing` draws it (or the lasso) brighter.
    public var box: Viewport?
    public var editing = false
    /// A lasso's corners (closed when `lassoClosed`), and the keyboard cursor while drawing.
    public var lasso: [DataPoint] = []
    public var lassoClosed = false
    public var cursor: DataPoint?
    /// The compare panel's sample A.
    public var markA: (x: Double, y: Double)?

    public init(
        xs: [Float], ys: [Float], colors: ScatterColors, viewport: Viewport, axisNames: (x: String, y: String),
        focus: (x: Double, y: Double)?, title: String, isFocused: Bool, theme: Theme, footer: String? = nil
    ) {
        self.xs = xs
        self.ys = ys
        self.colors = colors
        self.viewport = viewport
        self.axisNames = axisNames
        self.focus = focus
        self.title = title
        self.isFocused = isFocused
        self.theme = theme
        self.footer = footer
    }

    var block: Block {
        theme.block(
            Line([Span(" \(Panel.embedding.title) ", style: theme.title), Span(title + " ")]), isFocused: isFocused, footer: footer)
    }

    /// The parts of the panel: canvas, y labels gutter, x labels row, legend.
    struct Parts {
        var canvas: Rect
        var yLabels: Rect
        var xLabels: Rect
        var legend: Rect
        var compactLegend: Bool
    }

    static func yLabelTexts(_ viewport: Viewport) -> (top: String, bottom: String) {
        (Format.short(viewport.yMax), Format.short(viewport.yMin))
    }

    /// Where the canvas, the axis labels and the legend go in `area` — what a click on the
    /// scatter is mapped through (`FrameLayout.canvas`). A narrow panel puts the legend under
    /// the canvas, in up to three rows (one on a short panel).
    static func parts(in area: Rect, viewport: Viewport, yAxisName: String, legend: Legend, theme: Theme) -> Parts {
        var inner = Block().inner(area)
        var legendRect = Rect.zero
        var compact = false
        if inner.width >= 56 {
            let w = min(30, max(18, inner.width / 3))
            legendRect = Rect(x: inner.right - w, y: inner.y, width: w, height: inner.height)
            inner.width -= w + 1
        } else if inner.height >= 8 {
            let most = inner.height >= 16 ? 3 : 1
            let rows = min(most, LegendView.compactRows(legend, width: inner.width, theme: theme))
            legendRect = Rect(x: inner.x, y: inner.bottom - rows, width: inner.width, height: rows)
            inner.height -= rows
            compact = true
        }
        let labels = yLabelTexts(viewport)
        let gutter = max(labels.top.count, labels.bottom.count, yAxisName.count) + 1
        let canvas = Rect(x: inner.x + gutter, y: inner.y, width: inner.width - gutter, height: inner.height - 1)
        return Parts(
            canvas: canvas, yLabels: Rect(x: inner.x, y: inner.y, width: gutter - 1, height: canvas.height),
            xLabels: Rect(x: canvas.x, y: canvas.bottom, width: canvas.width, height: 1),
            legend: legendRect, compactLegend: compact)
    }

    func parts(in area: Rect) -> Parts {
        Self.parts(in: area, viewport: viewport, yAxisName: axisNames.y, legend: colors.legend, theme: theme)
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        block.render(in: area, buffer: &buffer)
        let p = parts(in: area)
        guard !p.canvas.isEmpty else { return }

        var canvas = BrailleCanvas(width: p.canvas.width, height: p.canvas.height, viewport: viewport, glyphs: theme.glyphs)
        // Without colors the selection is told by weight: everything else dims.
        let inks = selected != nil && theme.capability == .none ? colors.inks.map { _ in theme.backgroundInk } : colors.inks
        // Few points on a large canvas would be lost as single dots: draw them 2×2 dots big.
        let big = xs.count * 8 <= canvas.dotWidth * canvas.dotHeight
        let offsets: [(Float, Float)] = big ? [(0, 0), (1, 0), (0, 1), (1, 1)] : [(0, 0)]
        let dotX = Float((viewport.xMax - viewport.xMin) / Double(max(1, canvas.dotWidth)))
        let dotY = Float((viewport.yMax - viewport.yMin) / Double(max(1, canvas.dotHeight)))
        for (ox, oy) in offsets {
            let sx = ox == 0 ? xs : xs.map { $0 + ox * dotX }
            let sy = oy == 0 ? ys : ys.map { $0 - oy * dotY }
            sx.withUnsafeBufferPointer { x in
                sy.withUnsafeBufferPointer { y in
                    colors.indices.withUnsafeBufferPointer { c in
                        colors.order.withUnsafeBufferPointer { o in
                            canvas.plot(xs: x, ys: y, indices: o, inkIndices: c, inks: inks)
                        }
                    }
                }
            }
        }
        if let selected, !selected.isEmpty {
            xs.withUnsafeBufferPointer { x in
                ys.withUnsafeBufferPointer { y in
                    selected.withUnsafeBufferPointer { canvas.plot(xs: x, ys: y, indices: $0, ink: theme.selectedInk) }
                }
            }
        }
        let outline = editing ? theme.drawingInk : theme.outlineInk
        if let b = box {
            let corners = [(b.xMin, b.yMin), (b.xMax, b.yMin), (b.xMax, b.yMax), (b.xMin, b.yMax)]
            for i in 0..<4 { canvas.line(from: corners[i], to: corners[(i + 1) % 4], ink: outline) }
        }
        if !lasso.isEmpty {
            let points = lasso + (cursor.map { [$0] } ?? [])
            for i in 0..<(points.count - 1) {
                canvas.line(from: (points[i].x, points[i].y), to: (points[i + 1].x, points[i + 1].y), ink: outline)
            }
            if lassoClosed, let first = points.first, let last = points.last {
                canvas.line(from: (last.x, last.y), to: (first.x, first.y), ink: outline)
            }
        }
        if let a = markA {
            canvas.mark(x: a.x, y: a.y, symbol: "A", asciiSymbol: "A", style: Style(fg: .indexed(16), bg: .indexed(214), modifiers: .bold))
        }
        if let f = focus {
            canvas.mark(x: f.x, y: f.y, symbol: "◉", asciiSymbol: "@", style: theme.focusMarker)
        }
        if let c = cursor {
            canvas.mark(x: c.x, y: c.y, symbol: "+", asciiSymbol: "+", style: theme.drawingInk)
        }
        canvas.render(in: p.canvas, buffer: &buffer)

        // Axis ranges: y at the left (max on top), x under the canvas.
        let labels = Self.yLabelTexts(viewport)
        let labelStyle = theme.label
        Line(labels.top, style: labelStyle).render(in: p.yLabels.row(0), buffer: &buffer, alignment: .right)
        if p.yLabels.height > 2 {
            Line(axisNames.y, style: theme.title).render(in: p.yLabels.row(p.yLabels.height / 2), buffer: &buffer, alignment: .right)
        }
        Line(labels.bottom, style: labelStyle).render(in: p.yLabels.row(p.yLabels.height - 1), buffer: &buffer, alignment: .right)
        let xLow = Format.short(viewport.xMin), xHigh = Format.short(viewport.xMax)
        Line(xLow, style: labelStyle).render(in: p.xLabels, buffer: &buffer, alignment: .left)
        Line(xHigh, style: labelStyle).render(in: p.xLabels, buffer: &buffer, alignment: .right)
        if p.xLabels.width > xLow.count + xHigh.count + axisNames.x.count + 2 {
            Line(axisNames.x, style: theme.title).render(in: p.xLabels, buffer: &buffer, alignment: .center)
        }

        LegendView(legend: colors.legend, theme: theme, compact: p.compactLegend).render(in: p.legend, buffer: &buffer)
    }
}
