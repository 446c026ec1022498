import GlassBoxTestSupport
import XCTest
@testable import GlassBoxTUI

final class WidgetTests: XCTestCase {
    // MARK: Block

    func testBlockWithTitle() {
        assertLines(
            render(Block(title: "Title"), width: 12, height: 3),
            [
                "╭Title─────╮",
                "│          │",
                "╰──────────╯",
            ])
    }

    func testFocusedBlockUsesHeavyBorderAndFocusStyle() {
        let b = render(Block(title: "A very long title", isFocused: true), width: 12, height: 3)
        assertLines(
            b,
            [
                "┏A very lo…┓",
                "┃          ┃",
                "┗━━━━━━━━━━┛",
            ])
        XCTAssertEqual(b[0, 1].style.fg, .cyan)
        XCTAssertTrue(b[1, 0].style.modifiers.contains(.bold))
    }

    func testBlockASCIIFallback() {
        assertLines(render(Block(title: "T", glyphs: .ascii), width: 5, height: 3), ["+T--+", "|   |", "+---+"])
        assertLines(render(Block(isFocused: true, glyphs: .ascii), width: 5, height: 3), ["#===#", "#   #", "#===#"])
    }

    func testBlockPartialBordersAndInner() {
        let block = Block(borders: [.top, .bottom])
        XCTAssertEqual(block.inner(Rect(width: 10, height: 5)), Rect(x: 0, y: 1, width: 10, height: 3))
        assertLines(render(Block(title: "x", borders: .top, bottomTitle: "? help"), width: 8, height: 2), ["x───────", ""])
        assertLines(render(Block(bottomTitle: "? help"), width: 10, height: 3), ["╭────────╮", "│        │", "╰──? help╯"])
    }

    // MARK: Paragraph

    func testParagraphTruncatesWithEllipsis() {
        assertLines(
            render(Paragraph("hello world, this is long\nshort", block: Block()), width: 14, height: 4),
            [
                "╭────────────╮",
                "│hello world…│",
                "│short       │",
                "╰────────────╯",
            ])
    }

    func testParagraphWrapsWordsAndScrolls() {
        let text = "hello world, this is long text"
        assertLines(render(Paragraph(text, wrap: true), width: 10, height: 4), ["hello", "world,", "this is", "long text"])
        assertLines(render(Paragraph(Text(text), wrap: true, scroll: 2), width: 10, height: 2), ["this is", "long text"])
        XCTAssertEqual(Paragraph.wrap(Line("abcdefghij"), width: 4).map(\.plainText), ["abcd", "efgh", "ij"])
    }

    func testParagraphAlignmentAndSpanStyles() {
        let line = Line([Span("ab", style: Style(fg: .red)), Span("cd")], alignment: .right)
        let b = render(Paragraph(Text([line, Line("mid", alignment: .center)])), width: 7, height: 2)
        assertLines(b, ["   abcd", "  mid"])
        XCTAssertEqual(b[3, 0].style.fg, .red)
        XCTAssertEqual(b[5, 0].style.fg, nil)
    }

    func testLineTruncationKeepsSpanStyles() {
        let line = Line([Span("abc", style: Style(fg: .red)), Span("defgh", style: Style(fg: .blue))])
        let t = line.truncated(to: 5)
        XCTAssertEqual(t.plainText, "abcd…")
        XCTAssertEqual(t.spans.map(\.style.fg), [.red, .blue, .blue])
    }

    // MARK: BarChart

    func testMagnitudeBarsUseEighths() {
        let chart = BarChart([Bar("alpha", 1), Bar("b", 0.5), Bar("gamma", 0.33)])
        assertLines(
            render(chart, width: 24, height: 3),
            [
                "alpha █████████████ 1.00",
                "b     ██████▌       0.50",
                "gamma ████▎         0.33",
            ])
    }

