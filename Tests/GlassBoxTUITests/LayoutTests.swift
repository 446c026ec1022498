import XCTest
@testable import GlassBoxTUI

final class LayoutTests: XCTestCase {
    func testHeaderBodyFooter() {
        let rows = Layout.vertical([.length(1), .min(0), .length(1)]).split(Rect(width: 80, height: 24))
        XCTAssertEqual(
            rows,
            [
                Rect(x: 0, y: 0, width: 80, height: 1),
                Rect(x: 0, y: 1, width: 80, height: 22),
                Rect(x: 0, y: 23, width: 80, height: 1),
            ])
    }

    func testFillSharesFreeSpaceByWeight() {
        XCTAssertEqual(Layout.solve([.length(10), .fill(1), .fill(2)], total: 100), [10, 30, 60])
        // Fills take the free space before mins grow.
        XCTAssertEqual(Layout.solve([.min(5), .fill(1)], total: 20), [5, 15])
    }

    func testMinsGrowWithoutFills() {
        XCTAssertEqual(Layout.solve([.min(5), .min(5)], total: 21), [10, 11])
    }

    func testPercentagesCoverOddSizesExactly() {
        XCTAssertEqual(Layout.solve([.percentage(50), .percentage(50)], total: 101), [50, 51])
        XCTAssertEqual(Layout.solve([.percentage(30), .percentage(70)], total: 10), [3, 7])
    }

    func testMaxCapsAndLeavesSpaceUnused() {
        XCTAssertEqual(Layout.solve([.max(10), .length(5)], total: 40), [10, 5])
        XCTAssertEqual(Layout.solve([.max(10), .fill(1)], total: 40), [10, 30])
    }

    func testOverflowShrinksLowPriorityLastFirst() {
        // Lengths give way before mins; within a class the last segment goes first.
        XCTAssertEqual(Layout.solve([.length(1), .min(3), .length(1)], total: 4), [1, 3, 0])
        XCTAssertEqual(Layout.solve([.length(10), .length(10)], total: 15), [10, 5])
        XCTAssertEqual(Layout.solve([.percentage(50), .length(8)], total: 10), [2, 8])
        XCTAssertEqual(Layout.solve([.min(8), .min(8)], total: 10), [8, 2])
    }

    func testSpacingAndMargin() {
        let cols = Layout.horizontal([.fill(1), .fill(1)], spacing: 2, margin: 1).split(Rect(width: 24, height: 5))
        XCTAssertEqual(cols, [Rect(x: 1, y: 1, width: 10, height: 3), Rect(x: 13, y: 1, width: 10, height: 3)])
    }

    func testDegenerateInputs() {
        XCTAssertEqual(Layout.solve([], total: 10), [])
        XCTAssertEqual(Layout.solve([.length(5), .fill(1)], total: 0), [0, 0])
        XCTAssertEqual(Rect(width: 10, height: 0).splitHorizontally([.length(3), .fill(1)]).map(\.width), [3, 7])
    }
}
