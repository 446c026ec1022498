import GlassBoxTUI

/// Hints as text, their keys spelled from the mode's table (`KeyMode`).
enum KeyHints {
    /// (keys, what) pairs, for the status line.
    static func pairs(_ hints: [KeyHint<Command>], in map: KeyMap<Command>, theme: Theme) -> [(String, String)] {
        map.text(of: hints, unicode: theme.unicode).map { ($0.keys, $0.label) }
    }

    /// One line: "Enter picks · Esc cancels".
    static func text(_ hints: [KeyHint<Command>], in map: KeyMap<Command>, theme: Theme) -> String {
        pairs(hints, in: map, theme: theme).map { $0.1.isEmpty ? $0.0 : "\($0.0) \($0.1)" }.joined(separator: " \(theme.bullet) ")
    }
}

extension KeyMode {
    /// The popup border's hints as one line.
    func footerText(_ theme: Theme) -> String {
        KeyHints.text(footer, in: keyMap, theme: theme)
    }
}
