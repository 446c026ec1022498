/// A centred overlay: clears its rectangle (so the screen beneath doesn't show through) and
/// draws a block. Render content into `contentArea(in:)` afterwards.
///
///     let popup = Popup(block: Block(title: "Help", isFocused: true), width: 60, height: 20)
///     frame.render(popup, in: frame.area)
///     frame.render(helpTable, in: popup.contentArea(in: frame.area))
public struct Popup: Widget {
    public var block: Block
    /// Outer size including borders; clamped to the screen.
    public var width: Int
    public var height: Int
    /// Style of the cleared background.
    public var style: Style

    public init(block: Block, width: Int, height: Int, style: Style = Style()) {
        self.block = block
        self.width = width
        self.height = height
        self.style = style
    }

    /// The popup's outer rectangle centred in `screen`.
    public func area(in screen: Rect) -> Rect {
        screen.centered(width: width, height: height)
    }

    /// Where content goes: inside the block's borders.
    public func contentArea(in screen: Rect) -> Rect {
        block.inner(area(in: screen))
    }

    /// `screen` is the area to centre in (usually the whole frame).
    public func render(in screen: Rect, buffer: inout Buffer) {
        let r = area(in: screen)
        Clear(style: style).render(in: r, buffer: &buffer)
        block.render(in: r, buffer: &buffer)
    }
}
