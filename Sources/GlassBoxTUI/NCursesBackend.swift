import CNCursesW
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors starting curses.
public enum NCursesError: Error, Equatable, CustomStringConvertible {
    /// `TERM` is unset, or names a terminal the terminfo database doesn't know.
    case unknownTerminal(term: String?)
    /// The terminal can't move the cursor (`TERM=dumb`, a hardcopy terminal): curses would
    /// draw a blank or garbled screen.
    case noCursorAddressing(term: String)
    /// `newterm` failed anyway.
    case cannotInitialize(term: String)

    public var description: String {
        switch self {
        case .unknownTerminal(nil), .unknownTerminal(""):
            return "TERM is not set"
        case .unknownTerminal(let term?):
            return "TERM=\(term) is not in this system's terminfo database"
        case .noCursorAddressing(let term):
            return "TERM=\(term) is a terminal that can't move the cursor"
        case .cannotInitialize(let term):
            return "cannot initialise the terminal (TERM=\(term))"
        }
    }
}

/// A thin ncursesw backend: cell output with colour pairs and attributes, plus input decoding.
///
/// **Threading: one thread owns every curses call.** curses keeps global state and is not
/// thread-safe, so this class isn't either, by design: create it, draw, read events and restore
/// it on the explorer's main-loop thread only. Background work posts results back to that
/// thread; it never calls into the backend (TermKit's mistake of reading input on one queue
/// while drawing on another is exactly what this rules out).
///
/// Input is polled: `readEvent(timeoutMs:)` waits at most the timeout (50–100 ms suits a
/// redraw loop) and returns nil when nothing arrived. Esc is recognised after `ESCDELAY`
/// (25 ms). Colours: `start_color` + `use_default_colors`; colour pairs are allocated lazily per
/// (fg, bg) and cached, within `COLOR_PAIRS`.
///
/// Lifecycle: `restore()` (also run by `deinit`) gives the terminal back — call it with
/// `defer` and before printing errors; signal handlers and paths where the instance is out of
/// reach call `emergencyRestore()`. Uses `newterm` rather than `initscr` so a missing terminal
/// throws instead of exiting; check `isatty` and `problem(withTerminal:)` first, since
/// `newterm` already switches to the alternate screen.
public final class NCursesBackend: Backend, EventSource {
    public let colorCapability: ColorCapability
    /// Glyphs matching the locale's codeset (ASCII unless it is UTF-8).
    public let glyphs: GlyphSet
    private let screen: OpaquePointer
    let window: UnsafeMutablePointer<WINDOW>
    private let utf8: Bool
    private let defaultColors: Bool
    private var pairs: [UInt32: Int32] = [:]
    private var nextPair: Int32 = 1
    private let maxPairs: Int32
    var currentTimeout: Int32 = -2
    private var cursorVisible = true
    private var active = true
    private let mouse: Bool
    /// The left button is down (press seen, release not yet): motion reports are drags then.
    var leftButtonDown = false

    /// Set while curses owns the terminal, for `emergencyRestore()`.
    private nonisolated(unsafe) static var cursesActive: Int32 = 0

