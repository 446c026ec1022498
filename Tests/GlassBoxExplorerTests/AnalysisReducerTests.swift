import GlassBoxCore
import GlassBoxTUI
import XCTest
@testable import GlassBoxExplorer

/// The analysis keys through the key map and the reducer, without a terminal.
final class AnalysisReducerTests: XCTestCase {
    var layout: FrameLayout {
        var g = FrameLayout()
        g.viewport = Viewport(xMin: 0, xMax: 4, yMin: 0, yMax: 4)
        g.canvas = Rect(x: 10, y: 5, width: 40, height: 20)
        return g
    }
    var ctx: ExplorerContext {
        context(
            xs: [0, 1, 2, 3, 4, 1, 2, 3], ys: [0, 1, 2, 3, 4, 3, 2, 1], labels: ["a", "b", "a", "b", "a", "b", "a", "b"],
            layout: layout, listedRows: [7, 2])
    }

    func keys(_ keys: [Key], from state: ExplorerState) -> ExplorerState {
        keys.reduce(state) { s, k in
            guard let c = InputRouter.command(for: .key(k), state: s) else { return s }
            return reduce(s, c, ctx).state
        }
    }

    func type(_ text: String) -> [Key] { text.map { .char($0) } }

    func testPickingAGroupSelectsItAndEscClearsIt() {
        var s = keys([.char("s")], from: ExplorerState(hasLabels: true))
        XCTAssertEqual(s.overlay, .groupPicker(ListState(selected: 0)))
        s = keys([.char("j"), .enter], from: s)
        XCTAssertNil(s.overlay)
        XCTAssertEqual(s.selection, .group(1))
        s = keys([.char("d")], from: s)
        XCTAssertEqual(s.versus, .rest)
        s = keys([.escape], from: s)
        XCTAssertNil(s.selection)
        XCTAssertNil(s.versus)
    }

    /// Resizing follows the keys' directions: l wider and h narrower (the right edge), j taller
    /// and k shorter (the bottom edge) — j once made the box shorter.
    func testDrawingABoxMovesResizesAndAccepts() {
        var s = keys([.char("b")], from: ExplorerState(hasLabels: true))
        guard case .drawBox(let start) = s.overlay else { return XCTFail("no box") }
        XCTAssertEqual(start.xMin, 1.5, accuracy: 1e-12)
        XCTAssertEqual(start.xMax, 2.5, accuracy: 1e-12)
        s = keys([.right, .right, .up, .char("l"), .char("j")], from: s)
        guard case .drawBox(let b) = s.overlay else { return XCTFail("no box") }
        XCTAssertEqual(b.xMin, 1.5 + 0.2, accuracy: 1e-12, "the left edge stays")
        XCTAssertEqual(b.xMax, 2.5 + 0.2 + 0.1, accuracy: 1e-12, "l: wider to the right")
        XCTAssertEqual(b.yMin, 1.5 + 0.1 - 0.1, accuracy: 1e-12, "j: taller, the bottom edge down")
        XCTAssertEqual(b.yMax, 2.5 + 0.1, accuracy: 1e-12, "the top edge stays")
        XCTAssertEqual(s.sample, 0, "arrows move the box, not the focus")
        let shrunk = keys([.char("k"), .char("k"), .char("h")], from: s)
        guard case .drawBox(let c) = shrunk.overlay else { return XCTFail("no box") }
        XCTAssertEqual(c.yMin, b.yMin + 0.2, accuracy: 1e-12, "k: shorter, the bottom edge up")
        XCTAssertEqual(c.xMax, b.xMax - 0.1, accuracy: 1e-12, "h: narrower")
        s = keys([.enter], from: s)
        XCTAssertEqual(s.selection, .box(b))
        XCTAssertNil(s.overlay)
        // Esc while drawing cancels without selecting.
        let cancelled = keys([.escape, .char("b"), .escape], from: ExplorerState(hasLabels: true))
        XCTAssertNil(cancelled.selection)
        XCTAssertNil(cancelled.overlay)
    }

