import GlassBoxCore
import GlassBoxTUI
import XCTest
@testable import GlassBoxExplorer

/// Keys to commands: one key map, modes decide who gets the key.
final class InputTests: XCTestCase {
    let keymap = ExplorerKeyMap.standard

    func testNoKeyIsBoundTwice() {
        XCTAssertEqual(keymap.duplicateKeys, [])
    }

    func testTheIssuesKeysAreBound() {
        let expected: [(Key, Command)] = [
            (.char("j"), .nextSample), (.char("k"), .previousSample), (.down, .down), (.up, .up),
            (.char("h"), .left), (.char("l"), .right), (.left, .left), (.right, .right),
            (.char("n"), .nextInGroup), (.char("N"), .previousInGroup), (.char("g"), .startGoto),
            (.char("/"), .startSearch), (.char("c"), .cycleColorMode), (.char("v"), .cycleView),
            (.char("p"), .toggleSpace), (.tab, .focusNext), (.char("?"), .toggleHelp), (.escape, .back),
            (.char("q"), .quit), (.ctrl("c"), .quit),
        ]
        for (key, command) in expected {
            XCTAssertEqual(keymap.command(for: key), command, "\(key)")
        }
    }

    func testHelpIsGeneratedFromTheKeyMap() {
        let rows = keymap.helpRows()
        XCTAssertEqual(rows.count, keymap.bindings.count)
        XCTAssertEqual(Set(rows.map(\.section)), ["Samples", "Embedding", "Contributions", "Analysis", "Take out", "General"])
        XCTAssertTrue(rows.contains { $0.keys == "q, Ctrl-C" && $0.help == "quit" })
    }

    /// Every hint names commands its mode's table binds, so none is silently left out.
    func testEveryHintIsBoundInItsMode() {
        func check(_ hints: [KeyHint<Command>], _ map: KeyMap<Command>, _ what: String) {
            for hint in hints { XCTAssertNotNil(map.keyText(of: hint), "\(what): \(hint.label)") }
        }
        var s = ExplorerState(hasLabels: true)
        s.mark = 1
        s.selection = .group(0)
        for space in FeatureSpace.allCases {
            s.space = space
            for focus in Panel.allCases {
                s.focus = focus
                check(KeyMode.standard.statusHints(s, hasSpaces: true).hints, keymap, "\(focus) \(space)")
            }
        }
        s.space = .features
        for mode: KeyMode in [.help, .box, .lasso, .groupPicker, .groupsOverview, .report, .kept, .members, .search, .goto, .name] {
            check(mode.statusHints(s, hasSpaces: true).hints + mode.footer, mode.keyMap, "\(mode)")
        }
        check(KeyMode.loadingFooter, ExplorerKeyMap.loading, "loading")
        let theme = Theme()
        XCTAssertEqual(
            KeyHints.text(KeyMode.search.statusHints(s, hasSpaces: true).hints, in: ExplorerKeyMap.search, theme: theme),
            "↑↓ choose · Enter color by it · Esc cancel")
        XCTAssertEqual(KeyMode.help.footerText(theme), "Esc or ? closes · j/k scroll")
    }

