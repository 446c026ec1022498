import GlassBoxCore
import GlassBoxTUI
import GlassBoxTestSupport
import XCTest
@testable import GlassBoxExplorer

/// Panels render into fixed-size buffers; the text is compared line by line.
final class PanelTests: XCTestCase {
    let theme = Theme(glyphs: .unicode, capability: .indexed256)

    /// 2 × 5 contributions: feature f contributes (a, b) to (z1, z2).
    let table = ContributionTable(
        values: [
            0.8, -0.1, 0.3, 0.02, -0.4,
            0.6, 0.2, -0.3, 0.01, 0.1,
        ], outputCount: 2)
    let names = ["CD74", "LYZ", "MS4A1", "NKG7", "GNLY"]
    let x: [Double] = [2.5, 0.75, -1.25, 0, 3]
    let mean: [Double] = [0.5, 0.25, -0.25, 0, 1]
    var header: SampleHeader {
        SampleHeader(
            id: "AAAC-1", row: 4, sampleCount: 700, label: "B cell", embedding: [0.62, 0.61],
            sums: [0.62, 0.61], reconstructionError: 2.5e-7)
    }

    /// The panel laid out for a 44-column area `height` rows tall.
    func panel(view: SampleView = .l2, offset: Int = 0, height: Int = 13, highlighted: Int? = nil, theme: Theme? = nil) -> SamplePanel {
        SamplePanel.build(
            header: header, table: table, ranking: table.ranking(view.contributionView), names: names,
            inputs: .features(x: x, mean: mean, theme: theme ?? self.theme), view: view, space: .features, spaceTitle: "features",
            offset: offset,
            highlighted: highlighted, axisNames: ["z1", "z2"], isFocused: true, theme: theme ?? self.theme,
            area: Rect(width: 44, height: height)
        ).panel
    }

    /// The value, x − μ (what J multiplies), x and μ in right-aligned columns under their
    /// titles, one number format; rows 0-based.
    func testSamplePanelShowsWhoTheSampleIsAndItsRankedContributions() {
        assertLines(
            render(panel(), width: 44, height: 13),
            [
                "┏ Sample ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
                "┃AAAC-1                      row 4 of 0–699┃",
                "┃label  B cell                             ┃",
                "┃z = Σ_f C  0.620  0.610                   ┃",
                "┃error  2.5e-07  |z − J·u|                 ┃",
                "┃Contributions        L2   x−μ     x      μ┃",
                "┃CD74  ██████████   1.00  2.00  2.50  0.500┃",
                "┃MS4A1 ████▎       0.424 -1.00 -1.25 -0.250┃",
                "┃GNLY  ████▏       0.412  2.00  3.00   1.00┃",
                "┃LYZ   ██▎         0.224 0.500 0.750  0.250┃",
                "┃NKG7  ▎          0.0224     0     0      0┃",
                "┃                                          ┃",
                "┗━━━━━━━━━━━━━━━━━━━━━━━ 1–5 of 5 features ┛",
            ])
    }

    /// A feature whose x is 0 can contribute: the column beside it is x − μ, which isn't.
    func testTheColumnBesideAContributionIsTheCentredInput() {
        let lines = render(panel(), width: 44, height: 13).lines()
        XCTAssertTrue(lines[5].contains("L2   x−μ"), "x − μ right after the value: \(lines[5])")
        let narrow = SamplePanel.build(
            header: header, table: table, ranking: table.ranking(.l2), names: names,
            inputs: .features(x: x, mean: mean, theme: theme), view: .l2, space: .features,
            spaceTitle: "features", offset: 0, highlighted: nil, axisNames: ["z1", "z2"], isFocused: true,
            theme: theme, area: Rect(width: 34, height: 13)
        ).panel
        let small = render(narrow, width: 34, height: 13).lines()
        XCTAssertTrue(small[5].contains("x−μ"), "x − μ stays when narrow: \(small[5])")
        XCTAssertFalse(small[5].hasSuffix("μ┃") && small[5].contains("x−μ     x      μ"), "μ goes first: \(small[5])")
    }

    func testSignedViewDrawsDivergingBars() {
        let text = render(panel(view: .dimension(0)), width: 44, height: 13).lines()
        XCTAssertTrue(text[5].contains("C z1"), text[5])
        XCTAssertTrue(text[6].contains("CD74") && text[6].contains("+0.800"), text[6])
        XCTAssertTrue(text[7].contains("GNLY") && text[7].contains("-0.400"), text[7])
        XCTAssertTrue(text[6].contains("│"), "an axis at zero")
    }

    func testPagingAndAPinnedHighlight() {
        // Page 2 (ranks 3–4) with CD74 (rank 1) highlighted: pinned under the bars, its
        // numbers in the same columns.
        let lines = render(panel(offset: 3, height: 10, highlighted: 0), width: 44, height: 10).lines()
        XCTAssertTrue(lines[6].hasPrefix("┃LYZ"), lines[6])
        XCTAssertTrue(lines[7].hasPrefix("┃NKG7"), lines[7])
        XCTAssertTrue(lines[8].hasPrefix("┃▸ #1 CD74"), lines[8])
        XCTAssertTrue(lines[8].hasSuffix("1.00  2.00  2.50┃"), lines[8])
        XCTAssertTrue(lines[6].hasSuffix("0.224 0.500 0.750┃"), "the same columns: \(lines[6])")
        XCTAssertTrue(lines[9].contains("4–5 of 5"))
    }

