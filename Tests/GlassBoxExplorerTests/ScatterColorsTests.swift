import GlassBoxCore
import GlassBoxTUI
import XCTest
@testable import GlassBoxExplorer

final class ScatterColorsTests: XCTestCase {
    let theme = Theme()

    func testGradientPlotsPendingFirstAndHighValuesLast() {
        let values: [Float] = [0.5, .nan, 1, 0, 0.25]
        let c = values.withUnsafeBufferPointer { ScatterColors.gradient($0, title: "t", fromZero: true, order: [0, 1, 2, 3, 4], theme: theme) }
        XCTAssertEqual(c.order, [1, 3, 4, 0, 2])
        XCTAssertEqual(Int(c.indices[1]), c.palette.count - 1, "NaN is pending")
        XCTAssertEqual(c.legend.pending, 1)
        XCTAssertEqual(c.indices[3], 0)
        XCTAssertGreaterThan(c.indices[2], c.indices[0])
        guard case .gradient(let low, let high, _) = c.legend.content else { return XCTFail("a ramp") }
        XCTAssertEqual(low, 0)
        XCTAssertEqual(high, 1)
    }

    func testAllPendingSaysComputing() {
        let values: [Float] = [.nan, .nan]
        let c = values.withUnsafeBufferPointer { ScatterColors.gradient($0, title: "t", fromZero: true, order: [0, 1], theme: theme) }
        XCTAssertEqual(c.legend.content, .message("computing…"))
    }

    func testTopFeaturesColorTheMostFrequentAndGreyTheRest() {
        let top: [Int32] = [2, 2, 0, 1, 2, -1, 0]
        let c = ScatterColors.topFeatures(top, names: ["a", "b", "c"], order: Array(0..<7), theme: theme, colors: 2)
        guard case .categories(let entries) = c.legend.content else { return XCTFail("categories") }
        XCTAssertEqual(entries.map(\.label), ["c", "a", "other"])
        XCTAssertEqual(entries.map(\.count), [3, 2, 1])
        XCTAssertEqual(c.legend.pending, 1)
        XCTAssertEqual(c.order.first, 5, "pending drawn first")
        XCTAssertEqual(c.order[1], 3, "then other")
    }

    func testGroupsUseCategoricalColors() {
        let groups = GroupIndex(labels: GroupLabels(column: "kind", values: ["x", "y", "x"]))
        let c = ScatterColors.groups(groups, order: [2, 1, 0], theme: theme)
        XCTAssertEqual(c.indices, [0, 1, 0])
        XCTAssertEqual(c.order, [2, 1, 0])
        XCTAssertEqual(c.legend.content, .categories([LegendEntry(color: Theme.categorical[0], label: "x", count: 2),
                                                       LegendEntry(color: Theme.categorical[1], label: "y", count: 1)]))
    }

    func testNumberFormats() {
        XCTAssertEqual(Format.short(1234.5), "1235")
        XCTAssertEqual(Format.short(12.345), "12.35")
        XCTAssertEqual(Format.short(-0.5), "-0.5000")
        XCTAssertEqual(Format.short(0.000012), "1.2e-05")
        XCTAssertEqual(Format.short(0.5, digits: 3), "0.500")
        XCTAssertEqual(Format.scientific(9.96e-7), "1.0e-06")
        XCTAssertEqual(Format.count(1_234_567), "1,234,567")
        XCTAssertEqual(Format.percent(0.1234), "12.3%")
    }
}
