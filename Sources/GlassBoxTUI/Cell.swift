/// One terminal cell: a grapheme and its resolved style.
///
/// The symbol is a `Character`, whose small-string storage holds any ordinary grapheme inline,
/// so filling and diffing a buffer doesn't allocate. A wide glyph (width 2) lives in its first
/// cell; the cell to its right is a *continuation* (width 0) that backends skip.
public struct Cell: Equatable, Sendable {
    public var symbol: Character
    public var style: Style
    /// Display width of `symbol`: 1, 2, or 0 for a continuation cell.
    public private(set) var width: UInt8

    /// A cell showing `symbol` (whose width is computed once, here).
    public init(_ symbol: Character = " ", style: Style = Style()) {
        self.symbol = symbol
        self.style = style
        self.width = UInt8(max(1, min(2, symbol.terminalWidth)))
    }

    init(symbol: Character, style: Style, width: UInt8) {
        self.symbol = symbol
        self.style = style
        self.width = width
    }

    /// A blank cell in the terminal's default colours.
    public static let blank = Cell()

    /// The right half of a wide glyph.
    static func continuation(style: Style) -> Cell {
        Cell(symbol: " ", style: style, width: 0)
    }

    public var isContinuation: Bool { width == 0 }

    /// Replaces the symbol, recomputing its width.
    public mutating func setSymbol(_ c: Character) {
        symbol = c
        width = UInt8(max(1, min(2, c.terminalWidth)))
    }

    /// Replaces the symbol with one known to be a single column wide (box drawing, braille,
    /// block elements), skipping the width computation on hot paths.
    mutating func setNarrowSymbol(_ c: Character) {
        symbol = c
        width = 1
    }

    public static func == (a: Cell, b: Cell) -> Bool {
        a.width == b.width && a.style == b.style && a.symbol == b.symbol
    }
}