    func testKeyboardLassoPlacesCornersAndCloses() {
        var s = keys([.char("f")], from: ExplorerState(hasLabels: true))
        guard case .lasso(let draft) = s.overlay else { return XCTFail("no lasso") }
        XCTAssertEqual(draft.cursor, DataPoint(x: 2, y: 2), "the cursor starts in the middle")
        s = keys([.char(" "), .right, .right, .char(" "), .up, .up, .char(" ")], from: s)
        XCTAssertTrue(s.message?.text.contains("Enter closes") ?? false)
        s = keys([.backspace, .up, .char(" ")], from: s)
        guard case .lasso(let placed) = s.overlay else { return XCTFail("no lasso") }
        XCTAssertEqual(placed.vertices.count, 3, "the third corner replaced after Backspace")
        for (p, q) in zip(placed.vertices, [DataPoint(x: 2, y: 2), DataPoint(x: 2.2, y: 2), DataPoint(x: 2.2, y: 2.3)]) {
            XCTAssertEqual(p.x, q.x, accuracy: 1e-9)
            XCTAssertEqual(p.y, q.y, accuracy: 1e-9)
        }
        let (selected, effects) = reduce(s, .submit, ctx)
        let lasso = SelectionLasso(vertices: placed.vertices, axes: AxisPair(x: 0, y: 1))
        XCTAssertEqual(selected.selection, .lasso(lasso))
        XCTAssertEqual(effects, [.computeSelection(.lasso(lasso))])
        // Two corners don't close.
        let short = keys([.char("f"), .char(" "), .right, .char(" "), .enter], from: ExplorerState(hasLabels: true))
        XCTAssertNil(short.selection)
        XCTAssertTrue(short.message?.isError ?? false)
    }

    func testMouseDragDrawsALassoAndReleaseSelects() {
        var s = ExplorerState(hasLabels: true)
        s = reduce(s, .click(x: 20, y: 10), ctx).state
        XCTAssertNotNil(s.pointer, "a press on the scatter")
        for (x, y) in [(30, 10), (30, 20), (20, 20)] { s = reduce(s, .drag(x: x, y: y), ctx).state }
        guard case .lasso(let draft) = s.overlay else { return XCTFail("no lasso") }
        XCTAssertEqual(draft.vertices.count, 4)
        XCTAssertNil(draft.cursor)
        XCTAssertEqual(KeyMode(s), .standard)
        let (done, effects) = reduce(s, .release(x: 20, y: 20), ctx)
        guard case .lasso(let lasso) = done.selection else { return XCTFail("no lasso selection") }
        XCTAssertEqual(lasso.vertices, draft.vertices)
        XCTAssertEqual(effects, [.computeSelection(.lasso(lasso))])
        XCTAssertNil(done.overlay)
        XCTAssertNil(done.pointer)
        // A click without a drag just focuses; its release changes nothing else.
        let clicked = reduce(ExplorerState(hasLabels: true), .click(x: 20, y: 10), ctx).state
        let released = reduce(clicked, .release(x: 20, y: 10), ctx).state
        XCTAssertNil(released.selection)
        XCTAssertEqual(released.sample, clicked.sample)
        // Mouse reports route to these commands.
        XCTAssertEqual(InputRouter.command(for: .mouse(MouseEvent(x: 3, y: 4, button: .left, kind: .drag)), state: s), .drag(x: 3, y: 4))
        XCTAssertEqual(
            InputRouter.command(for: .mouse(MouseEvent(x: 3, y: 4, button: .left, kind: .release)), state: s), .release(x: 3, y: 4))
    }

    func testKeptSelectionsAreNamedListedRecalledComparedAndForgotten() {
        var s = keys([.char("s"), .enter], from: ExplorerState(hasLabels: true))
        s = keys([.char("a")], from: s)
        XCTAssertEqual(s.input, .name(TextInput("a")), "the group's label is the default name")
        s = keys([.enter], from: s)
        XCTAssertEqual(s.kept, [KeptSelection(name: "a", selection: .group(0))])
        XCTAssertEqual(keys([.char("a")], from: s).message?.text.contains("already kept as 'a'"), true)
        // A box, kept under a typed name; names holding the separator are refused.
        s = keys([.char("b"), .enter, .char("a"), .ctrl("u")] + type("my;box") + [.enter], from: s)
        XCTAssertTrue(s.message?.isError ?? false)
        s = keys([.backspace, .backspace, .backspace, .backspace] + type("box") + [.enter], from: s)
        XCTAssertEqual(s.kept.map(\.name), ["a", "mybox"])
        // The list: recall the first, then set it against the second.
        s = keys([.char("A")], from: s)
        XCTAssertEqual(s.overlay, .kept(ListState(selected: 1)), "the shown selection is highlighted")
        s = keys([.char("k"), .enter], from: s)
        XCTAssertEqual(s.selection, .group(0))
        s = keys([.char("A"), .char("j")], from: s)
        let (compared, effects) = reduce(s, .compareKept, ctx)
        XCTAssertEqual(compared.versus, .kept(1))
        XCTAssertEqual(effects, [.computeSelection(.group(0)), .computeSelection(s.kept[1].selection)])
        // Forgetting the compared one drops the comparison.
        var forgot = keys([.char("A"), .char("j"), .char("x")], from: compared)
        XCTAssertEqual(forgot.kept.map(\.name), ["a"])
        XCTAssertNil(forgot.versus)
        forgot = keys([.escape], from: forgot)
        XCTAssertNil(forgot.overlay)
    }

