/// The six glyphs of a box border.
public struct BorderSymbols: Equatable, Sendable {
    public var topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical: Character

    public init(
        topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character,
        horizontal: Character, vertical: Character
    ) {
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight
        self.horizontal = horizontal
        self.vertical = vertical
    }

    public static let plain = BorderSymbols(topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│")
    public static let rounded = BorderSymbols(
        topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯", horizontal: "─", vertical: "│")
    public static let double = BorderSymbols(topLeft: "╔", topRight: "╗", bottomLeft: "╚", bottomRight: "╝", horizontal: "═", vertical: "║")
    public static let thick = BorderSymbols(topLeft: "┏", topRight: "┓", bottomLeft: "┗", bottomRight: "┛", horizontal: "━", vertical: "┃")
    public static let ascii = BorderSymbols(topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|")
    /// ASCII border for the focused pane, distinguishable without colour.
    public static let asciiFocused = BorderSymbols(
        topLeft: "#", topRight: "#", bottomLeft: "#", bottomRight: "#", horizontal: "=", vertical: "#")
}

/// Every glyph the widgets draw, in a Unicode flavour and an ASCII fallback for terminals whose
/// locale isn't UTF-8 (curses would otherwise print mojibake). Widgets take a `GlyphSet` so the
/// choice is made once, at startup.
public struct GlyphSet: Equatable, Sendable {
    /// Whether the set uses non-ASCII glyphs (enables braille and eighth blocks).
    public var isUnicode: Bool
    public var border: BorderSymbols
    public var focusedBorder: BorderSymbols
    /// Left-anchored partial blocks; index n is n/8 of a cell (0 = blank, 8 = full).
    public var barEighths: [Character]
    /// Full-cell bar glyph.
    public var barFull: Character { barEighths[8] }
    public var arrowUp, arrowDown, arrowLeft, arrowRight: Character
    public var ellipsis: String
    /// Vertical axis line (diverging bar charts).
    public var axis: Character
    /// Marks the selected row of a `List`.
    public var selectionMarker: String
    /// Default glyph for a highlighted point drawn on top of a canvas.
    public var focusMarker: Character
    /// Canvas cell glyphs when braille is unavailable: sparse and dense.
    public var sparseDot: Character, denseDot: Character
    /// Gauge background.
    public var gaugeEmpty: Character

    public static let unicode = GlyphSet(
        isUnicode: true, border: .rounded, focusedBorder: .thick,
        barEighths: [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        arrowUp: "↑", arrowDown: "↓", arrowLeft: "←", arrowRight: "→",
        ellipsis: "…", axis: "│", selectionMarker: "▶ ", focusMarker: "◉",
        sparseDot: "⠂", denseDot: "⣿", gaugeEmpty: "░")

    public static let ascii = GlyphSet(
        isUnicode: false, border: .ascii, focusedBorder: .asciiFocused,
        barEighths: [" ", " ", " ", " ", "#", "#", "#", "#", "#"],
        arrowUp: "^", arrowDown: "v", arrowLeft: "<", arrowRight: ">",
        ellipsis: "~", axis: "|", selectionMarker: "> ", focusMarker: "@",
        sparseDot: ".", denseDot: "*", gaugeEmpty: "-")

    /// `.unicode` when the locale (first set of `LC_ALL`, `LC_CTYPE`, `LANG`) names UTF-8,
    /// otherwise `.ascii`.
    public static func detect(environment: [String: String]) -> GlyphSet {
        localeIsUTF8(environment) ? .unicode : .ascii
    }

    static func localeIsUTF8(_ env: [String: String]) -> Bool {
        for key in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let v = env[key], !v.isEmpty {
                let l = v.lowercased()
                return l.contains("utf-8") || l.contains("utf8")
            }
        }
        return false
    }

    /// What a terminal without UTF-8 shows for a scalar it can't: the ASCII look-alike of
    /// punctuation, arrows and drawing glyphs (never `?`, which reads like the help key), and
    /// `_` for anything else. The widgets draw with `.ascii` glyphs there; this catches text
    /// from files (names) and anything missed.
    public static func asciiFallback(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.isASCII { return s }
        switch s.value {
        case 0x00B7, 0x2212, 0x2010...0x2015, 0x2500, 0x2501, 0x2504...0x250B, 0x2574...0x257F: return "-"
        case 0x00D7: return "x"
        case 0x2026: return "~"
        case 0x2016, 0x2502, 0x2503, 0x2551: return "|"
        case 0x2190: return "<"
        case 0x2192, 0x25B6, 0x25B8: return ">"
        case 0x2191: return "^"
        case 0x2193: return "v"
        case 0x2018, 0x2019: return "'"
        case 0x201C, 0x201D: return "\""
        case 0x250C...0x254B, 0x2550...0x256C, 0x256D...0x2570: return "+"
        case 0x2580...0x259F, 0x25A0: return "#"
        case 0x2800...0x28FF: return "."
        default: return "_"
        }
    }

    /// `text` with every scalar an ASCII terminal can't show replaced (`asciiFallback`).
    public static func asciiText(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars { out.append(asciiFallback(s)) }
        return String(out)
    }

    /// Braille pattern characters U+2800…U+28FF indexed by dot mask.
    public static let brailleCharacters: [Character] = (0..<256).map {
        Character(Unicode.Scalar(UInt32(0x2800 + $0))!)
    }

    /// Braille dot bits for a dot at (x % 2, y % 4) within a cell, as in ratatui:
    /// `brailleBits[y][x]`; the bit order is ⠁⠈⠂⠐⠄⠠⡀⢀ for `x + 2*y`.
    public static let brailleBits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
}