    /// Takes over the terminal (alternate screen, no echo, keypad decoding).
    /// - Parameters:
    ///   - raw: `raw()` instead of `cbreak()`, so Ctrl-C arrives as `.ctrl("c")` instead of SIGINT.
    ///   - mouse: report button presses, drags (button-motion tracking, DEC mode 1002) and the wheel.
    public init(raw: Bool = false, mouse: Bool = true) throws {
        setlocale(LC_ALL, "")
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        guard let scr = newterm(nil, stdout, stdin) else { throw NCursesError.cannotInitialize(term: term) }
        set_term(scr)
        screen = scr
        window = stdscr
        self.mouse = mouse
        NCursesBackend.cursesActive = 1

        utf8 = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().filter { $0 != "-" } == "UTF8"
        glyphs = utf8 ? .unicode : .ascii
        if raw { _ = CNCursesW.raw() } else { _ = cbreak() }
        _ = noecho()
        _ = nonl()  // Enter arrives as CR; keeps LF distinct from Ctrl-J in raw mode
        _ = keypad(window, true)
        _ = intrflush(window, false)
        _ = set_escdelay(25)
        _ = curs_set(0)
        cursorVisible = false

        var colors = 0
        var usesDefault = false
        if has_colors() {
            _ = start_color()
            usesDefault = use_default_colors() == OK
            colors = Int(COLORS)
        }
        defaultColors = usesDefault
        maxPairs = has_colors() ? COLOR_PAIRS : 0
        var env: [String: String] = [:]
        if let v = getenv("NO_COLOR") { env["NO_COLOR"] = String(cString: v) }
        colorCapability = ColorCapability.detect(colors: colors, environment: env)

        if mouse {
            // ncurses mouse masks (NCURSES_MOUSE_VERSION 2): button b's event m is m << ((b-1)*5).
            let mask =
                Self.mouseMask(1, 0o2) | Self.mouseMask(1, 0o1) | Self.mouseMask(2, 0o2)
                | Self.mouseMask(3, 0o2) | Self.mouseMask(4, 0o2) | Self.mouseMask(5, 0o2) | Self.motionMask
            _ = mousemask(mmask_t(mask), nil)
            _ = mouseinterval(0)  // report presses at once instead of waiting to synthesise clicks
            // Motion while a button is held (drawing a lasso). Through curses' own output, so
            // it follows the mode curses just asked for instead of being undone by it.
            _ = putp(Self.buttonMotionOn)
        }
    }

    deinit {
        restore()
    }

    /// Gives the terminal back (`endwin`). Idempotent; call it before exiting or on errors.
    public func restore() {
        guard active else { return }
        active = false
        if mouse { _ = putp(Self.buttonMotionOff) }
        _ = curs_set(1)
        _ = endwin()
        delscreen(screen)
        NCursesBackend.cursesActive = 0
    }

    /// Restores the terminal from a signal handler or a fatal-error path where the backend
    /// instance isn't reachable. Calls only `endwin()`, which is *not* async-signal-safe: it is
    /// a best effort before the process dies, not something to continue after.
    public static func emergencyRestore() {
        if cursesActive != 0 {
            cursesActive = 0
            _ = endwin()
            _ = buttonMotionOff.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
        }
    }

    /// Why curses can't draw on terminal type `name` (nil: `$TERM`), or nil when it can: the
    /// type must be in the terminfo database and able to address the cursor. Touches nothing
    /// on the screen, so it runs before `init` takes the terminal over.
    public static func problem(withTerminal name: String? = nil) -> NCursesError? {
        let term = name ?? getenv("TERM").map { String(cString: $0) }
        guard let term, !term.isEmpty else { return .unknownTerminal(term: nil) }
        var status: Int32 = 0
        guard setupterm(term, STDOUT_FILENO, &status) == OK else { return .unknownTerminal(term: term) }
        defer { del_curterm(cur_term) }
        // tigetstr answers (char *)-1 for a name that isn't a string capability.
        guard let cup = tigetstr("cup"), Int(bitPattern: cup) != -1 else { return .noCursorAddressing(term: term) }
        return nil
    }

    // MARK: Backend