    func testDivergingBarsAroundCentreAxis() {
        let chart = BarChart([Bar("alpha", 1), Bar("b", -0.5), Bar("gamma", -0.33)], mode: .diverging)
        let b = render(chart, width: 27, height: 3)
        // A bar growing left keeps its partial cell at the inner end, against the axis: one
        // solid run (a partial at the outer end, "▌███│", read as a hole).
        assertLines(
            b,
            [
                "alpha        │███████ +1.00",
                "b        ███▌│        -0.50",
                "gamma     ██▎│        -0.33",
            ])
        XCTAssertEqual(b[12, 1].style, Style(fg: .red))
        XCTAssertFalse(b.content.contains { $0.style.modifiers.contains(.reverse) }, "no reverse-video tricks")
    }

    func testBarChartASCIIFallbackRoundsToWholeCells() {
        let chart = BarChart([Bar("alpha", 1), Bar("b", -0.5), Bar("gamma", -0.33)], mode: .diverging, glyphs: .ascii)
        assertLines(
            render(chart, width: 27, height: 3),
            [
                "alpha        |####### +1.00",
                "b        ####|        -0.50",
                "gamma      ##|        -0.33",
            ])
    }

    func testBarChartOptions() {
        let chart = BarChart(
            [Bar("a", 2, valueText: "two"), Bar("b", 1), Bar("c", 4)], maxValue: 4, showValues: true,
            highlighted: 1, offset: 1)
        let b = render(chart, width: 14, height: 2)
        assertLines(
            b,
            [
                "b █▊      1.00",
                "c ███████ 4.00",
            ])
        XCTAssertTrue(b[0, 0].style.modifiers.contains(.reverse))
    }

    func testBarChartColumnsAreRightAlignedAndDroppedWhenNarrow() {
        let bars = [
            Bar("CD74", 1, valueText: "1.00", columns: ["2.50", "0.500"]),
            Bar("LYZ", 0.25, valueText: "0.250", columns: ["-1.25", "10.0"]),
        ]
        let chart = BarChart(bars, labelWidth: 4, titles: ["L2", "x", "mu"])
        assertLines(
            render(chart, width: 32, height: 2),
            [
                "CD74 █████████  1.00  2.50 0.500",
                "LYZ  ██▎       0.250 -1.25  10.0",
            ])
        var titles = Buffer(area: Rect(width: 32, height: 1))
        chart.columnTitles(in: titles.area, buffer: &titles, style: Style())
        XCTAssertEqual(titles.lines()[0], "                  L2     x    mu")
        // Narrow: the last columns go before the bar gets shorter than its minimum.
        assertLines(
            render(chart, width: 22, height: 2),
            [
                "CD74 ███████████  1.00",
                "LYZ  ██▊         0.250",
            ])
    }

