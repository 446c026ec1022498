/// Which sides of a `Block` have a border.
public struct Borders: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let top = Borders(rawValue: 1)
    public static let bottom = Borders(rawValue: 2)
    public static let left = Borders(rawValue: 4)
    public static let right = Borders(rawValue: 8)
    public static let all: Borders = [.top, .bottom, .left, .right]
}

/// A bordered box with an optional title — the frame around panes and popups.
///
/// Focus is shown twice — by `focusedBorderStyle` and by a heavier border glyph — so it stays
/// visible without colour (`NO_COLOR`) and in ASCII mode (`#`/`=` borders).
public struct Block: Widget {
    public var borders: Borders
    public var title: Line?
    public var titleAlignment: Alignment
    /// Optional title on the bottom border (e.g. key hints).
    public var bottomTitle: Line?
    /// Patched over the whole area (use a `bg` to paint the block).
    public var style: Style
    public var borderStyle: Style
    public var isFocused: Bool
    /// Patched over `borderStyle` when focused.
    public var focusedBorderStyle: Style
    public var glyphs: GlyphSet

    public init(
        title: Line? = nil, borders: Borders = .all, isFocused: Bool = false,
        glyphs: GlyphSet = .unicode, style: Style = Style(), borderStyle: Style = Style(),
        focusedBorderStyle: Style = Style(fg: .cyan, modifiers: .bold),
        titleAlignment: Alignment = .left, bottomTitle: Line? = nil
    ) {
        self.borders = borders
        self.title = title
        self.titleAlignment = titleAlignment
        self.bottomTitle = bottomTitle
        self.style = style
        self.borderStyle = borderStyle
        self.isFocused = isFocused
        self.focusedBorderStyle = focusedBorderStyle
        self.glyphs = glyphs
    }

    /// The area left inside the borders.
    public func inner(_ area: Rect) -> Rect {
        var r = area
        if borders.contains(.left) { r.x += 1; r.width = max(0, r.width - 1) }
        if borders.contains(.right) { r.width = max(0, r.width - 1) }
        if borders.contains(.top) { r.y += 1; r.height = max(0, r.height - 1) }
        if borders.contains(.bottom) { r.height = max(0, r.height - 1) }
        return r
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let area = area.intersection(buffer.area)
        guard !area.isEmpty else { return }
        buffer.setStyle(area, style)
        let sym = isFocused ? glyphs.focusedBorder : glyphs.border
        let bs = style.patch(isFocused ? borderStyle.patch(focusedBorderStyle) : borderStyle)
        let l = area.x, r = area.right - 1, t = area.y, b = area.bottom - 1
        func put(_ c: Character, _ x: Int, _ y: Int) {
            buffer.set(Cell(symbol: c, style: bs, width: 1), x: x, y: y)
        }
        if borders.contains(.top) { for x in l...r { put(sym.horizontal, x, t) } }
        if borders.contains(.bottom) { for x in l...r { put(sym.horizontal, x, b) } }
        if borders.contains(.left) { for y in t...b { put(sym.vertical, l, y) } }
        if borders.contains(.right) { for y in t...b { put(sym.vertical, r, y) } }
        if borders.isSuperset(of: [.top, .left]) { put(sym.topLeft, l, t) }
        if borders.isSuperset(of: [.top, .right]) { put(sym.topRight, r, t) }
        if borders.isSuperset(of: [.bottom, .left]) { put(sym.bottomLeft, l, b) }
        if borders.isSuperset(of: [.bottom, .right]) { put(sym.bottomRight, r, b) }

        // Titles sit on the border between the corners.
        let titleStyle = isFocused ? bs.bold : bs.removing(.bold)
        let inset = (borders.contains(.left) ? 1 : 0)
        let titleArea = Rect(x: l + inset, y: t, width: area.width - inset - (borders.contains(.right) ? 1 : 0), height: 1)
        if let title {
            var line = title
            line.style = titleStyle.patch(title.style)
            line.render(in: titleArea, buffer: &buffer, alignment: titleAlignment, ellipsis: glyphs.ellipsis)
        }
        if let bottomTitle, borders.contains(.bottom), area.height > 1 {
            var line = bottomTitle
            line.style = bs.removing(.bold).patch(bottomTitle.style)
            var bottomArea = titleArea
            bottomArea.y = b
            line.render(in: bottomArea, buffer: &buffer, alignment: .right, ellipsis: glyphs.ellipsis)
        }
    }
}

extension Optional where Wrapped == Block {
    /// The area inside the block, or all of `area` without one (ratatui's `inner_if_some`).
    public func inner(_ area: Rect) -> Rect {
        map { $0.inner(area) } ?? area
    }
}
