/// How many colours the terminal can show. Styles are authored for 256 colours and downgraded
/// once, at the point where cells leave `Terminal` for the backend.
public enum ColorCapability: Int, Comparable, Sendable, CaseIterable {
    /// Monochrome, or colour disabled by `NO_COLOR`: only modifiers are kept.
    case none = 0
    /// The 8 basic ANSI colours.
    case basic8 = 1
    /// xterm 256 colours.
    case indexed256 = 2

    public static func < (a: ColorCapability, b: ColorCapability) -> Bool { a.rawValue < b.rawValue }

    /// The capability for a terminal reporting `colors` colours (curses' `COLORS`, 0 if
    /// `has_colors()` is false) under the given environment. A non-empty `NO_COLOR` wins
    /// (https://no-color.org).
    public static func detect(colors: Int, environment: [String: String]) -> ColorCapability {
        if let v = environment["NO_COLOR"], !v.isEmpty { return .none }
        if colors >= 256 { return .indexed256 }
        if colors >= 8 { return .basic8 }
        return .none
    }
}

extension Color {
    /// The nearest of the 8 basic ANSI colours. Greys split into black/white by lightness;
    /// other colours keep the channels near their maximum, so hue survives (orange → red,
    /// teal → cyan, purple → magenta).
    public var basic8: Color {
        guard let index = paletteIndex else { return .default }
        if index < 8 { return Color.fromPaletteIndex(index) }
        let c = Palette256.rgb(of: index)
        let hi = max(c.r, c.g, c.b), lo = min(c.r, c.g, c.b)
        if Int(hi) - Int(lo) < 40 {
            return (Int(hi) + Int(lo)) / 2 < 64 ? .black : .white
        }
        let threshold = Double(lo) + Double(hi - lo) * 0.6
        let bits =
            (Double(c.r) >= threshold ? 1 : 0)
            | (Double(c.g) >= threshold ? 2 : 0)
            | (Double(c.b) >= threshold ? 4 : 0)
        return Color.fromPaletteIndex(bits)
    }
}

extension Style {
    /// This style as the terminal can show it (a pure function).
    ///
    /// - `.indexed256`: unchanged.
    /// - `.basic8`: colours map to the nearest basic colour; if that makes a distinct fg/bg
    ///   pair identical, the foreground flips to black/white so text stays readable.
    /// - `.none`: colours are dropped and modifiers kept; a coloured background (selection,
    ///   focus, status bar) becomes `.reverse` so highlights stay visible.
    public func downgraded(to capability: ColorCapability) -> Style {
        switch capability {
        case .indexed256:
            return self
        case .basic8:
            var s = self
            s.fg = fg.map { $0.basic8 }
            s.bg = bg.map { $0.basic8 }
            if let f = s.fg, let b = s.bg, f == b, f != .default, fg != bg {
                s.fg = (b == .black || b == .blue || b == .red || b == .magenta) ? .white : .black
            }
            return s
        case .none:
            var s = Style(modifiers: modifiers, removing: removedModifiers)
            if let b = bg, b != .default { s.modifiers.insert(.reverse) }
            return s
        }
    }
}
