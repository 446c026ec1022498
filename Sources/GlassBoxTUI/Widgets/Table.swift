/// One table row; `style` is patched under its cells.
public struct Row: Equatable, Sendable {
    public var cells: [Line]
    public var style: Style
    /// The first cell spans the full width (section headings); it doesn't widen column 0.
    public var spansColumns: Bool

    public init(_ cells: [Line], style: Style = Style(), spansColumns: Bool = false) {
        self.cells = cells
        self.style = style
        self.spansColumns = spansColumns
    }

    /// A full-width heading row.
    public static func section(_ title: Line, style: Style = Style(modifiers: .bold)) -> Row {
        Row([title], style: style, spansColumns: true)
    }
}

/// Simple columns (the help overlay's key/description list). Cells are truncated with an
/// ellipsis; with automatic widths each column is as wide as its widest cell and, when the
/// area is too narrow, the last columns shrink first.
public struct Table: Widget {
    public var header: Row?
    public var rows: [Row]
    /// Column widths; nil sizes each column to its content.
    public var widths: [Constraint]?
    public var columnSpacing: Int
    public var block: Block?
    /// Patched over the header row.
    public var headerStyle: Style
    /// First data row shown (scrolling).
    public var offset: Int
    public var glyphs: GlyphSet

    public init(
        rows: [Row], header: Row? = nil, widths: [Constraint]? = nil, columnSpacing: Int = 2,
        block: Block? = nil, headerStyle: Style = Style(modifiers: .bold), offset: Int = 0,
        glyphs: GlyphSet = .unicode
    ) {
        self.header = header
        self.rows = rows
        self.widths = widths
        self.columnSpacing = columnSpacing
        self.block = block
        self.headerStyle = headerStyle
        self.offset = offset
        self.glyphs = glyphs
    }

    /// Rows needed to show everything (header included).
    public var contentHeight: Int { rows.count + (header == nil ? 0 : 1) }

    /// Columns needed to show everything without truncation.
    public var contentWidth: Int {
        let w = naturalWidths()
        return w.reduce(0, +) + columnSpacing * max(0, w.count - 1)
    }

    private func naturalWidths() -> [Int] {
        let all = (header.map { [$0] } ?? []) + rows
        let columns = all.map(\.cells.count).max() ?? 0
        var w = [Int](repeating: 0, count: columns)
        for row in all where !row.spansColumns {
            for (i, c) in row.cells.enumerated() { w[i] = max(w[i], c.width) }
        }
        return w
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        block?.render(in: area, buffer: &buffer)
        let inner = block.inner(area).intersection(buffer.area)
        guard !inner.isEmpty else { return }
        let constraints = widths ?? naturalWidths().map { Constraint.length($0) }
        let columns = Layout.horizontal(constraints, spacing: columnSpacing).split(inner)
        var y = inner.y
        func draw(_ row: Row, extra: Style) {
            let rowArea = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            buffer.setStyle(rowArea, row.style.patch(extra))
            if row.spansColumns, let cell = row.cells.first {
                var line = cell
                line.style = row.style.patch(extra).patch(cell.style)
                line.render(in: rowArea, buffer: &buffer, alignment: .left, ellipsis: glyphs.ellipsis)
                y += 1
                return
            }
            for (i, cell) in row.cells.enumerated() where i < columns.count {
                var line = cell
                line.style = row.style.patch(extra).patch(cell.style)
                let col = columns[i]
                line.render(
                    in: Rect(x: col.x, y: y, width: col.width, height: 1), buffer: &buffer,
                    alignment: .left, ellipsis: glyphs.ellipsis)
            }
            y += 1
        }
        if let header { draw(header, extra: headerStyle) }
        for row in rows.dropFirst(max(0, offset)) {
            guard y < inner.bottom else { break }
            draw(row, extra: Style())
        }
    }
}