    func testWriteSavesWhatIsShown() {
        let base = ExplorerState(hasLabels: true)
        XCTAssertEqual(reduce(base, .write, ctx).effects, [.save(.sample(row: 0, space: .features))])
        var s = keys([.char("s"), .enter], from: base)
        XCTAssertEqual(reduce(s, .write, ctx).effects, [.save(.selection(.group(0), versus: nil, kept: [], view: .l2))])
        s = keys([.char("m"), .char("j")], from: s)
        XCTAssertEqual(reduce(s, .write, ctx).effects, [.save(.comparison(a: 0, b: 1, space: .features, view: .l2))])
        XCTAssertEqual(reduce(keys([.char("r")], from: base), .write, ctx).effects, [.save(.verification)])
        XCTAssertEqual(reduce(keys([.char("o")], from: base), .write, ctx).effects, [.save(.groups())])
        let kept = keys([.char("s"), .enter, .char("a"), .enter, .char("A")], from: base)
        XCTAssertEqual(reduce(kept, .write, ctx).effects, [.save(.annotations(kept.kept))])
    }

    func testCopyAsksForTheIdOrTheSelectionsIds() {
        let base = ExplorerState(hasLabels: true)
        XCTAssertEqual(InputRouter.command(for: .key(.char("Y")), state: base), .copyId)
        XCTAssertEqual(reduce(base, .copyId, ctx).effects, [.copy(.id(row: 0))])
        let none = reduce(base, .copySelectionIds, ctx)
        XCTAssertEqual(none.effects, [])
        XCTAssertTrue(none.state.message?.text.contains("no selection") ?? false)
        let s = keys([.char("s"), .enter], from: base)
        XCTAssertEqual(reduce(s, .copySelectionIds, ctx).effects, [.copy(.ids(.group(0)))])
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

    func testReportListJumpsToAListedSample() {
        var s = keys([.char("r")], from: ExplorerState(hasLabels: true))
        XCTAssertEqual(s.overlay, .report(ListState(selected: 0)))
        s = keys([.down, .down, .enter], from: s)
        XCTAssertNil(s.overlay)
        XCTAssertEqual(s.sample, 2, "the second listed (the list clamps at its end)")
        s = keys([.char("r"), .char("r")], from: s)
        XCTAssertNil(s.overlay, "r closes it again")
    }

    func testGroupsOverviewSelectsAGroupAndHelpListsTheNewKeys() {
        let s = keys([.char("o"), .char("j"), .enter], from: ExplorerState(hasLabels: true))
        XCTAssertEqual(s.selection, .group(1))
        let help = ExplorerKeyMap.standard.helpTable(glyphs: .unicode, keyStyle: Style(), sectionStyle: Style())
        let text = help.rows.map { $0.cells.map(\.plainText).joined(separator: " ") }.joined(separator: "\n")
        for needle in [
            "Analysis", "select a group", "select a box", "lasso", "keep the selection", "annotations.csv", "mark as A",
            "verification report", "groups overview", "vs the rest", "waterfall", "write what is shown", "clipboard",
            "highlight the next group", "find a sample",
        ] {
            XCTAssertTrue(text.contains(needle), needle)
        }
        XCTAssertEqual(ExplorerKeyMap.standard.duplicateKeys, [])
        for mode in [ExplorerKeyMap.box, ExplorerKeyMap.lasso, ExplorerKeyMap.kept, ExplorerKeyMap.goto, ExplorerKeyMap.name] {
            XCTAssertEqual(mode.duplicateKeys, [])
        }
    }

    func testWithoutLabelsGroupKeysExplain() {
        let plain = context(xs: [0, 1], ys: [0, 1], layout: layout)
        let s = reduce(ExplorerState(hasLabels: false), .startGroupSelection, plain).state
        XCTAssertNil(s.overlay)
        XCTAssertTrue(s.message?.text.contains("no group labels") ?? false)
    }
}
