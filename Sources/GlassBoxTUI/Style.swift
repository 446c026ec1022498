/// A terminal colour: the terminal's default, one of the 16 ANSI colours, or an xterm
/// 256-colour index. Use `Color.rgb(_:_:_:)` to express a 24-bit colour; it maps to the
/// nearest 256-colour index (truecolour escapes are not used because curses can't emit them).
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground/background colour.
    case `default`
    case black, red, green, yellow, blue, magenta, cyan, white
    case brightBlack, brightRed, brightGreen, brightYellow, brightBlue, brightMagenta, brightCyan, brightWhite
    /// xterm 256-colour palette index (0–15 are the ANSI colours, 16–231 a 6×6×6 cube, 232–255 greys).
    case indexed(UInt8)

    /// The nearest colour of the 6×6×6 cube or the grey ramp (indices 16–255, which unlike 0–15
    /// are not re-themed by terminals).
    public static func rgb(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Color {
        .indexed(Palette256.nearestIndex(to: RGB(r, g, b)))
    }

    /// `Color.rgb` from an `RGB` value.
    public static func rgb(_ c: RGB) -> Color {
        .indexed(Palette256.nearestIndex(to: c))
    }

    /// The xterm palette index, or nil for `.default`.
    public var paletteIndex: Int? {
        switch self {
        case .default: return nil
        case .black: return 0
        case .red: return 1
        case .green: return 2
        case .yellow: return 3
        case .blue: return 4
        case .magenta: return 5
        case .cyan: return 6
        case .white: return 7
        case .brightBlack: return 8
        case .brightRed: return 9
        case .brightGreen: return 10
        case .brightYellow: return 11
        case .brightBlue: return 12
        case .brightMagenta: return 13
        case .brightCyan: return 14
        case .brightWhite: return 15
        case .indexed(let i): return Int(i)
        }
    }

    /// The named case for a palette index (`.indexed(n)` for n ≥ 16).
    public static func fromPaletteIndex(_ i: Int) -> Color {
        switch i {
        case 0: return .black
        case 1: return .red
        case 2: return .green
        case 3: return .yellow
        case 4: return .blue
        case 5: return .magenta
        case 6: return .cyan
        case 7: return .white
        case 8: return .brightBlack
        case 9: return .brightRed
        case 10: return .brightGreen
        case 11: return .brightYellow
        case 12: return .brightBlue
        case 13: return .brightMagenta
        case 14: return .brightCyan
        case 15: return .brightWhite
        default: return .indexed(UInt8(clamping: i))
        }
    }

    /// The colour's approximate RGB value in the xterm palette (nil for `.default`).
    public var rgbValue: RGB? {
        paletteIndex.map(Palette256.rgb(of:))
    }
}

/// Text attributes.
public struct Modifier: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Modifier(rawValue: 1 << 0)
    public static let dim = Modifier(rawValue: 1 << 1)
    public static let italic = Modifier(rawValue: 1 << 2)
    public static let underline = Modifier(rawValue: 1 << 3)
    public static let reverse = Modifier(rawValue: 1 << 4)
}

/// A partial style: nil colours mean "inherit", as in ratatui. `patch` layers one style over
/// another; cells store the resolved result (nil there means the terminal default).
public struct Style: Hashable, Sendable {
    public var fg: Color?
    public var bg: Color?
    /// Modifiers to add.
    public var modifiers: Modifier
    /// Modifiers to remove from the style underneath when patching.
    public var removedModifiers: Modifier

    public init(fg: Color? = nil, bg: Color? = nil, modifiers: Modifier = [], removing: Modifier = []) {
        self.fg = fg
        self.bg = bg
        self.modifiers = modifiers
        self.removedModifiers = removing
    }

    /// The empty style (inherits everything).
    public static let plain = Style()

    public func fg(_ c: Color) -> Style { var s = self; s.fg = c; return s }
    public func bg(_ c: Color) -> Style { var s = self; s.bg = c; return s }
    public func adding(_ m: Modifier) -> Style {
        var s = self
        s.modifiers.formUnion(m)
        s.removedModifiers.subtract(m)
        return s
    }
    public func removing(_ m: Modifier) -> Style {
        var s = self
        s.modifiers.subtract(m)
        s.removedModifiers.formUnion(m)
        return s
    }
    public var bold: Style { adding(.bold) }
    public var dim: Style { adding(.dim) }
    public var italic: Style { adding(.italic) }
    public var underline: Style { adding(.underline) }
    public var reversed: Style { adding(.reverse) }

    /// `other` layered over `self`: its colours win where set, its modifiers are added and its
    /// removed modifiers cleared.
    public func patch(_ other: Style) -> Style {
        var s = self
        if let f = other.fg { s.fg = f }
        if let b = other.bg { s.bg = b }
        s.modifiers.subtract(other.removedModifiers)
        s.modifiers.formUnion(other.modifiers)
        s.removedModifiers.subtract(other.modifiers)
        s.removedModifiers.formUnion(other.removedModifiers)
        return s
    }
}
