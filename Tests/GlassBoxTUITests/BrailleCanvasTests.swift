import GlassBoxTestSupport
import XCTest
@testable import GlassBoxTUI

final class BrailleCanvasTests: XCTestCase {
    /// A 1×1-cell canvas over [0, 2]×[0, 4]: each dot is one data unit.
    private func singleCell() -> BrailleCanvas {
        BrailleCanvas(width: 1, height: 1, viewport: Viewport(xMin: 0, xMax: 2, yMin: 0, yMax: 4))
    }

    func testEachDotLandsOnRatatuiBit() {
        // Dot (x, y) from the top-left, in ratatui's order: bit index x + 2*y.
        let expected: [Character] = ["⠁", "⠈", "⠂", "⠐", "⠄", "⠠", "⡀", "⢀"]
        for i in 0..<8 {
            let dx = i % 2, dy = i / 2
            var c = singleCell()
            // Centre of dot (dx, dy); data y grows upwards.
            c.plot(x: Double(dx) + 0.5, y: 4 - Double(dy) - 0.5, color: .red)
            XCTAssertEqual(c.masks, [UInt8(1) << [0, 3, 1, 4, 2, 5, 6, 7][i]], "dot \(i)")
            assertLines(render(c, width: 1, height: 1), [String(expected[i])])
        }
    }

    func testAllDotsAndBrailleBase() {
        var c = singleCell()
        for dy in 0..<4 { for dx in 0..<2 { c.setDot(dx, dy, color: .red) } }
        assertLines(render(c, width: 1, height: 1), ["⣿"])
        XCTAssertEqual(GlyphSet.brailleCharacters[0], "\u{2800}")
    }

    func testViewportEdgesAreInclusiveAndOutsideIsSkipped() {
        var c = BrailleCanvas(width: 4, height: 2, viewport: Viewport(xMin: 0, xMax: 1, yMin: 0, yMax: 1))
        c.plot(xs: [0, 1, 0, 1, 2, -0.1, .nan, .infinity], ys: [0, 1, 1, 0, 0.5, 0.5, 0.5, 0.5], color: .red)
        assertLines(render(c, width: 4, height: 2), ["⠁  ⠈", "⡀  ⢀"])
    }

    func testLastPlottedColourWinsAndMarkersDrawOnTop() {
        var c = BrailleCanvas(width: 2, height: 1, viewport: Viewport(xMin: 0, xMax: 4, yMin: 0, yMax: 4))
        c.plot(xs: [0.5, 1.5, 2.5], ys: [3.5, 0.5, 3.5], colorIndices: [0, 1, 2], palette: [.red, .green])
        c.plot(x: 0.5, y: 0.5, color: .blue)  // a later layer over cell 0
        var b = render(c, width: 2, height: 1)
        assertLines(b, ["⣁⠁"])
        XCTAssertEqual(b[0, 0].style.fg, .blue)
        XCTAssertEqual(b[1, 0].style.fg, .green)  // index 2 is past the palette: its last colour

        c.mark(x: 3, y: 3, style: Style(fg: .yellow, modifiers: .bold))
        b = render(c, width: 2, height: 1)
        assertLines(b, ["⣁◉"])
        XCTAssertEqual(b[1, 0].style, Style(fg: .yellow, modifiers: .bold))
    }

    func testIndicesPlotOnlyASubset() {
        var c = BrailleCanvas(width: 2, height: 1, viewport: Viewport(xMin: 0, xMax: 4, yMin: 0, yMax: 4))
        let xs: [Float] = [0.5, 2.5], ys: [Float] = [3.5, 3.5], subset: [Int32] = [1, 7, -1]
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeBufferPointer { y in
                subset.withUnsafeBufferPointer { s in c.plot(xs: x, ys: y, indices: s, color: .red) }
            }
        }
        assertLines(render(c, width: 2, height: 1), [" ⠁"])
    }

    func testASCIIFallback() {
        var c = BrailleCanvas(width: 3, height: 1, viewport: Viewport(xMin: 0, xMax: 6, yMin: 0, yMax: 4), glyphs: .ascii)
        c.plot(x: 0.5, y: 3.5, color: .red)
        for dy in 0..<4 { for dx in 0..<2 { c.setDot(2 + dx, dy, color: .red) } }
        c.mark(x: 5, y: 2)
        assertLines(render(c, width: 3, height: 1), [".*@"])
    }

    func testEmptyCellsKeepWhatIsUnderneath() {
        var b = Buffer(lines: ["abc"])
        var c = BrailleCanvas(width: 3, height: 1, viewport: Viewport(xMin: 0, xMax: 6, yMin: 0, yMax: 4))
        c.plot(x: 2.5, y: 3.5, color: .red)
        c.render(in: b.area, buffer: &b)
        assertLines(b, ["a⠁c"])
    }

    func testLineAndClear() {
        var c = BrailleCanvas(width: 2, height: 1, viewport: Viewport(xMin: 0, xMax: 4, yMin: 0, yMax: 4))
        c.line(from: (0, 3.5), to: (4, 3.5), color: .white)
        assertLines(render(c, width: 2, height: 1), ["⠉⠉"])
        c.clear()
        assertLines(render(c, width: 2, height: 1), ["  "])
    }

    func testViewportFittingZoomAndPan() {
        let xs: [Float] = [1, 3, .nan], ys: [Float] = [2, 6, 0]
        let v = xs.withUnsafeBufferPointer { x in ys.withUnsafeBufferPointer { y in Viewport.fitting(xs: x, ys: y) } }
        XCTAssertEqual(v, Viewport(xMin: 1, xMax: 3, yMin: 2, yMax: 6))
        XCTAssertEqual(v.zoomed(by: 2, around: 2, 4), Viewport(xMin: 1.5, xMax: 2.5, yMin: 3, yMax: 5))
        XCTAssertEqual(v.panned(dx: 0.5, dy: -0.25), Viewport(xMin: 2, xMax: 4, yMin: 1, yMax: 5))
    }

    /// Rasterising a million points; the ≤30 ms frame budget applies to release builds, so this
    /// only reports the time (debug builds are several times slower).
    func testMillionPointRasterTime() {
        let n = 1_000_000
        // A cheap deterministic spread over [-1, 1)² (no RNG: keeps the debug test fast).
        let xs = (0..<n).map { Float($0 % 1000) / 500 - 1 }
        let ys = (0..<n).map { Float(($0 &* 7919) % 997) / 498.5 - 1 }
        let cls = (0..<n).map { UInt8($0 % 10) }
        let palette = Gradient.viridis.palette(count: 10)
        var canvas = BrailleCanvas(width: 200, height: 60, viewport: Viewport(xMin: -1, xMax: 1, yMin: -1, yMax: 1))
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            canvas.plot(xs: xs, ys: ys, colorIndices: cls, palette: palette)
        }
        print("BrailleCanvas: 1M points rasterised in \(elapsed)")
        XCTAssertEqual(canvas.masks.filter { $0 == 0 }.count, 0)
    }
}