    func testShortPanelsDropHeaderLinesBeforeBars() {
        let lines = render(panel(height: 9), width: 44, height: 9).lines()
        XCTAssertTrue(lines[1].contains("AAAC-1"))
        XCTAssertTrue(lines.containsText("z = Σ_f C"))
        XCTAssertFalse(lines.containsText("error"))
    }

    func testASCIIGlyphs() {
        let ascii = Theme(glyphs: .ascii, capability: .none)
        let lines = render(panel(theme: ascii), width: 44, height: 13).lines()
        XCTAssertEqual(lines[0], "# Sample ==================================#")
        XCTAssertEqual(lines[3], "#z = sum_f C  0.620  0.610                 #")
        XCTAssertTrue(lines[5].contains("x-mu"), lines[5])
        XCTAssertTrue(lines[6].contains("CD74  ##########"), lines[6])
        XCTAssertTrue(lines.allSatisfy { $0.allSatisfy(\.isASCII) })
    }

    func testEmbeddingPanelDrawsPointsAxesFocusAndLegend() {
        let groups = GroupIndex(labels: GroupLabels(column: "kind", values: ["a", "b", "a", "b"]))
        let colors = ScatterColors.groups(groups, order: [0, 1, 2, 3], theme: theme)
        let panel = EmbeddingPanel(
            xs: [0, 10, 0, 10], ys: [0, 0, 10, 10], colors: colors,
            viewport: Viewport(xMin: 0, xMax: 10, yMin: 0, yMax: 10), axisNames: ("z1", "z2"),
            focus: (0, 0), title: "z1 × z2", isFocused: true, theme: theme)
        // Points at the corners drawn 2×2 dots big (few points), the focus marker over (0, 0).
        assertLines(
            render(panel, width: 40, height: 10),
            [
                "┏ Embedding z1 × z2 ━━━━━━━━━━━━━━━━━━━┓",
                "┃10.0 ⠛                               ⠘┃",
                "┃                                      ┃",
                "┃                                      ┃",
                "┃  z2                                  ┃",
                "┃                                      ┃",
                "┃   0 ◉                               ⢀┃",
                "┃     0              z1            10.0┃",
                "┃■ a  ■ b                              ┃",
                "┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛",
            ])
        let canvas = panel.parts(in: Rect(width: 40, height: 10)).canvas
        XCTAssertEqual(canvas, Rect(x: 6, y: 1, width: 33, height: 6))
    }

    func testWideEmbeddingPanelPutsTheLegendBeside() {
        let groups = GroupIndex(labels: GroupLabels(column: "kind", values: ["alpha", "beta"]))
        let panel = EmbeddingPanel(
            xs: [0, 1], ys: [0, 1], colors: .groups(groups, order: [0, 1], theme: theme),
            viewport: Viewport(xMin: 0, xMax: 1, yMin: 0, yMax: 1), axisNames: ("z1", "z2"),
            focus: nil, title: "", isFocused: false, theme: theme)
        let lines = render(panel, width: 70, height: 8).lines()
        XCTAssertTrue(lines[1].hasSuffix("kind                  │"), lines[1])
        XCTAssertTrue(lines[2].hasSuffix(" ■ alpha             1│"), lines[2])
        XCTAssertTrue(lines[3].hasSuffix(" ■ beta              1│"), lines[3])
    }

    func testStatusBarKeepsHelpAndQuitWhenHintsDontFit() {
        let bar = StatusBar(
            left: .hints(panel: "Embedding", [("j/k", "next"), ("c", "color"), ("/", "find"), ("?", "help"), ("q", "quit")]),
            progress: (label: "contributions", fraction: 0.5, detail: "5/10"), counts: "10 samples", theme: theme)
        let line = render(bar, width: 80, height: 1).lines()[0]
        XCTAssertEqual(line, " Embedding  j/k next ? help q quit contributions █████░░░░░ 50% 5/10 10 samples ")
        let wide = render(bar, width: 100, height: 1).lines()[0]
        XCTAssertTrue(wide.hasPrefix(" Embedding  j/k next c color / find ? help q quit"))
    }

    func testStatusBarPrompt() {
        let bar = StatusBar(
            left: .prompt(label: "go to", text: "12", hint: "Enter", isError: false), progress: nil, counts: "5", theme: theme)
        XCTAssertEqual(render(bar, width: 30, height: 1).lines()[0], " go to 12   Enter           5 ")
        XCTAssertEqual(bar.cursorColumn(in: Rect(width: 30, height: 1)), 9)
    }