    public func size() -> (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    public func draw(_ updates: [CellUpdate]) {
        var cchar = cchar_t()
        var chars: (wchar_t, wchar_t, wchar_t, wchar_t, wchar_t) = (0, 0, 0, 0, 0)
        for u in updates {
            let style = u.cell.style
            var pair = colorPair(style)
            let attrs = Self.attributes(style.modifiers)
            withUnsafeMutableBytes(of: &chars) { raw in
                let w = raw.bindMemory(to: wchar_t.self)
                var n = 0
                for s in u.cell.symbol.unicodeScalars where n < 4 {
                    // A non-UTF-8 locale can't show other scalars; widgets should use `.ascii` glyphs.
                    w[n] = wchar_t(bitPattern: (utf8 || s.isASCII) ? s.value : GlyphSet.asciiFallback(s).value)
                    n += 1
                }
                if n == 0 { w[0] = 0x20; n = 1 }
                w[n] = 0
                _ = setcchar(&cchar, w.baseAddress!, attr_t(attrs), Int16(clamping: pair), &pair)
            }
            _ = mvwadd_wch(window, Int32(u.y), Int32(u.x), &cchar)
        }
    }

    public func setCursor(x: Int, y: Int) {
        if !cursorVisible { _ = curs_set(1); cursorVisible = true }
        _ = wmove(window, Int32(y), Int32(x))
    }

    public func hideCursor() {
        if cursorVisible { _ = curs_set(0); cursorVisible = false }
    }

    public func clear() {
        _ = wclear(window)  // also makes the next refresh repaint the whole screen
    }

    public func flush() {
        _ = wrefresh(window)
    }

    /// OSC 52 through curses' output (after what it has buffered), flushed at once — a
    /// refresh with nothing to draw wouldn't. It moves no cursor, so curses' idea of the screen
    /// stays true.
    public func setClipboard(_ text: String) {
        var sequence = Clipboard.osc52(text)
        sequence.append(0)
        sequence.withUnsafeBufferPointer { _ = $0.baseAddress!.withMemoryRebound(to: CChar.self, capacity: $0.count) { putp($0) } }
        fflush(stdout)
    }

    static let buttonMotionOn = "\u{1B}[?1002h"
    static let buttonMotionOff = "\u{1B}[?1002l"

    // MARK: Colours and attributes

    private static func attributes(_ m: Modifier) -> UInt32 {
        // A_* are function-like macros Swift can't import: NCURSES_BITS(1, n) = 1 << (n + 8).
        var a: UInt32 = 0
        if m.contains(.underline) { a |= 1 << 17 }
        if m.contains(.reverse) { a |= 1 << 18 }
        if m.contains(.dim) { a |= 1 << 20 }
        if m.contains(.bold) { a |= 1 << 21 }
        if m.contains(.italic) { a |= 1 << 31 }
        return a
    }

    /// The colour pair for a style, allocated on first use. When pairs run out, falls back to
    /// the pair with the same foreground on the default background, then to pair 0.
    private func colorPair(_ style: Style) -> Int32 {
        guard colorCapability != .none, maxPairs > 1 else { return 0 }
        var fg = curseColor(style.fg), bg = curseColor(style.bg)
        if fg == -1 && bg == -1 { return 0 }
        // Without use_default_colors, -1 isn't a valid colour: assume white on black.
        if !defaultColors {
            if fg == -1 { fg = 7 }
            if bg == -1 { bg = 0 }
        }
        let key = UInt32(UInt16(bitPattern: Int16(fg))) | UInt32(UInt16(bitPattern: Int16(bg))) << 16
        if let p = pairs[key] { return p }
        guard nextPair < maxPairs else {
            let fallback = UInt32(UInt16(bitPattern: Int16(fg))) | UInt32(UInt16(bitPattern: -1)) << 16
            return pairs[fallback] ?? 0
        }
        let p = nextPair
        guard init_extended_pair(p, fg, bg) == OK else { return 0 }
        nextPair += 1
        pairs[key] = p
        return p
    }

    /// A curses colour number; -1 is the terminal default (or white/black without
    /// `use_default_colors`). Indices the terminal lacks are mapped to the 8 basic colours.
    private func curseColor(_ c: Color?) -> Int32 {
        guard let c, var index = c.paletteIndex else { return -1 }
        if index >= Int(COLORS) { index = c.basic8.paletteIndex ?? -1 }
        return Int32(index)
    }
}
