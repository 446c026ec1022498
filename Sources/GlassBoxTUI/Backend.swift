/// The small surface `Terminal` needs from a real or fake terminal (ratatui's `Backend`).
/// Backends receive only changed cells, already downgraded to `colorCapability`.
public protocol Backend: AnyObject {
    /// Current size in cells.
    func size() -> (width: Int, height: Int)
    /// Colours the terminal can show; `Terminal` downgrades styles to this before `draw`.
    var colorCapability: ColorCapability { get }
    /// Writes cells (continuation cells of wide glyphs are never passed).
    func draw(_ updates: [CellUpdate])
    /// Shows the cursor at a screen position.
    func setCursor(x: Int, y: Int)
    func hideCursor()
    /// Blanks the physical screen (the next frame is then drawn in full).
    func clear()
    /// Makes everything written so far visible.
    func flush()
    /// Puts `text` on the system clipboard (`Clipboard.osc52`), from the thread that draws.
    func setClipboard(_ text: String)
}

/// Where the main loop gets input from: `NCursesBackend` for a terminal, `TestBackend` for
/// scripted events in tests.
public protocol EventSource: AnyObject {
    /// Waits up to `timeoutMs` milliseconds (negative: forever) for the next event; nil when
    /// none arrived in time — the main loop treats that as `InputEvent.tick`.
    func readEvent(timeoutMs: Int) -> InputEvent?
}
