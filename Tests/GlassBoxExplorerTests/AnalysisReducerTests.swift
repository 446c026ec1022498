import GlassBoxCore
import GlassBoxTUI
import XCTest
@testable import GlassBoxExplorer

/// The analysis keys through the key map and the reducer, without a terminal.
final class AnalysisReducerTests: XCTestCase {
    var layout: FrameLayout {
        var g = FrameLayout()
        g.viewport = Viewport(xMin: 0, xMax: 4, yMin: 0, yMax: 4)
        return g
    }
    var ctx: ExplorerContext {
        context(xs: [0, 1, 2, 3, 4, 1, 2, 3], ys: [0, 1, 2, 3, 4, 3, 2, 1], labels: ["a", "b", "a", "b", "a", "b", "a", "b"],
                layout: layout, listedRows: [7, 2])
    }

    func keys(_ keys: [Key], from state: ExplorerState) -> ExplorerState {
        keys.reduce(state) { s, k in
            guard let c = InputRouter.command(for: .key(k), state: s) else { return s }
            return reduce(s, c, ctx).state
        }
    }

    func testPickingAGroupSelectsItAndEscClearsIt() {
        var s = keys([.char("s")], from: ExplorerState(hasLabels: true))
        XCTAssertEqual(s.overlay, .groupPicker(ListState(selected: 0)))
        s = keys([.char("j"), .enter], from: s)
        XCTAssertNil(s.overlay)
        XCTAssertEqual(s.selection, .group(1))
        s = keys([.char("d")], from: s)
        XCTAssertTrue(s.versusRest)
        s = keys([.escape], from: s)
        XCTAssertNil(s.selection)
        XCTAssertFalse(s.versusRest)
    }

    func testDrawingABoxMovesResizesAndAccepts() {
        var s = keys([.char("b")], from: ExplorerState(hasLabels: true))
        guard case .drawBox(let start) = s.overlay else { return XCTFail("no box") }
        XCTAssertEqual(start.xMin, 1.5, accuracy: 1e-12)
        XCTAssertEqual(start.xMax, 2.5, accuracy: 1e-12)
        s = keys([.right, .right, .up, .char("l"), .char("j")], from: s)
        guard case .drawBox(let b) = s.overlay else { return XCTFail("no box") }
        XCTAssertEqual(b.xMin, 1.5 + 0.2 - 0.1, accuracy: 1e-12)
        XCTAssertEqual(b.xMax, 2.5 + 0.2 + 0.1, accuracy: 1e-12)
        XCTAssertEqual(b.yMin, 1.5 + 0.1 + 0.1, accuracy: 1e-12)
        XCTAssertEqual(b.yMax, 2.5 + 0.1 - 0.1, accuracy: 1e-12)
        XCTAssertEqual(s.sample, 0, "arrows move the box, not the focus")
        s = keys([.enter], from: s)
        XCTAssertEqual(s.selection, .box(b))
        XCTAssertNil(s.overlay)
        // Esc while drawing cancels without selecting.
        let cancelled = keys([.escape, .char("b"), .escape], from: ExplorerState(hasLabels: true))
        XCTAssertNil(cancelled.selection)
        XCTAssertNil(cancelled.overlay)
    }

    func testMarkThenMoveComparesAndMOrEscClears() {
        var s = keys([.char("m")], from: ExplorerState(hasLabels: true))
        XCTAssertEqual(s.mark, 0)
        s = keys([.char("j"), .char("j")], from: s)
        XCTAssertEqual(s.sample, 2)
        XCTAssertEqual(s.mark, 0, "A stays while B moves")
        XCTAssertNil(keys([.char("m")], from: s).mark)
        // Esc clears the mark before the selection.
        s.selection = .group(0)
        s = keys([.escape], from: s)
        XCTAssertNil(s.mark)
        XCTAssertEqual(s.selection, .group(0))
    }

    func testReportListJumpsToTheWorstSample() {
        var s = keys([.char("r")], from: ExplorerState(hasLabels: true))
        XCTAssertEqual(s.overlay, .report(ListState(selected: 0)))
        s = keys([.down, .down, .enter], from: s)
        XCTAssertNil(s.overlay)
        XCTAssertEqual(s.sample, 2, "the second worst (the list clamps at its end)")
        s = keys([.char("r"), .char("r")], from: s)
        XCTAssertNil(s.overlay, "r closes it again")
    }

    func testGroupsOverviewSelectsAGroupAndHelpListsTheNewKeys() {
        let s = keys([.char("o"), .char("j"), .enter], from: ExplorerState(hasLabels: true))
        XCTAssertEqual(s.selection, .group(1))
        let help = ExplorerKeyMap.standard.helpTable(glyphs: .unicode, keyStyle: Style(), sectionStyle: Style())
        let text = help.rows.map { $0.cells.map(\.plainText).joined(separator: " ") }.joined(separator: "\n")
        for needle in ["Analysis", "select a group", "select a box", "mark as A", "verification report", "groups overview", "vs the rest"] {
            XCTAssertTrue(text.contains(needle), needle)
        }
    }

    func testWithoutLabelsGroupKeysExplain() {
        let plain = context(xs: [0, 1], ys: [0, 1], layout: layout)
        let s = reduce(ExplorerState(hasLabels: false), .startGroupSelection, plain).state
        XCTAssertNil(s.overlay)
        XCTAssertTrue(s.message?.text.contains("no group labels") ?? false)
    }
}
