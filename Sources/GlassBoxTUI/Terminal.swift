/// What a `Terminal.draw` closure renders into: the full-screen buffer of this frame.
public struct Frame {
    /// The whole screen.
    public let area: Rect
    public var buffer: Buffer
    /// Where to show the cursor after drawing (nil hides it).
    public var cursor: Position?

    init(area: Rect, buffer: Buffer) {
        self.area = area
        self.buffer = buffer
    }

    public mutating func render<W: Widget>(_ widget: W, in area: Rect) {
        widget.render(in: area, buffer: &buffer)
    }

    public mutating func render<W: StatefulWidget>(_ widget: W, in area: Rect, state: inout W.State) {
        widget.render(in: area, buffer: &buffer, state: &state)
    }

    public mutating func setCursor(x: Int, y: Int) {
        cursor = Position(x: x, y: y)
    }
}

/// What one `draw` did (for tests and the explorer's debug overlay).
public struct FrameStats: Equatable, Sendable {
    /// Cells handed to the backend.
    public var cellsWritten: Int
    /// Whether the whole screen was rewritten (first frame, resize, `invalidate()`).
    public var fullRedraw: Bool
}

/// Double-buffered drawing: each `draw` renders a full frame into a fresh buffer, diffs it
/// against the previous one and sends only the changed cells to the backend.
///
///     let terminal = Terminal(backend: try NCursesBackend())
///     terminal.draw { frame in
///         let rows = frame.area.splitVertically([.fill(1), .length(1)])
///         frame.render(Paragraph("hello"), in: rows[0])
///         frame.render(StatusLine(left: ["ready"]), in: rows[1])
///     }
///
/// Not thread-safe: call it from the thread that owns the backend.
public final class Terminal<B: Backend> {
    public let backend: B
    private var current: Buffer
    private var previous: Buffer
    private var needsFullRedraw = true
    /// Statistics of the last `draw`.
    public private(set) var lastFrame = FrameStats(cellsWritten: 0, fullRedraw: false)

    public init(backend: B) {
        self.backend = backend
        let s = backend.size()
        let area = Rect(width: s.width, height: s.height)
        current = Buffer(area: area)
        previous = Buffer(area: area)
    }

    /// The screen area of the next frame.
    public var area: Rect { current.area }

    /// Forces the next frame to rewrite every cell (e.g. after another program scribbled on
    /// the screen).
    public func invalidate() {
        needsFullRedraw = true
    }

    /// Adopts a new screen size: clears the screen and makes the next frame a full redraw.
    public func resize(width: Int, height: Int) {
        let area = Rect(width: width, height: height)
        current.resize(area)
        previous.resize(area)
        backend.clear()
        needsFullRedraw = true
    }

    /// Checks the backend's size and resizes if it changed. `draw` calls this first.
    public func autoresize() {
        let s = backend.size()
        if s.width != area.width || s.height != area.height { resize(width: s.width, height: s.height) }
    }

    /// Renders one frame and writes the difference to the backend.
    @discardableResult
    public func draw(_ render: (inout Frame) throws -> Void) rethrows -> FrameStats {
        autoresize()
        current.reset()
        // Move the buffer into the frame (and back) rather than copy it, so writes don't
        // trigger a copy-on-write of the whole screen.
        var frame = Frame(area: current.area, buffer: Buffer(area: .zero))
        swap(&frame.buffer, &current)
        do {
            try render(&frame)
        } catch {
            swap(&frame.buffer, &current)
            throw error
        }
        swap(&frame.buffer, &current)

        var updates: [CellUpdate]
        let full = needsFullRedraw
        if full {
            updates = []
            updates.reserveCapacity(current.content.count)
            for (i, c) in current.content.enumerated() where !c.isContinuation {
                updates.append(
                    CellUpdate(
                        x: current.area.x + i % current.area.width,
                        y: current.area.y + i / current.area.width, cell: c))
            }
            needsFullRedraw = false
        } else {
            updates = current.diff(previous)
        }
        let capability = backend.colorCapability
        if capability != .indexed256 {
            for i in updates.indices { updates[i].cell.style = updates[i].cell.style.downgraded(to: capability) }
        }
        backend.draw(updates)
        if let c = frame.cursor, current.area.contains(c) {
            backend.setCursor(x: c.x, y: c.y)
        } else {
            backend.hideCursor()
        }
        backend.flush()
        swap(&previous, &current)
        lastFrame = FrameStats(cellsWritten: updates.count, fullRedraw: full)
        return lastFrame
    }
}
