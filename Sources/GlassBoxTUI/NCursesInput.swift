import CNCursesW

// Input decoding for `NCursesBackend`: keys from `get_wch`, mouse reports from `getmouse`.
extension NCursesBackend {
    /// Waits up to `timeoutMs` (negative blocks) for input; nil on timeout (treat it as `.tick`).
    public func readEvent(timeoutMs: Int) -> InputEvent? {
        let t = Int32(clamping: timeoutMs)
        if t != currentTimeout {
            wtimeout(window, t)
            currentTimeout = t
        }
        var ch: wint_t = 0
        let r = wget_wch(window, &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES { return decodeKeyCode(Int32(bitPattern: ch)) }
        return Self.decodeCharacter(UInt32(ch)).map(InputEvent.key)
    }

    /// Decodes a character from `get_wch` (control codes become keys).
    static func decodeCharacter(_ v: UInt32) -> Key? {
        switch v {
        case 0x1B: return .escape
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x00: return .ctrl(" ")
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(v + 0x60)!))
        case 0x1C...0x1F: return nil
        default:
            guard let s = Unicode.Scalar(v) else { return nil }
            return .char(Character(s))
        }
    }

    private func decodeKeyCode(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME, KEY_FIND: return .key(.home)
        case KEY_END, KEY_SELECT: return .key(.end)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_IC: return .key(.insert)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE: return .resize
        case KEY_MOUSE: return readMouse()
        case (KEY_F0 + 1)...(KEY_F0 + 24): return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }

    static func mouseMask(_ button: Int, _ event: UInt32) -> UInt32 {
        event << UInt32((button - 1) * 5)
    }

    /// REPORT_MOUSE_POSITION: a motion report.
    static var motionMask: UInt32 { mouseMask(6, 0o10) }

    private func readMouse() -> InputEvent? {
        var e = MEVENT()
        guard getmouse(&e) == OK else { return nil }
        let s = UInt32(e.bstate)
        let m = Self.mouseMask
        let button: MouseButton
        var kind = MouseEvent.Kind.press
        if s & m(4, 0o2) != 0 {
            button = .scrollUp
        } else if s & m(5, 0o2) != 0 {
            button = .scrollDown
        } else if s & m(1, 0o17) != 0 {
            button = .left
            kind = Self.kind(s, 1)
            leftButtonDown = kind == .press
        } else if s & Self.motionMask != 0 {
            // Motion without a button (any-motion tracking) is hover, not a drag.
            guard leftButtonDown else { return nil }
            button = .left
            kind = .drag
        } else if s & m(3, 0o17) != 0 {
            button = .right; kind = Self.kind(s, 3)
        } else if s & m(2, 0o17) != 0 {
            button = .middle; kind = Self.kind(s, 2)
        } else {
            return nil
        }
        return .mouse(MouseEvent(x: Int(e.x), y: Int(e.y), button: button, kind: kind))
    }

    private static func kind(_ s: UInt32, _ b: Int) -> MouseEvent.Kind {
        if s & mouseMask(b, 0o1) != 0 { return .release }
        if s & mouseMask(b, 0o4) != 0 { return .click }
        if s & mouseMask(b, 0o10) != 0 { return .doubleClick }
        return .press
    }
}