    func testEachModeHasItsTable() {
        var s = ExplorerState(hasLabels: true)
        s.overlay = .drawBox(SelectionBox(xMin: 0, xMax: 1, yMin: 0, yMax: 1, axes: s.axes))
        XCTAssertEqual(InputRouter.command(for: .key(.char("j")), state: s), .resizeBox(dx: 0, dy: 1), "j: the bottom edge down")
        XCTAssertEqual(InputRouter.command(for: .key(.char("k")), state: s), .resizeBox(dx: 0, dy: -1))
        XCTAssertEqual(InputRouter.command(for: .key(.left), state: s), .left)
        XCTAssertNil(InputRouter.command(for: .key(.char("c")), state: s), "other keys wait until the box is done")
        s.overlay = .report(ListState())
        XCTAssertEqual(InputRouter.command(for: .key(.char("j")), state: s), .moveSelection(1))
        XCTAssertEqual(InputRouter.command(for: .key(.char("r")), state: s), .toggleReport)
        XCTAssertNil(InputRouter.command(for: .key(.char("o")), state: s))
        s.overlay = .groups(ListState())
        XCTAssertEqual(InputRouter.command(for: .key(.char("o")), state: s), .toggleGroupsOverview)
        XCTAssertEqual(InputRouter.command(for: .key(.backTab), state: s), .moveSelection(-1))
        XCTAssertEqual(InputRouter.command(for: .key(.char("?")), state: s), .toggleHelp)
        s.overlay = .lasso(LassoDraft(cursor: DataPoint(x: 0, y: 0), axes: s.axes))
        XCTAssertEqual(InputRouter.command(for: .key(.char(" ")), state: s), .placeVertex)
        XCTAssertEqual(InputRouter.command(for: .key(.backspace), state: s), .deleteBackward)
        s.overlay = .kept(ListState())
        XCTAssertEqual(InputRouter.command(for: .key(.char("d")), state: s), .compareKept)
        XCTAssertEqual(InputRouter.command(for: .key(.char("w")), state: s), .write)
        let maps = [
            ExplorerKeyMap.help, ExplorerKeyMap.box, ExplorerKeyMap.lasso, ExplorerKeyMap.groupPicker, ExplorerKeyMap.groupsOverview,
            ExplorerKeyMap.report, ExplorerKeyMap.kept, ExplorerKeyMap.search, ExplorerKeyMap.goto, ExplorerKeyMap.name,
            ExplorerKeyMap.loading,
        ]
        for map in maps {
            XCTAssertEqual(map.duplicateKeys, [])
        }
    }

    func testTextFieldsTakePrintableKeys() {
        var s = ExplorerState(hasLabels: true)
        s.input = .search(TextInput("c"))
        XCTAssertEqual(InputRouter.command(for: .key(.char("q")), state: s), .insert("q"))
        XCTAssertEqual(InputRouter.command(for: .key(.char("j")), state: s), .insert("j"))
        XCTAssertEqual(InputRouter.command(for: .key(.down), state: s), .moveSelection(1))
        XCTAssertEqual(InputRouter.command(for: .key(.backspace), state: s), .deleteBackward)
        XCTAssertEqual(InputRouter.command(for: .key(.enter), state: s), .submit)
        XCTAssertEqual(InputRouter.command(for: .key(.escape), state: s), .back)
        XCTAssertEqual(InputRouter.command(for: .key(.ctrl("c")), state: s), .quit, "Ctrl-C always quits")
        s.input = .goto(TextInput())
        XCTAssertEqual(InputRouter.command(for: .key(.down), state: s), .moveSelection(1), "the finder's match list")
        s.input = .name(TextInput("box 1"))
        XCTAssertNil(InputRouter.command(for: .key(.down), state: s))
        XCTAssertEqual(InputRouter.command(for: .key(.char("j")), state: s), .insert("j"))
    }

    func testTheHelpOverlayScrollsOrCloses() {
        var s = ExplorerState(hasLabels: true)
        s.help = 0
        XCTAssertEqual(InputRouter.command(for: .key(.char("j")), state: s), .scrollHelp(1))
        XCTAssertEqual(InputRouter.command(for: .key(.pageDown), state: s), .scrollHelp(10))
        XCTAssertEqual(InputRouter.command(for: .key(.char("?")), state: s), .back)
        XCTAssertEqual(InputRouter.command(for: .key(.char("q")), state: s), .back, "q closes the overlay first")
    }

