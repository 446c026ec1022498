import GlassBoxCore
import GlassBoxTUI
import GlassBoxTestSupport
import XCTest
@testable import GlassBoxExplorer

/// The work each command asks for, as values (`TestStore`), and who runs it: the effects
/// start computations, rendering never does.
final class EffectTests: XCTestCase {
    var ctx: ExplorerContext {
        var layout = FrameLayout()
        layout.viewport = Viewport(xMin: 0, xMax: 4, yMin: 0, yMax: 4)
        return context(xs: [0, 1, 2, 3, 4, 1], ys: [0, 1, 2, 3, 4, 3], labels: ["a", "b", "a", "b", "a", "b"], layout: layout)
    }

    func testColoringByAFeatureAsksForItsColumn() {
        let store = TestStore(ExplorerState(hasLabels: true), ctx)
        store.send(.cycleColorMode, effects: [.requestContributionColumn(0)]) {
            $0.colorMode = .contribution
            $0.colorFeature = 0
        }
        store.send(.cycleColorMode) { $0.colorMode = .topFeature }
        store.send(.cycleColorMode, effects: [.requestValueColumn(0)]) { $0.colorMode = .value }
        store.send(.cycleColorMode) { $0.colorMode = .group }
    }

    func testPickingAFeatureAsksForTheColumnOfTheColorMode() {
        let store = TestStore(ExplorerState(hasLabels: true), ctx)
        store.press(.char("/")) { $0.input = .search(TextInput()) }
        store.press(.char("l")) { $0.input = .search(TextInput("l")) }
        store.press(.char("y")) { $0.input = .search(TextInput("ly")) }
        store.press(.enter, effects: [.requestContributionColumn(4)]) {
            $0.input = .normal
            $0.colorFeature = 4
            $0.highlightedFeature = 4
            $0.colorMode = .contribution
            $0.message = StatusMessage("LYZ: coloring by its contribution")
        }
        // In value mode the same pick reads the feature's values instead.
        var valueMode = ExplorerState(hasLabels: true)
        valueMode.colorMode = .value
        let values = TestStore(valueMode, ctx)
        values.send(.startSearch) { $0.input = .search(TextInput()) }
        values.send(.insert("c")) { $0.input = .search(TextInput("c")) }
        values.send(.submit, effects: [.requestValueColumn(0)]) {
            $0.input = .normal
            $0.colorFeature = 0
            $0.highlightedFeature = 0
            $0.message = StatusMessage("CD74: coloring by its value")
        }
    }

    func testSelectingComputesAndClearingCancels() {
        let store = TestStore(ExplorerState(hasLabels: true), ctx)
        store.press(.char("s")) { $0.overlay = .groupPicker(ListState(selected: 0)) }
        store.press(.char("j")) { $0.overlay = .groupPicker(ListState(selected: 1)) }
        store.press(.enter, effects: [.computeSelection(.group(1))]) {
            $0.overlay = nil
            $0.selection = .group(1)
            $0.message = StatusMessage(
                "group selected: its top features are computed in the background · d: vs the rest · a: keep it · Esc clears")
        }
        store.press(.escape, effects: [.cancelSelection]) {
            $0.selection = nil
            $0.message = StatusMessage("selection cleared")
        }
        store.press(.char("b")) {
            $0.overlay = .drawBox(.centered(in: Viewport(xMin: 0, xMax: 4, yMin: 0, yMax: 4), axes: AxisPair(x: 0, y: 1)))
            $0.message = nil
        }
        guard case .drawBox(let box) = store.state.overlay else { return XCTFail("drawing a box") }
        store.press(.enter, effects: [.computeSelection(.box(box))]) {
            $0.overlay = nil
            $0.selection = .box(box)
            $0.message = StatusMessage(
                "box selected: its top features are computed in the background · d: vs the rest · a: keep it · Esc clears")
        }
    }

    func testNavigationAsksForNothing() {
        let store = TestStore(ExplorerState(hasLabels: true), ctx)
        store.send(.nextSample) { $0.sample = 1 }
        store.send(.nextInGroup) { $0.sample = 3 }
        store.send(.toggleMark) {
            $0.mark = 3
            $0.message = StatusMessage("marked row 3 as A: move to any sample B to see why it is there and not at A")
        }
        store.send(.zoomIn) {
            $0.zoom = 2
            $0.message = nil
        }
    }

    func testRenderingStartsNoComputationAndTheEffectDoes() throws {
        let session = try Fixtures.session(samples: 200, features: 12, pca: 4)
        let renderer = ExplorerRenderer(session: session, background: nil, theme: Theme())
        var state = ExplorerState(hasLabels: true)
        state.selection = .box(SelectionBox(xMin: -100, xMax: 100, yMin: -100, yMax: 100, axes: state.axes))
        func draw() -> [String] {
            let terminal = Terminal(backend: TestBackend(width: 120, height: 40))
            terminal.draw { frame in renderer.render(state, renderer.plan(state, screen: frame.area), into: &frame) }
            return (terminal.backend as TestBackend).lines()
        }
        var screen = draw()
        XCTAssertEqual(renderer.analysis.progress, -1, "no computation started by drawing")
        XCTAssertTrue(screen.containsText("mean over 0 of 200 selected"), screen.joined(separator: "\n"))
        XCTAssertTrue(screen.containsText("waiting for contributions"))

        EffectRunner(background: nil, analysis: renderer.analysis, explanations: renderer.explanations) { _ in }.run([
            .computeSelection(state.selection!)
        ])
        XCTAssertGreaterThanOrEqual(renderer.analysis.progress, 0)
        let deadline = Date(timeIntervalSinceNow: 30)
        while renderer.analysis.isComputing && Date() < deadline { usleep(1000) }
        screen = draw()
        XCTAssertTrue(screen.containsText("mean over all 200 selected"), screen.joined(separator: "\n"))
        EffectRunner(background: nil, analysis: renderer.analysis, explanations: renderer.explanations) { _ in }.run([.cancelSelection])
        XCTAssertEqual(renderer.analysis.progress, -1)
    }
}
