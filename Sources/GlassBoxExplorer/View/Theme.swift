import GlassBoxCore
import GlassBoxTUI

/// Colors and glyphs of the explorer. Styles are written for 256 colors; `Terminal`
/// downgrades them for 8-color terminals and drops them under NO_COLOR (focus then shows as a
/// heavier border, selections in reverse video). Glyphs follow the locale: ASCII when it
/// isn't UTF-8.
public struct Theme: Sendable {
    public var glyphs: GlyphSet
    public var capability: ColorCapability

    public init(glyphs: GlyphSet = .unicode, capability: ColorCapability = .indexed256) {
        self.glyphs = glyphs
        self.capability = capability
    }

    var unicode: Bool { glyphs.isUnicode }

    /// Text written with Unicode punctuation (messages, key help), as this theme shows it.
    func text(_ s: String) -> String { unicode ? s : GlyphSet.asciiText(s) }

    // Glyphs beyond GlyphSet's.
    var bullet: String { unicode ? "·" : "-" }
    var check: String { unicode ? "✓" : "+" }
    var swatch: String { unicode ? "■" : "#" }
    var pending: String { unicode ? "◌" : "." }
    var running: String { unicode ? "◐" : "*" }
    var times: String { unicode ? "×" : "x" }
    var sigma: String { unicode ? "Σ" : "sum" }
    var pin: String { unicode ? "▸" : ">" }
    var dash: String { unicode ? "–" : "-" }
    var minus: String { unicode ? "−" : "-" }
    /// Multiplication in formulas (J·u).
    var dot: String { unicode ? "·" : "*" }
    var mu: String { unicode ? "μ" : "mu" }
    var delta: String { unicode ? "Δ" : "d" }
    var arrow: String { unicode ? "→" : "->" }
    var dots: String { unicode ? "…" : ".." }
    var cross: String { unicode ? "✗" : "x" }
    var norm: String { unicode ? "‖" : "|" }
    var notEqual: String { unicode ? "≠" : "!=" }

    // Styles.
    var title: Style { Style(modifiers: .bold) }
    var dim: Style { Style(modifiers: .dim) }
    var key: Style { Style(fg: .indexed(81), modifiers: .bold) }
    var label: Style { Style(fg: .indexed(250)) }
    var accent: Style { Style(fg: .indexed(214), modifiers: .bold) }
    var error: Style { Style(fg: .indexed(203), modifiers: .bold) }
    var good: Style { Style(fg: .indexed(114)) }
    var statusBar: Style { Style(fg: .indexed(252), bg: .indexed(236)) }
    var statusBadge: Style { Style(fg: .indexed(16), bg: .indexed(81), modifiers: .bold) }
    var focusMarker: Style { Style(fg: .indexed(231), bg: .indexed(160), modifiers: .bold) }
    var positiveBar: Style { Style(fg: .indexed(203)) }
    var negativeBar: Style { Style(fg: .indexed(75)) }
    var magnitudeBar: Style { Style(fg: .indexed(80)) }
    var highlight: Style { Style(fg: .indexed(16), bg: .indexed(214), modifiers: .bold) }
    /// The border of the focused panel and of popups (besides its heavier glyphs).
    var focusedBorder: Style { Style(fg: .indexed(81), modifiers: .bold) }
    /// Samples whose color value isn't known yet (still computing).
    var pendingColor: Color { .indexed(238) }
    /// Samples outside the top features in "top feature" mode.
    var otherColor: Color { .indexed(245) }

    /// A panel's or popup's frame: the title on the top border, `footer` on the bottom one.
    func block(_ title: Line, isFocused: Bool, footer: String? = nil, focusedBorder: Style? = nil) -> Block {
        Block(
            title: title, isFocused: isFocused, glyphs: glyphs, focusedBorderStyle: focusedBorder ?? self.focusedBorder,
            bottomTitle: footer.map { Line(" \($0) ") })
    }