    func testMouse() {
        let s = ExplorerState(hasLabels: true)
        XCTAssertEqual(InputRouter.command(for: .mouse(MouseEvent(x: 3, y: 4, button: .left)), state: s), .click(x: 3, y: 4))
        XCTAssertEqual(
            InputRouter.command(for: .mouse(MouseEvent(x: 3, y: 4, button: .left, kind: .release)), state: s), .release(x: 3, y: 4))
        XCTAssertEqual(InputRouter.command(for: .mouse(MouseEvent(x: 5, y: 4, button: .left, kind: .drag)), state: s), .drag(x: 5, y: 4))
        XCTAssertNil(InputRouter.command(for: .mouse(MouseEvent(x: 5, y: 4, button: .right, kind: .drag)), state: s))
        XCTAssertEqual(
            InputRouter.command(for: .mouse(MouseEvent(x: 3, y: 4, button: .scrollDown)), state: s), .scroll(x: 3, y: 4, delta: 1))
        XCTAssertNil(InputRouter.command(for: .tick, state: s))
    }

    func testGroupIndexNeighbours() {
        let g = GroupIndex(labels: GroupLabels(column: "k", values: ["a", "b", "a", "a", "c"]))
        XCTAssertEqual(g.members, [[0, 2, 3], [1], [4]])
        XCTAssertEqual(g.neighbor(of: 2, forward: true)?.row, 3)
        XCTAssertEqual(g.neighbor(of: 3, forward: true)?.wrapped, true)
        XCTAssertEqual(g.neighbor(of: 0, forward: false)?.row, 3)
        XCTAssertNil(g.neighbor(of: 1, forward: true))
    }

    func testSampleSearchFindsIdsByAnyPartInOrderAndRows() {
        let search = SampleSearch(ids: ["AAAC-1", "AAAG-1", "5", "TTAG-2", "XAAAC"])
        XCTAssertEqual(search.matches("AAAG-1").rows, [1])
        XCTAssertEqual(search.matches("5").rows, [2], "an exact id wins; row 5 does not exist")
        XCTAssertEqual(search.matches("2").rows, [2, 3], "the id holding 2, then row 2 — after any exact id")
        XCTAssertEqual(search.matches("3").rows, [3], "row 3")
        XCTAssertEqual(search.matches("aaac").rows, [0, 4], "ids starting with it, then ids holding it")
        XCTAssertEqual(search.matches("aaac").count, 2)
        let fuzzy = search.matches("tg2")
        XCTAssertEqual(fuzzy.rows, [3], "letters in order")
        XCTAssertTrue(fuzzy.isFuzzy)
        XCTAssertEqual(search.matches("").count, 0)
        XCTAssertEqual(search.matches("zzz").rows, [])
        XCTAssertEqual(search.matches("a", limit: 2).rows.count, 2)
        XCTAssertEqual(search.matches("a", limit: 2).count, 4, "the count is every match")
        // Ids that are the rows (no id column): the id and the row are one match.
        let rowIds = SampleSearch(ids: (0..<12).map(String.init))
        XCTAssertEqual(rowIds.matches("1").rows, [1, 10, 11])
        XCTAssertEqual(rowIds.matches("1").count, 3)
        XCTAssertEqual(rowIds.matches("11").rows, [11])
    }

    func testFindingASampleMovesThroughMatchesAndGoes() {
        let ctx = context(xs: [0, 1, 2, 3], ys: [0, 1, 2, 3], ids: ["AAAC-1", "AAAG-1", "CCGT-1", "AAAC-2"])
        var s = apply([.startGoto, .insert("a"), .insert("a"), .insert("a"), .insert("c")], from: ExplorerState(hasLabels: false), ctx)
        s = reduce(s, .moveSelection(1), ctx).state
        XCTAssertEqual(s.input, .goto(TextInput("aaac", selection: 1)))
        s = reduce(s, .submit, ctx).state
        XCTAssertEqual(s.sample, 3)
        XCTAssertEqual(s.input, .normal)
        XCTAssertEqual(s.message?.text, "row 3: AAAC-2")
        let none = apply([.startGoto, .insert("q"), .submit], from: ExplorerState(hasLabels: false), ctx)
        XCTAssertTrue(none.message?.isError ?? false)
        XCTAssertEqual(none.input, .goto(TextInput("q")), "the field stays open to fix the text")
    }
}
