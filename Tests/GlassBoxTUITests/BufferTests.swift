import GlassBoxTestSupport
import XCTest
@testable import GlassBoxTUI

final class BufferTests: XCTestCase {
    func testSetStringClipsAtTheEdgeAndMaxWidth() {
        var b = Buffer(area: Rect(width: 6, height: 2))
        XCTAssertEqual(b.setString(3, 0, "abcdef"), 6)
        XCTAssertEqual(b.setString(0, 1, "abcdef", maxWidth: 2), 2)
        assertLines(b, ["   abc", "ab"])
        // Rows outside the area are ignored.
        XCTAssertEqual(b.setString(0, 5, "zzz"), 0)
    }

    func testSetStringPatchesStyle() {
        var b = Buffer(area: Rect(width: 3, height: 1))
        b.setStyle(b.area, Style(bg: .blue))
        b.setString(0, 0, "x", style: Style(fg: .red))
        XCTAssertEqual(b[0, 0].style, Style(fg: .red, bg: .blue))
        XCTAssertEqual(b[1, 0].style, Style(bg: .blue))
    }

    func testOffsetAreaUsesAbsoluteCoordinates() {
        var b = Buffer(area: Rect(x: 10, y: 5, width: 4, height: 1))
        b.setString(8, 5, "abcdef")  // starts left of the area: the first two glyphs are clipped
        assertLines(b, ["cdef"])
        XCTAssertEqual(b[10, 5].symbol, "c")
    }

    func testWideGlyphsOccupyTwoCells() {
        var b = Buffer(area: Rect(width: 8, height: 1))
        XCTAssertEqual(b.setString(0, 0, "a世界b"), 6)
        XCTAssertEqual(b[1, 0].width, 2)
        XCTAssertTrue(b[2, 0].isContinuation)
        assertLines(b, ["a世界b"])
    }

    func testWideGlyphThatDoesNotFitIsNotSplit() {
        var b = Buffer(area: Rect(width: 4, height: 1))
        XCTAssertEqual(b.setString(0, 0, "abc世"), 3)
        assertLines(b, ["abc "])
        XCTAssertFalse(b[3, 0].isContinuation)
    }

    func testOverwritingHalfAWideGlyphBlanksTheOtherHalf() {
        var b = Buffer(area: Rect(width: 6, height: 1))
        b.setString(0, 0, "世界")
        b.setString(1, 0, "x")  // right half of 世
        assertLines(b, [" x界"])
        b.setString(2, 0, "y")  // left half of 界
        assertLines(b, [" xy"])
        XCTAssertFalse(b[3, 0].isContinuation)
    }

    func testFillAndSetStyleClip() {
        var b = Buffer(area: Rect(width: 4, height: 2))
        b.fill(Rect(x: 2, y: 1, width: 10, height: 10), symbol: "#", style: Style(fg: .red))
        b.setStyle(Rect(x: -1, y: 0, width: 2, height: 1), Style(modifiers: .bold))
        assertLines(b, ["", "  ##"])
        XCTAssertEqual(b[0, 0].style, Style(modifiers: .bold))
        XCTAssertEqual(b[1, 0].style, Style())
        XCTAssertEqual(b[3, 1].style, Style(fg: .red))
    }

    func testFillRepairsCutWideGlyphsAndRepeatsWideCells() {
        var b = Buffer(lines: ["世界世"])
        b.fill(Rect(x: 1, y: 0, width: 2, height: 1), symbol: "-")
        assertLines(b, [" -- 世"])
        b.fill(b.area, symbol: "界")
        assertLines(b, ["界界界"])
    }

    func testLinesKeepTrailingSpaces() {
        let b = Buffer(lines: ["ab", "c"])
        XCTAssertEqual(b.lines(), ["ab", "c "])
    }

    func testDiffReportsOnlyChangedCells() {
        let a = Buffer(lines: ["hello", "world"])
        let b = Buffer(lines: ["hallo", "world"])
        XCTAssertEqual(b.diff(a), [CellUpdate(x: 1, y: 0, cell: Cell("a"))])
        XCTAssertEqual(a.diff(a), [])
        var styled = a
        styled.setStyle(Rect(x: 4, y: 1, width: 1, height: 1), Style(fg: .red))
        XCTAssertEqual(styled.diff(a).map { [$0.x, $0.y] }, [[4, 1]])
    }

    func testDiffSkipsContinuationCellsAndRewritesAfterWidthChanges() {
        let narrow = Buffer(lines: ["abcd"])
        let wide = Buffer(lines: ["世cd"])
        // Wide over narrow: only the wide glyph is sent; its continuation is implied.
        XCTAssertEqual(wide.diff(narrow).map(\.x), [0])
        // Narrow over wide: both former halves are rewritten.
        XCTAssertEqual(narrow.diff(wide).map(\.x), [0, 1])
    }

    func testDiffWithDifferentAreaSendsEverything() {
        let a = Buffer(area: Rect(width: 2, height: 2))
        let b = Buffer(area: Rect(width: 3, height: 2))
        XCTAssertEqual(b.diff(a).count, 6)
    }

    func testCharacterWidths() {
        XCTAssertEqual(Character("a").terminalWidth, 1)
        XCTAssertEqual(Character("é").terminalWidth, 1)
        XCTAssertEqual(Character("世").terminalWidth, 2)
        XCTAssertEqual(Character("Ｆ").terminalWidth, 2)  // fullwidth
        XCTAssertEqual(Character("🙂").terminalWidth, 2)
        XCTAssertEqual(Character("⠁").terminalWidth, 1)
        XCTAssertEqual(Character("█").terminalWidth, 1)
        XCTAssertEqual(Character("\u{200B}").terminalWidth, 0)
        XCTAssertEqual(Character("\t").terminalWidth, 0)
        XCTAssertEqual(TextWidth.width("a世b"), 4)
        XCTAssertEqual(TextWidth.truncate("abcdef", to: 4), "abc…")
        XCTAssertEqual(TextWidth.truncate("世界世界", to: 4), "世…")
        XCTAssertEqual(TextWidth.truncate("abc", to: 3), "abc")
    }

    func testNumberFormat() {
        XCTAssertEqual(NumberFormat.fixed(0.125, 2), "0.13")
        XCTAssertEqual(NumberFormat.fixed(-0.125, 2), "-0.13")
        XCTAssertEqual(NumberFormat.fixed(3, 0), "3")
        XCTAssertEqual(NumberFormat.fixed(0.3, 2, signed: true), "+0.30")
        XCTAssertEqual(NumberFormat.fixed(-0.001, 2), "0.00")
        XCTAssertEqual(NumberFormat.fixed(.nan), "nan")
    }
}
