import GlassBoxCore
import GlassBoxTUI
import XCTest
@testable import GlassBoxExplorer

/// Navigation as a pure function of (state, command): no terminal involved.
final class ReducerTests: XCTestCase {
    // Five points on a cross: 0 centre, 1 right, 2 left, 3 up, 4 down; labels a b a b a.
    let xs: [Float] = [0, 1, -1, 0, 0]
    let ys: [Float] = [0, 0.1, -0.1, 1, -1]
    var ctx: ExplorerContext { context(xs: xs, ys: ys, ids: ["c0", "r1", "l2", "u3", "d4"], labels: ["a", "b", "a", "b", "a"]) }

    func testJAndKMoveInFileOrderAndStopAtTheEnds() {
        var s = ExplorerState(hasLabels: true)
        s = apply([.nextSample, .nextSample], from: s, ctx)
        XCTAssertEqual(s.sample, 2)
        s = apply([.previousSample, .previousSample, .previousSample], from: s, ctx)
        XCTAssertEqual(s.sample, 0)
        XCTAssertEqual(s.message?.text, "first sample (row 0)")
        s.sample = 4
        s = reduce(s, .nextSample, ctx).state
        XCTAssertEqual(s.sample, 4)
        XCTAssertEqual(s.message?.text, "last sample (row 4)")
        // The message lasts one command.
        XCTAssertNil(reduce(s, .previousSample, ctx).state.message)
    }

    func testChangingSampleResetsTheFeaturePage() {
        var s = ExplorerState(hasLabels: true)
        s.barOffset = 20
        XCTAssertEqual(reduce(s, .nextSample, ctx).state.barOffset, 0)
    }

    func testArrowsInTheEmbeddingMoveToTheNearestSampleThatWay() {
        let s = ExplorerState(hasLabels: true)
        XCTAssertEqual(reduce(s, .right, ctx).state.sample, 1)
        XCTAssertEqual(reduce(s, .left, ctx).state.sample, 2)
        XCTAssertEqual(reduce(s, .up, ctx).state.sample, 3)
        XCTAssertEqual(reduce(s, .down, ctx).state.sample, 4)
        var atRight = s
        atRight.sample = 1
        let stuck = reduce(atRight, .right, ctx).state
        XCTAssertEqual(stuck.sample, 1)
        XCTAssertEqual(stuck.message?.text, "no sample further right")
    }

    func testArrowsInTheSamplePanelStepSamplesAndPages() {
        var g = FrameLayout()
        g.bars = Rect(x: 0, y: 0, width: 30, height: 2)
        let c = context(xs: xs, ys: ys, layout: g)
        var s = ExplorerState(hasLabels: false)
        s.focus = .sample
        XCTAssertEqual(reduce(s, .down, c).state.sample, 1)
        s.sample = 3
        XCTAssertEqual(reduce(s, .up, c).state.sample, 2)
        // Five features, two per page: offsets 0, 2, 3 (the last page is full), and back.
        s = reduce(s, .right, c).state
        XCTAssertEqual(s.barOffset, 2)
        s = apply([.right, .right], from: s, c)
        XCTAssertEqual(s.barOffset, 3)
        s = reduce(s, .left, c).state
        XCTAssertEqual(s.barOffset, 1)
        XCTAssertEqual(apply([.lastPage], from: s, c).barOffset, 3)
        XCTAssertEqual(apply([.firstPage], from: s, c).barOffset, 0)
        XCTAssertEqual(apply([.pageUp, .pageUp], from: s, c).barOffset, 0)
    }

    func testNAndShiftNVisitTheSameGroupAndWrap() {
        var s = ExplorerState(hasLabels: true)  // sample 0, group a = {0, 2, 4}
        s = reduce(s, .nextInGroup, ctx).state
        XCTAssertEqual(s.sample, 2)
        s = reduce(s, .nextInGroup, ctx).state
        XCTAssertEqual(s.sample, 4)
        s = reduce(s, .nextInGroup, ctx).state
        XCTAssertEqual(s.sample, 0)
        XCTAssertEqual(s.message?.text, "wrapped to the first a")
        s = reduce(s, .previousInGroup, ctx).state
        XCTAssertEqual(s.sample, 4)
        s.sample = 1  // group b = {1, 3}
        XCTAssertEqual(reduce(s, .previousInGroup, ctx).state.sample, 3)
    }

    func testNWithoutLabelsExplains() {
        let c = context(xs: xs, ys: ys)
        let s = reduce(ExplorerState(hasLabels: false), .nextInGroup, c).state
        XCTAssertEqual(s.sample, 0)
        XCTAssertEqual(s.message?.text, "no group labels: pass --label-column")
    }

