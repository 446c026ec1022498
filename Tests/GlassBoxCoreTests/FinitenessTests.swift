import XCTest
@testable import GlassBoxCore

/// `allFinite` reads bits: check it at the edges of the finite numbers, at every position of a
/// block (the vector loop and its tail), in both precisions.
final class FinitenessTests: XCTestCase {
    func testEdgesOfTheFiniteNumbers() {
        check(
            Float.self,
            finite: [
                0, -0, 1, -1, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                .leastNonzeroMagnitude, .leastNormalMagnitude, 3e38,
            ],
            nonFinite: [.nan, -.nan, .signalingNaN, .infinity, -.infinity, Float(bitPattern: 0x7F80_0001)])
        check(
            Double.self,
            finite: [
                0, -0, 1, -1, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                .leastNonzeroMagnitude, .leastNormalMagnitude, 1e308,
            ],
            nonFinite: [.nan, -.nan, .signalingNaN, .infinity, -.infinity, Double(bitPattern: 0x7FF0_0000_0000_0001)])
    }

    private func check<T: BLASScalar>(_: T.Type, finite: [T], nonFinite: [T]) {
        for count in [1, 7, 64, 67] {
            let values = (0..<count).map { finite[$0 % finite.count] }
            XCTAssertTrue(T.allFinite(values, count: count), "\(T.self) × \(count)")
            for position in [0, count / 2, count - 1] {
                for bad in nonFinite {
                    var v = values
                    v[position] = bad
                    XCTAssertFalse(T.allFinite(v, count: count), "\(T.self) \(bad) at \(position) of \(count)")
                }
            }
        }
        XCTAssertTrue(T.allFinite([T](), count: 0))
    }
}