    func testBarChartLabelsAreCutInTheMiddleAndNeverReadAlike() {
        let bars = [Bar("mean concavity", 1), Bar("mean concave points", 0.5), Bar("area", 0.2)]
        let lines = render(BarChart(bars, labelWidth: 11), width: 30, height: 3).lines()
        XCTAssertTrue(lines[0].hasPrefix("mean …avity"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("mean …oints"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("area "), lines[2])
    }

    func testBarChartValueWidthCanExceedAThird() {
        // The default caps values at a third of the width (truncating "1.5 x=13.8"); an explicit
        // width keeps a value and its annotation whole on narrow panels.
        let bars = [Bar("PRAM1", 1.5, valueText: "1.5 x=13.8"), Bar("CTSS", 0.75, valueText: "0.75 x=2.5")]
        assertLines(
            render(BarChart(bars), width: 24, height: 2),
            [
                "PRAM1 █████████ 1.5 x=1…",
                "CTSS  ████▌     0.75 x=…",
            ])
        assertLines(
            render(BarChart(bars, valueWidth: 10), width: 24, height: 2),
            [
                "PRAM1 ███████ 1.5 x=13.8",
                "CTSS  ███▌    0.75 x=2.5",
            ])
    }

    // MARK: Gauge, StatusLine

    func testGauge() {
        assertLines(render(Gauge(ratio: 0.42), width: 20, height: 1), ["████████42%░░░░░░░░░"])
        assertLines(render(Gauge(ratio: 0.42, glyphs: .ascii), width: 20, height: 1), ["########42%---------"])
        assertLines(render(Gauge(ratio: 0.3, label: "", glyphs: .unicode), width: 5, height: 1), ["█▌░░░"])
        let b = render(Gauge(ratio: 1, label: "done"), width: 8, height: 1)
        XCTAssertTrue(b[3, 0].style.modifiers.contains(.reverse))
    }

    func testStatusLineTruncatesLeftBeforeRight() {
        let status = StatusLine(left: ["mnist.gbx  epoch 3"], right: ["⠋ loading", " 1,000,000 pts"])
        assertLines(render(status, width: 44, height: 1), ["mnist.gbx  epoch 3   ⠋ loading 1,000,000 pts"])
        assertLines(render(status, width: 30, height: 1), ["mnist… ⠋ loading 1,000,000 pts"])
        assertLines(render(status, width: 12, height: 1), ["⠋ loading 1…"])
        XCTAssertEqual(render(status, width: 30, height: 1)[29, 0].style, Style(modifiers: .reverse))
    }

    // MARK: List, Popup, Table

    func testListScrollsToSelection() {
        var state = ListState(selected: 5)
        var b = Buffer(area: Rect(width: 12, height: 5))
        List((0..<10).map { Line("item \($0)") }, block: Block(title: "Pick")).render(in: b.area, buffer: &b, state: &state)
        assertLines(
            b,
            [
                "╭Pick──────╮",
                "│  item 3 ↑│",
                "│  item 4  │",
                "│▶ item 5 ↓│",
                "╰──────────╯",
            ])
        XCTAssertEqual(state.offset, 3)
        XCTAssertTrue(b[5, 3].style.modifiers.contains(.reverse))
        XCTAssertFalse(b[5, 2].style.modifiers.contains(.reverse))
    }

    func testListStateNavigation() {
        var s = ListState()
        s.move(by: 1, count: 3)
        XCTAssertEqual(s.selected, 0)
        s.move(by: 10, count: 3)
        XCTAssertEqual(s.selected, 2)
        s.move(by: -1, count: 3)
        XCTAssertEqual(s.selected, 1)
        s.selectFirst(count: 0)
        XCTAssertNil(s.selected)
        var t = ListState(selected: 9, offset: 0)
        t.clamp(count: 4, height: 2)
        XCTAssertEqual(t, ListState(selected: 3, offset: 2))
    }

    func testListASCIIWithoutOverflow() {
        var state = ListState(selected: 0)
        var b = Buffer(area: Rect(width: 8, height: 3))
        List(["one", "two"], glyphs: .ascii).render(in: b.area, buffer: &b, state: &state)
        assertLines(b, ["> one", "  two", ""])
    }

    func testPopupClearsAndCentres() {
        var b = Buffer(lines: ["xxxxxxxxxxxx", "xxxxxxxxxxxx", "xxxxxxxxxxxx", "xxxxxxxxxxxx", "xxxxxxxxxxxx"])
        let popup = Popup(block: Block(title: "Help"), width: 8, height: 3)
        popup.render(in: b.area, buffer: &b)
        Paragraph("hi").render(in: popup.contentArea(in: b.area), buffer: &b)
        assertLines(
            b,
            [
                "xxxxxxxxxxxx",
                "xx╭Help──╮xx",
                "xx│hi    │xx",
                "xx╰──────╯xx",
                "xxxxxxxxxxxx",
            ])
    }

    func testTableColumnsAndSections() {
        let table = Table(
            rows: [
                .section("Navigation"),
                Row(["k, ↑", "Move up"]),
                Row(["PgDn", "Page down a very long way"]),
            ], header: Row(["Key", "Action"]))
        assertLines(
            render(table, width: 22, height: 4),
            [
                "Key   Action",
                "Navigation",
                "k, ↑  Move up",
                "PgDn  Page down a ver…",
            ])
        XCTAssertEqual(table.contentHeight, 4)
        XCTAssertEqual(table.contentWidth, 31)
    }

    func testTableExplicitWidths() {
        let table = Table(rows: [Row(["abcdef", "x"])], widths: [.length(3), .fill(1)], columnSpacing: 1)
        assertLines(render(table, width: 8, height: 1), ["ab… x"])
    }
}