    func testGotoByRowNumberIdAndPrefix() {
        let s = ExplorerState(hasLabels: true)
        func go(_ text: String) -> ExplorerState {
            apply([.startGoto] + text.map { Command.insert($0) } + [.submit], from: s, ctx)
        }
        XCTAssertEqual(go("3").sample, 3, "rows are 0-based, as --rows and pandas count them")
        XCTAssertEqual(go("3").input, .normal)
        XCTAssertEqual(go("d4").sample, 4)
        XCTAssertEqual(go("U").sample, 3, "an id prefix, ignoring case")
        let missing = go("zz")
        XCTAssertEqual(missing.sample, 0)
        XCTAssertEqual(missing.input, .goto(TextInput("zz")), "stays in the prompt to fix the text")
        XCTAssertEqual(missing.message, StatusMessage("no sample id holds 'zz' and no row has that number (rows 0–4)", isError: true))
        XCTAssertEqual(go("99").input, .goto(TextInput("99")))
    }

    func testAnExactIdWinsOverARowNumber() {
        let c = context(xs: xs, ys: ys, ids: ["10", "3", "7", "1", "2"])
        let s = apply([.startGoto, .insert("3"), .submit], from: ExplorerState(hasLabels: false), c)
        XCTAssertEqual(s.sample, 1)
    }

    func testTextEditing() {
        var s = apply([.startSearch, .insert("c"), .insert("d"), .insert("x"), .deleteBackward], from: ExplorerState(hasLabels: true), ctx)
        XCTAssertEqual(s.input, .search(TextInput("cd")))
        s = reduce(s, .clearInput, ctx).state
        XCTAssertEqual(s.input, .search(TextInput("")))
        s = reduce(s, .back, ctx).state
        XCTAssertEqual(s.input, .normal)
    }

    func testSearchPicksAFeatureForColoringAndHighlight() {
        // "cd7" matches CD7 (exact) first, then CD74 and CD79A.
        XCTAssertEqual(ctx.search.matches("cd7"), [1, 0, 2])
        var s = apply(
            [.startSearch, .insert("c"), .insert("d"), .insert("7"), .moveSelection(1)], from: ExplorerState(hasLabels: true), ctx)
        XCTAssertEqual(s.input, .search(TextInput("cd7", selection: 1)))
        s = reduce(s, .moveSelection(10), ctx).state
        XCTAssertEqual(s.input, .search(TextInput("cd7", selection: 2)), "clamped to the matches")
        s = reduce(s, .moveSelection(-1), ctx).state
        s.space = .components
        s = reduce(s, .submit, ctx).state
        XCTAssertEqual(s.input, .normal)
        XCTAssertEqual(s.colorFeature, 0)
        XCTAssertEqual(s.highlightedFeature, 0)
        XCTAssertEqual(s.colorMode, .contribution, "group coloring switches to the feature's contribution")
        XCTAssertEqual(s.space, .features, "the highlight is in feature space")
        XCTAssertEqual(s.message?.text, "CD74: coloring by its contribution")
    }

    func testSearchKeepsAFeatureColorMode() {
        var s = ExplorerState(hasLabels: true)
        s.colorMode = .value
        s = apply([.startSearch, .insert("l"), .insert("y"), .submit], from: s, ctx)
        XCTAssertEqual(s.colorMode, .value)
        XCTAssertEqual(s.colorFeature, 4)
    }

    func testSearchWithoutMatchesStaysOpen() {
        let s = apply([.startSearch, .insert("q"), .submit], from: ExplorerState(hasLabels: true), ctx)
        XCTAssertEqual(s.input, .search(TextInput("q")))
        XCTAssertEqual(s.message?.isError, true)
    }

    func testEscBacksOutOneStepAtATime() {
        var s = ExplorerState(hasLabels: true)
        s.highlightedFeature = 2
        s.help = 0
        s.input = .goto(TextInput("1"))
        s = reduce(s, .back, ctx).state
        XCTAssertEqual(s.input, .normal)
        XCTAssertNotNil(s.help)
        s = reduce(s, .back, ctx).state
        XCTAssertNil(s.help)
        XCTAssertEqual(s.highlightedFeature, 2)
        s = reduce(s, .back, ctx).state
        XCTAssertNil(s.highlightedFeature)
        s = reduce(s, .back, ctx).state
        XCTAssertEqual(s.message?.text, "press q to quit")
        XCTAssertFalse(s.shouldQuit)
    }

    func testColorModesCycleAndSkipGroupsWithoutLabels() {
        var s = ExplorerState(hasLabels: true)
        XCTAssertEqual(s.colorMode, .group)
        var seen: [ColorMode] = []
        for _ in 0..<4 {
            s = reduce(s, .cycleColorMode, ctx).state
            seen.append(s.colorMode)
        }
        XCTAssertEqual(seen, [.contribution, .topFeature, .value, .group])
        XCTAssertEqual(s.colorFeature, 0, "feature modes start from the default feature")

        let unlabelled = context(xs: xs, ys: ys)
        var u = ExplorerState(hasLabels: false)
        XCTAssertEqual(u.colorMode, .topFeature)
        u = apply([.cycleColorMode, .cycleColorMode], from: u, unlabelled)
        XCTAssertEqual(u.colorMode, .contribution)
    }

