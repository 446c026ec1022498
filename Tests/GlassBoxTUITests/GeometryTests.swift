import XCTest
@testable import GlassBoxTUI

final class GeometryTests: XCTestCase {
    func testInnerShrinksEverySide() {
        XCTAssertEqual(Rect(x: 2, y: 3, width: 10, height: 6).inner(1), Rect(x: 3, y: 4, width: 8, height: 4))
        XCTAssertTrue(Rect(width: 3, height: 3).inner(2).isEmpty)
    }

    func testIntersection() {
        let a = Rect(x: 0, y: 0, width: 10, height: 10)
        XCTAssertEqual(a.intersection(Rect(x: 5, y: 5, width: 10, height: 10)), Rect(x: 5, y: 5, width: 5, height: 5))
        XCTAssertTrue(a.intersection(Rect(x: 20, y: 0, width: 5, height: 5)).isEmpty)
        XCTAssertFalse(a.intersects(Rect(x: 10, y: 0, width: 5, height: 5)))
    }

    func testContainsExcludesRightAndBottomEdges() {
        let r = Rect(x: 1, y: 1, width: 2, height: 2)
        XCTAssertTrue(r.contains(Position(x: 1, y: 1)))
        XCTAssertTrue(r.contains(Position(x: 2, y: 2)))
        XCTAssertFalse(r.contains(Position(x: 3, y: 2)))
        XCTAssertFalse(r.contains(Position(x: 0, y: 1)))
    }

    func testCentered() {
        let screen = Rect(width: 80, height: 24)
        XCTAssertEqual(screen.centered(width: 40, height: 10), Rect(x: 20, y: 7, width: 40, height: 10))
        XCTAssertEqual(screen.centered(width: 100, height: 30), screen)
        XCTAssertEqual(screen.centered(percentWidth: 50, percentHeight: 50), Rect(x: 20, y: 6, width: 40, height: 12))
    }

    func testNegativeSizesClampToZero() {
        XCTAssertEqual(Rect(x: 0, y: 0, width: -3, height: 2).width, 0)
    }
}
