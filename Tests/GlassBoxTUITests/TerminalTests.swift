import GlassBoxTestSupport
import XCTest
@testable import GlassBoxTUI

final class TerminalTests: XCTestCase {
    func testBackendShowsWhatWasDrawn() {
        let backend = TestBackend(width: 10, height: 3)
        let terminal = Terminal(backend: backend)
        terminal.draw { frame in
            frame.render(Block(title: "T"), in: frame.area)
            frame.render(Paragraph("hi"), in: Rect(x: 1, y: 1, width: 8, height: 1))
        }
        XCTAssertEqual(backend.lines(), ["╭T───────╮", "│hi      │", "╰────────╯"])
        XCTAssertEqual(backend.lastFrameCellCount, 30)  // first frame: everything
        XCTAssertTrue(terminal.lastFrame.fullRedraw)
        XCTAssertNil(backend.cursor)
    }

    func testOnlyChangedCellsAreWritten() {
        let backend = TestBackend(width: 20, height: 5)
        let terminal = Terminal(backend: backend)
        func frame(_ text: String) {
            terminal.draw { f in f.render(Paragraph(text, block: Block()), in: f.area) }
        }
        frame("count 1")
        frame("count 1")
        XCTAssertEqual(backend.lastFrameCellCount, 0)
        frame("count 2")
        XCTAssertEqual(backend.lastFrameCellCount, 1)
        XCTAssertEqual(backend.lastUpdates.map { [$0.x, $0.y] }, [[7, 1]])
        frame("count 10")
        XCTAssertEqual(backend.lastFrameCellCount, 2)
        XCTAssertEqual(backend.cellsWrittenPerFrame, [100, 0, 1, 2])
        XCTAssertEqual(backend.lines()[1], "│count 10          │")
        XCTAssertFalse(terminal.lastFrame.fullRedraw)
    }

    func testResizeRedrawsEverything() {
        let backend = TestBackend(width: 6, height: 2)
        let terminal = Terminal(backend: backend)
        func draw() { terminal.draw { f in f.render(Paragraph("abc"), in: f.area) } }
        draw()
        draw()
        XCTAssertEqual(backend.lastFrameCellCount, 0)
        backend.resize(width: 4, height: 3)
        draw()
        XCTAssertEqual(terminal.area, Rect(width: 4, height: 3))
        XCTAssertEqual(backend.lastFrameCellCount, 12)
        XCTAssertEqual(backend.clearCount, 1)
        XCTAssertEqual(backend.lines(), ["abc ", "    ", "    "])
        terminal.invalidate()
        draw()
        XCTAssertEqual(backend.lastFrameCellCount, 12)
    }

    func testWideGlyphFramesStayConsistent() {
        let backend = TestBackend(width: 6, height: 1)
        let terminal = Terminal(backend: backend)
        terminal.draw { f in f.buffer.setString(0, 0, "ab") }
        terminal.draw { f in f.buffer.setString(0, 0, "世b") }
        // The wide glyph and the shifted "b"; the continuation cell is never sent.
        XCTAssertEqual(backend.lastUpdates.map(\.x), [0, 2])
        XCTAssertEqual(backend.lines(), ["世b   "])
        terminal.draw { f in f.buffer.setString(0, 0, "xyz") }
        XCTAssertEqual(backend.lastUpdates.map(\.x), [0, 1, 2])
        XCTAssertEqual(backend.lines(), ["xyz   "])
    }

    func testStylesAreDowngradedForTheBackend() {
        let backend = TestBackend(width: 2, height: 1, colorCapability: .none)
        let terminal = Terminal(backend: backend)
        terminal.draw { f in f.buffer.setString(0, 0, "x", style: Style(fg: .red, bg: .indexed(200), modifiers: .bold)) }
        XCTAssertEqual(backend.screen[0, 0].style, Style(modifiers: [.bold, .reverse]))
        backend.colorCapability = .basic8
        terminal.invalidate()
        terminal.draw { f in f.buffer.setString(0, 0, "x", style: Style(fg: .indexed(196))) }
        XCTAssertEqual(backend.screen[0, 0].style, Style(fg: .red))
    }

    func testCursor() {
        let backend = TestBackend(width: 4, height: 2)
        let terminal = Terminal(backend: backend)
        terminal.draw { f in f.setCursor(x: 2, y: 1) }
        XCTAssertEqual(backend.cursor, Position(x: 2, y: 1))
        terminal.draw { _ in }
        XCTAssertNil(backend.cursor)
    }

    func testThrowingDrawLeavesTerminalUsable() {
        struct Oops: Error {}
        let backend = TestBackend(width: 3, height: 1)
        let terminal = Terminal(backend: backend)
        XCTAssertThrowsError(try terminal.draw { _ in throw Oops() })
        terminal.draw { f in f.buffer.setString(0, 0, "ok") }
        XCTAssertEqual(backend.lines(), ["ok "])
    }

    func testTestBackendReplaysEvents() {
        let backend = TestBackend(width: 1, height: 1)
        backend.enqueue([.key(.char("j")), .resize])
        XCTAssertEqual(backend.readEvent(timeoutMs: 50), .key(.char("j")))
        XCTAssertEqual(backend.readEvent(timeoutMs: 50), .resize)
        XCTAssertNil(backend.readEvent(timeoutMs: 50))
    }
}

/// Which terminals curses can draw on, decided before it takes the screen over.
final class TerminalTypeTests: XCTestCase {
    func testDumbAndUnknownTerminalsAreRefusedAndRealOnesAccepted() {
        XCTAssertEqual(NCursesBackend.problem(withTerminal: "dumb"), .noCursorAddressing(term: "dumb"))
        XCTAssertEqual(NCursesBackend.problem(withTerminal: "no-such-terminal-type"), .unknownTerminal(term: "no-such-terminal-type"))
        XCTAssertEqual(NCursesBackend.problem(withTerminal: ""), .unknownTerminal(term: nil))
        XCTAssertNil(NCursesBackend.problem(withTerminal: "xterm-256color"))
        XCTAssertNil(NCursesBackend.problem(withTerminal: "vt100"))
        XCTAssertEqual(NCursesError.noCursorAddressing(term: "dumb").description, "TERM=dumb is a terminal that can't move the cursor")
    }
}