    func testTooSmallScreenSaysWhatIsNeeded() {
        assertLines(
            render(TooSmallScreen(theme: theme), width: 44, height: 5),
            [
                "",
                "             Terminal too small",
                "              44×5, need 60×16",
                "  Enlarge the window, or press q to quit.",
                "",
            ])
    }

    func testLoadingScreenShowsStepsAndProgress() {
        let screen = LoadingScreen(
            steps: [
                .init("model", "765 features", .done), .init("data", "700 × 765", .done),
                .init("embedding", "350 of 700", .running), .init("index", "", .waiting),
            ],
            fraction: 0.5, elapsed: 0.2, theme: theme)
        let lines = render(screen, width: 60, height: 14).lines()
        XCTAssertTrue(lines.containsText("✓ model      765 features"))
        XCTAssertTrue(lines.containsText("◐ embedding  350 of 700"))
        XCTAssertTrue(lines.containsText("◌ index"))
        XCTAssertTrue(lines.containsText("50%"))
        XCTAssertTrue(lines.containsText("q quits"))
    }

    func testHelpOverlayListsEveryBinding() {
        let help = HelpOverlay(keymap: ExplorerKeyMap.standard, offset: 0, theme: theme)
        let lines = render(help, width: 120, height: 90).lines()
        for row in ExplorerKeyMap.standard.helpRows() {
            XCTAssertTrue(lines.containsText(row.help), row.help)
        }
        XCTAssertTrue(lines.containsText("Esc or ? closes"))
    }

    func testSearchOverlay() {
        let overlay = SearchOverlay(query: "cd7", matches: [1, 0], names: ["CD74", "CD7"], selection: 1, theme: theme)
        assertLines(
            render(overlay, width: 30, height: 4),
            [
                "┏ 2 matches ━━━━━━━━━━━━━━━━━┓",
                "┃  CD7                       ┃",
                "┃▶ CD74                      ┃",
                "┗━ Enter picks · Esc cancels ┛",
            ])
    }

    func testLayoutAdaptsToTheScreen() {
        let wide = ExplorerLayout(screen: Rect(width: 120, height: 40))
        XCTAssertEqual(wide.arrangement, .sideBySide)
        XCTAssertEqual(wide.sample.width, 48)
        XCTAssertEqual(wide.status, Rect(x: 0, y: 39, width: 120, height: 1))
        let tall = ExplorerLayout(screen: Rect(width: 70, height: 40))
        XCTAssertEqual(tall.arrangement, .stacked)
        XCTAssertEqual(tall.embedding.width, 70)
        XCTAssertTrue(ExplorerLayout(screen: Rect(width: 59, height: 30)).isTooSmall)
        XCTAssertFalse(ExplorerLayout(screen: Rect(width: 60, height: 16)).isTooSmall)
    }
}

/// The waterfall: its rows add up to the total exactly, on every page.
final class WaterfallTests: XCTestCase {
    let theme = Theme(glyphs: .unicode, capability: .indexed256)

    func testRowsAddUpToTheSumOnEveryPage() {
        var rng = SplitMix64(seed: 3)
        let values = (0..<50).map { _ in rng.uniform() }
        let ranking = TopK.indices(count: 50, k: 50) { abs(values[$0]) }
        let names = (0..<50).map { "gene\($0)" }
        let total = values.reduce(0, +)
        for offset in [0, 7, 40] {
            let built = WaterfallPanel.build(
                title: "Sample", header: [], heading: Line("Waterfall"), values: values, ranking: ranking,
                names: names, offset: offset, target: total + 1e-7, targetName: "z1", noun: "features",
                isFocused: true, theme: theme, area: Rect(width: 60, height: 20))
            let steps = built.panel.chart.steps
            XCTAssertEqual(steps.reduce(0) { $0 + $1.value }, built.panel.chart.total.value, accuracy: 1e-12)
            XCTAssertEqual(built.panel.chart.total.value, total, accuracy: 1e-12)
            XCTAssertEqual(built.shown, Array(ranking.dropFirst(offset).prefix(built.shown.count)))
            if offset > 0 { XCTAssertEqual(steps.first?.label, "top \(offset)") }
            if offset + built.shown.count < 50 { XCTAssertTrue(steps.last!.label.hasPrefix("rest (")) }
            let lines = render(built.panel, width: 60, height: 20).lines()
            XCTAssertTrue(lines.containsText("Σ = z1  error 1.0e-07"), lines.joined(separator: "\n"))
            XCTAssertTrue(lines.containsText("of 50 features"))
        }
    }

    func testBarsRunFromOneRunningTotalToTheNext() {
        let chart = Waterfall(
            steps: [.init("a", 2, valueText: "+2"), .init("b", -1, valueText: "-1")], total: .init("Σ", 1, valueText: "1"),
            titles: ["C"], labelWidth: 2)
        // 0 … 2 over ten cells: a from 0 to 2, b back from 2 to 1, the total from 0 to 1.
        assertLines(
            render(chart, width: 16, height: 3),
            [
                "a  ██████████ +2",
                "b  │    █████ -1",
                "Σ  █████       1",
            ])
    }
}
