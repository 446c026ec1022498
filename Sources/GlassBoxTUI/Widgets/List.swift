/// Selection and scroll position of a `List` (or anything row-based), owned by the caller.
public struct ListState: Equatable, Sendable {
    /// Selected row, nil for none.
    public var selected: Int?
    /// First visible row; `List` adjusts it to keep the selection visible.
    public var offset: Int

    public init(selected: Int? = nil, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves the selection by `delta` rows, clamped to `0..<count` (selects the first row if none).
    public mutating func move(by delta: Int, count: Int) {
        guard count > 0 else { selected = nil; return }
        selected = min(count - 1, max(0, (selected ?? (delta > 0 ? -1 : count)) + delta))
    }

    public mutating func selectFirst(count: Int) { selected = count > 0 ? 0 : nil }

    /// Keeps `selected` inside `0..<count` and the offset such that it shows within `height` rows.
    public mutating func clamp(count: Int, height: Int) {
        if let s = selected { selected = count > 0 ? min(max(0, s), count - 1) : nil }
        if let s = selected, height > 0 {
            if s < offset { offset = s }
            if s >= offset + height { offset = s - height + 1 }
        }
        offset = max(0, min(offset, max(0, count - height)))
    }
}

/// A scrollable list of lines with a highlighted selection (pickers, menus). Arrows at the
/// right edge show that more rows exist above or below.
public struct List: StatefulWidget {
    public var items: [Line]
    public var block: Block?
    public var style: Style
    /// Patched over the selected row.
    public var highlightStyle: Style
    /// Prefix of the selected row (other rows get blanks of the same width); nil uses
    /// `glyphs.selectionMarker`, "" disables it.
    public var highlightSymbol: String?
    public var glyphs: GlyphSet

    public init(
        _ items: [Line], block: Block? = nil, style: Style = Style(),
        highlightStyle: Style = Style(modifiers: .reverse), highlightSymbol: String? = nil,
        glyphs: GlyphSet = .unicode
    ) {
        self.items = items
        self.block = block
        self.style = style
        self.highlightStyle = highlightStyle
        self.highlightSymbol = highlightSymbol
        self.glyphs = glyphs
    }

    public func render(in area: Rect, buffer: inout Buffer, state: inout ListState) {
        block?.render(in: area, buffer: &buffer)
        let inner = block.inner(area).intersection(buffer.area)
        guard !inner.isEmpty else { return }
        buffer.setStyle(inner, style)
        state.clamp(count: items.count, height: inner.height)
        let marker = highlightSymbol ?? glyphs.selectionMarker
        let markerW = TextWidth.width(marker)
        let blank = String(repeating: " ", count: markerW)
        let more = items.count > inner.height
        for row in 0..<min(inner.height, items.count - state.offset) {
            let index = state.offset + row
            let rowArea = inner.row(row)
            let isSelected = state.selected == index
            let textX = buffer.setString(rowArea.x, rowArea.y, isSelected ? marker : blank, maxWidth: rowArea.width)
            // Leave the last column for scroll arrows when the list overflows.
            let textW = rowArea.right - textX - (more ? 1 : 0)
            items[index].render(
                in: Rect(x: textX, y: rowArea.y, width: max(0, textW), height: 1), buffer: &buffer,
                alignment: .left, ellipsis: glyphs.ellipsis)
            if isSelected { buffer.setStyle(rowArea, highlightStyle) }
        }
        if more {
            let x = inner.right - 1
            if state.offset > 0 {
                buffer.setString(x, inner.y, String(glyphs.arrowUp), style: Style(modifiers: .dim))
            }
            if state.offset + inner.height < items.count {
                buffer.setString(x, inner.bottom - 1, String(glyphs.arrowDown), style: Style(modifiers: .dim))
            }
        }
    }
}
