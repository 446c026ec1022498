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
        Block(title: title, isFocused: isFocused, glyphs: glyphs, focusedBorderStyle: focusedBorder ?? self.focusedBorder,
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
}

/// Compact number formatting for labels.
enum Format {
    /// About `digits` significant figures without exponent where possible: 1234, 12.34, 0.1234,
    /// 1.2e-05.
    static func short(_ v: Double, digits: Int = 4) -> String {
        if v.isNaN { return "nan" }
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e5 || a < 1e-3 { return scientific(v) }
        let magnitude = a >= 1000 ? 4 : a >= 100 ? 3 : a >= 10 ? 2 : a >= 1 ? 1 : 0
        return NumberFormat.fixed(v, max(0, digits - magnitude))
    }

    /// `1.2e-05` style with `digits` decimals in the mantissa.
    static func scientific(_ v: Double, digits: Int = 1) -> String {
        if v.isNaN { return "nan" }
        if v == 0 { return "0" }
        var e = Int(log10Floor(abs(v)))
        var mantissa = v / pow10(e)
        if abs(NumberFormat.fixed(mantissa, digits).doubleValue) >= 10 { e += 1; mantissa = v / pow10(e) }
        let sign = e < 0 ? "-" : "+"
        let exponent = abs(e) < 10 ? "0\(abs(e))" : "\(abs(e))"
        return NumberFormat.fixed(mantissa, digits) + "e" + sign + exponent
    }

    static func percent(_ v: Double) -> String {
        NumberFormat.fixed(v * 100, v >= 0.1 ? 1 : 2) + "%"
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

    private static func log10Floor(_ a: Double) -> Double {
        var e = 0.0, x = a
        while x >= 10 { x /= 10; e += 1 }
        while x < 1 { x *= 10; e -= 1 }
        return e
    }

    private static func pow10(_ e: Int) -> Double {
        var p = 1.0
        for _ in 0..<abs(e) { p *= 10 }
        return e < 0 ? 1 / p : p
    }
}

private extension String {
    var doubleValue: Double { Double(self) ?? 0 }
}
