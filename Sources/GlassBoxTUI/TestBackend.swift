/// An in-memory backend for tests: applies updates to a `Buffer` "screen" and counts the cells
/// written per frame, which proves that `Terminal` only sends what changed. As an
/// `EventSource` it replays events queued with `enqueue`.
public final class TestBackend: Backend, EventSource {
    /// What the terminal would show.
    public private(set) var screen: Buffer
    public var colorCapability: ColorCapability
    /// Cells written in each flushed frame, oldest first.
    public private(set) var cellsWrittenPerFrame: [Int] = []
    /// Every update of the most recent frame.
    public private(set) var lastUpdates: [CellUpdate] = []
    public private(set) var cursor: Position?
    public private(set) var clearCount = 0
    public private(set) var flushCount = 0
    /// Every text put on the clipboard, oldest first.
    public private(set) var clipboard: [String] = []
    private var pending: [CellUpdate] = []
    private var events: [InputEvent] = []
    private var nextEvent = 0

    public init(width: Int, height: Int, colorCapability: ColorCapability = .indexed256) {
        screen = Buffer(area: Rect(width: width, height: height))
        self.colorCapability = colorCapability
    }

    /// Simulates the user resizing the terminal window.
    public func resize(width: Int, height: Int) {
        screen.resize(Rect(width: width, height: height))
    }

    /// The screen text, one string per row (see `Buffer.lines()`).
    public func lines() -> [String] { screen.lines() }

    /// Cells written by the most recent frame.
    public var lastFrameCellCount: Int { cellsWrittenPerFrame.last ?? 0 }

    public func size() -> (width: Int, height: Int) { (screen.area.width, screen.area.height) }

    public func draw(_ updates: [CellUpdate]) {
        for u in updates { screen.set(u.cell, x: u.x, y: u.y) }
        pending += updates
    }

    public func setCursor(x: Int, y: Int) { cursor = Position(x: x, y: y) }
    public func hideCursor() { cursor = nil }

    public func clear() {
        screen.reset()
        clearCount += 1
    }

    public func flush() {
        flushCount += 1
        cellsWrittenPerFrame.append(pending.count)
        lastUpdates = pending
        pending = []
    }

    public func setClipboard(_ text: String) { clipboard.append(text) }

    /// Queues events for `readEvent`.
    public func enqueue(_ newEvents: [InputEvent]) {
        events += newEvents
    }

    /// The next queued event, or nil (a timeout) when the queue is empty. Never waits.
    public func readEvent(timeoutMs: Int) -> InputEvent? {
        guard nextEvent < events.count else { return nil }
        nextEvent += 1
        return events[nextEvent - 1]
    }
}