    /// A frame titled in bold.
    func block(_ title: String, isFocused: Bool, footer: String? = nil) -> Block {
        block(Line(" \(title) ", style: self.title), isFocused: isFocused, footer: footer)
    }

    /// Distinct colors for categories (group labels, top features), bright enough on dark
    /// backgrounds and distinct after the 8-color downgrade for the first six.
    static let categorical: [Color] = [39, 208, 41, 197, 220, 171, 51, 130, 118, 213, 33, 166, 48, 99, 228, 160]
        .map { Color.indexed(UInt8($0)) }

    /// Sequential gradient for contributions and values, `count` steps.
    func gradient(_ count: Int) -> [Color] {
        Gradient.viridis.palette(count: count, capability: capability)
    }

    // Inks of the scatter: what the terminal can tell apart (`ScatterColors`).

    /// Categories: 16 colors; with 8 colors five (cyan is the focused border's, black and
    /// white don't read as categories) plain and bold; without colors one, in bold.
    var categoryInks: [Style] {
        switch capability {
        case .indexed256:
            return Theme.categorical.map { Style(fg: $0) }
        case .basic8:
            let colors: [Color] = [.red, .green, .yellow, .blue, .magenta]
            return colors.map { Style(fg: $0) } + colors.map { Style(fg: $0, modifiers: .bold) }
        case .none:
            return [Style(modifiers: .bold)]
        }
    }

    /// The highlighted category when it has no ink of its own.
    var spotlightInk: Style {
        capability == .basic8 ? Style(fg: .yellow, modifiers: .bold) : Style(fg: .indexed(214), modifiers: .bold)
    }

    /// Categories drawn alike ("other", the ones not highlighted).
    var backgroundInk: Style {
        switch capability {
        case .indexed256: return Style(fg: .indexed(244))
        case .basic8: return Style(fg: .white, modifiers: .dim)
        case .none: return Style(modifiers: .dim)
        }
    }

    /// Samples whose value isn't known yet (still computing).
    var pendingInk: Style {
        switch capability {
        case .indexed256: return Style(fg: pendingColor)
        case .basic8: return Style(fg: .cyan, modifiers: .dim)
        case .none: return Style(modifiers: .dim)
        }
    }

    /// Selected samples, over every coloring (bold, so it shows without colors too).
    var selectedInk: Style { Style(fg: .indexed(231), modifiers: .bold) }
    /// A selection's outline, and the box or lasso being drawn.
    var outlineInk: Style { Style(fg: .indexed(250)) }
    var drawingInk: Style { Style(fg: .indexed(214), modifiers: .bold) }

    /// A ramp, low to high: 32 steps of viridis; its five basic colors; dim, plain, bold.
    var rampInks: [Style] {
        switch capability {
        case .indexed256: return gradient(32).map { Style(fg: $0) }
        case .basic8: return Gradient.viridis.basicFallback.map { Style(fg: $0) }
        case .none: return [Style(modifiers: .dim), Style(), Style(modifiers: .bold)]
        }
    }
}

/// Number formatting for labels: one format everywhere (`SignificantDigits`, the export's
/// pictures too).
enum Format {
    /// 3 significant digits, plain from 0.001 to 99,999: "0.424", "1.00", "-12.3", "1.2e-05".
    static func number(_ v: Double, signed: Bool = false) -> String {
        SignificantDigits.format(v, signed: signed)
    }

    /// `digits` significant digits (axis ranges, legends).
    static func short(_ v: Double, digits: Int = 3) -> String {
        SignificantDigits.format(v, digits: digits)
    }

    /// `1.2e-05` style with `digits` decimals in the mantissa.
    static func scientific(_ v: Double, digits: Int = 1) -> String {
        SignificantDigits.scientific(v, digits: digits + 1)
    }

    static func percent(_ v: Double, signed: Bool = false) -> String {
        SignificantDigits.format(v * 100, signed: signed) + "%"
    }

    /// 1234567 → "1,234,567".
    static func count(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
