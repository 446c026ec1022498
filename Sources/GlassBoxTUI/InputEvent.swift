/// A key press, decoded by the backend.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character (including space).
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, insert
    /// Ctrl plus a letter, stored lowercase (`.ctrl("c")` is Ctrl-C).
    case ctrl(Character)
    /// Function key F1…F12.
    case function(Int)

    /// The name shown in help screens: "↑", "PgDn", "Enter", "Ctrl-C", "Space", "q".
    public var description: String { name(unicode: true) }

    /// The help-screen name; with `unicode: false`, arrows are spelled out ("Up").
    public func name(unicode: Bool) -> String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .up: return unicode ? "↑" : "Up"
        case .down: return unicode ? "↓" : "Down"
        case .left: return unicode ? "←" : "Left"
        case .right: return unicode ? "→" : "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .function(let n): return "F\(n)"
        }
    }
}

/// Mouse buttons reported by the backend.
public enum MouseButton: Hashable, Sendable {
    case left, middle, right, scrollUp, scrollDown
}

/// A mouse event at a screen cell.
public struct MouseEvent: Hashable, Sendable {
    /// `drag`: the pointer moved while the button is held (button-motion tracking).
    public enum Kind: Hashable, Sendable { case press, release, click, doubleClick, drag }

    public var x: Int
    public var y: Int
    public var button: MouseButton
    public var kind: Kind

    public init(x: Int, y: Int, button: MouseButton, kind: Kind = .press) {
        self.x = x
        self.y = y
        self.button = button
        self.kind = kind
    }
}

/// Everything the main loop reacts to.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    /// The terminal changed size; the next `Terminal.draw` redraws everything.
    case resize
    /// No input within the poll timeout (time to redraw progress, apply background results).
    case tick
}