    func testViewsCycleThroughEveryDimension() {
        let c = context(xs: xs, ys: ys, outputs: 3)
        var s = ExplorerState(hasLabels: false)
        var seen: [SampleView] = []
        for _ in 0..<5 {
            s = reduce(s, .cycleView, c).state
            seen.append(s.view)
        }
        XCTAssertEqual(seen, [.share, .dimension(0), .dimension(1), .dimension(2), .l2])
    }

    func testFeatureSpaceNeedsPCA() {
        let s = reduce(ExplorerState(hasLabels: true), .toggleSpace, ctx).state
        XCTAssertEqual(s.space, .features)
        XCTAssertEqual(s.message?.text, "features only: this model has no PCA step, and no --feature-sets were given")
        let pca = context(xs: xs, ys: ys, components: 50)
        XCTAssertEqual(reduce(ExplorerState(hasLabels: true), .toggleSpace, pca).state.space, .components)
    }

    func testAxesNeedThreeDimensionsAndNeverCoincide() {
        XCTAssertEqual(reduce(ExplorerState(hasLabels: true), .cycleXAxis, ctx).state.axes, AxisPair(x: 0, y: 1))
        let c = context(xs: xs, ys: ys, outputs: 3)
        var s = ExplorerState(hasLabels: true)
        s = reduce(s, .cycleXAxis, c).state
        XCTAssertEqual(s.axes, AxisPair(x: 2, y: 1), "skips the y axis")
        s = reduce(s, .cycleYAxis, c).state
        XCTAssertEqual(s.axes, AxisPair(x: 2, y: 0))
    }

    func testZoomIsBounded() {
        var s = apply([.zoomOut], from: ExplorerState(hasLabels: true), ctx)
        XCTAssertEqual(s.zoom, 1)
        s = apply([.zoomIn, .zoomIn], from: s, ctx)
        XCTAssertEqual(s.zoom, 4)
        XCTAssertEqual(reduce(s, .resetZoom, ctx).state.zoom, 1)
    }

    func testTabCyclesFocusAndHelpToggles() {
        var s = ExplorerState(hasLabels: true)
        s = reduce(s, .focusNext, ctx).state
        XCTAssertEqual(s.focus, .sample)
        s = reduce(s, .focusNext, ctx).state
        XCTAssertEqual(s.focus, .embedding)
        XCTAssertEqual(reduce(s, .focusPrevious, ctx).state.focus, .sample)
        s = reduce(s, .toggleHelp, ctx).state
        XCTAssertEqual(s.help, 0)
        XCTAssertNil(reduce(s, .toggleHelp, ctx).state.help)
        XCTAssertTrue(reduce(s, .quit, ctx).state.shouldQuit)
    }

    func testHelpScrollsWithinItsContent() {
        var g = FrameLayout()
        g.helpRows = 10
        g.helpContentRows = 14
        let c = context(xs: xs, ys: ys, layout: g)
        var s = reduce(ExplorerState(hasLabels: true), .toggleHelp, c).state
        s = reduce(s, .scrollHelp(3), c).state
        XCTAssertEqual(s.help, 3)
        s = reduce(s, .scrollHelp(30), c).state
        XCTAssertEqual(s.help, 4)
        XCTAssertEqual(reduce(s, .scrollHelp(-30), c).state.help, 0)
    }

    func testClickingTheScatterFocusesTheNearestSample() {
        var g = FrameLayout()
        // A 10×5 canvas at (1, 1) showing x in [-1, 1], y in [-1, 1].
        g.canvas = Rect(x: 1, y: 1, width: 10, height: 5)
        g.viewport = Viewport(xMin: -1, xMax: 1, yMin: -1, yMax: 1)
        g.embeddingPanel = Rect(x: 0, y: 0, width: 12, height: 7)
        g.samplePanel = Rect(x: 12, y: 0, width: 20, height: 7)
        g.bars = Rect(x: 13, y: 3, width: 18, height: 3)
        g.barFeatures = [4, 2, 0]
        let c = context(xs: xs, ys: ys, layout: g)
        var s = ExplorerState(hasLabels: false)
        s.focus = .sample
        s = reduce(s, .click(x: 10, y: 3), c).state  // right edge, middle row
        XCTAssertEqual(s.sample, 1)
        XCTAssertEqual(s.focus, .embedding)
        XCTAssertEqual(reduce(s, .click(x: 5, y: 1), c).state.sample, 3)  // top middle
        // A bar row highlights its feature and focuses the sample panel.
        let bar = reduce(s, .click(x: 15, y: 4), c).state
        XCTAssertEqual(bar.highlightedFeature, 2)
        XCTAssertEqual(bar.focus, .sample)
        // Wheel over the scatter zooms.
        XCTAssertEqual(reduce(s, .scroll(x: 3, y: 3, delta: -1), c).state.zoom, 2)
    }
}
