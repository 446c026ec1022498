import GlassBoxCore
import GlassBoxTUI
import XCTest
@testable import GlassBoxExplorer

final class ScatterColorsTests: XCTestCase {
    let theme = Theme()
    let basic8 = Theme(glyphs: .unicode, capability: .basic8)
    let noColor = Theme(glyphs: .unicode, capability: .none)

    func testGradientPlotsPendingFirstAndHighValuesLast() {
        let values: [Float] = [0.5, .nan, 1, 0, 0.25]
        let c = values.withUnsafeBufferPointer {
            ScatterColors.gradient($0, title: "t", fromZero: true, order: [0, 1, 2, 3, 4], theme: theme)
        }
        XCTAssertEqual(c.order, [1, 3, 4, 0, 2])
        XCTAssertEqual(Int(c.indices[1]), c.inks.count - 1, "NaN is pending")
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
        XCTAssertEqual(entries.map(\.isShared), [false, false, true])
        XCTAssertEqual(c.legend.pending, 1)
        XCTAssertEqual(c.order.first, 5, "pending drawn first")
        XCTAssertEqual(c.order[1], 3, "then other")
    }

    func testGroupsUseCategoricalColors() {
        let groups = GroupIndex(labels: GroupLabels(column: "kind", values: ["x", "y", "x"]))
        let c = ScatterColors.groups(groups, order: [2, 1, 0], theme: theme)
        XCTAssertEqual(c.inks[Int(c.indices[0])], Style(fg: Theme.categorical[0]))
        XCTAssertEqual(c.inks[Int(c.indices[1])], Style(fg: Theme.categorical[1]))
        XCTAssertEqual(c.indices[0], c.indices[2])
        XCTAssertEqual(c.order, [2, 1, 0])
        XCTAssertEqual(
            c.legend.content,
            .categories([
                LegendEntry(ink: Style(fg: Theme.categorical[0]), label: "x", count: 2),
                LegendEntry(ink: Style(fg: Theme.categorical[1]), label: "y", count: 1),
            ]))
    }

    /// pbmc's ten groups on an 8-color terminal: ten distinct inks (five colors, plain and
    /// bold), none of them the focused border's cyan — not five colors shared by two groups each.
    func testTenGroupsOnEightColorsGetTenInksWithoutTheBorderColor() {
        let labels = (0..<10).map { "g\($0)" }
        let groups = GroupIndex(labels: GroupLabels(column: "kind", values: labels))
        let c = ScatterColors.groups(groups, order: Array(0..<10), theme: basic8)
        let used = (0..<10).map { c.inks[Int(c.indices[$0])] }
        XCTAssertEqual(Set(used).count, 10)
        let shown = used.map { $0.downgraded(to: .basic8) }
        XCTAssertEqual(Set(shown).count, 10, "distinct as the terminal shows them")
        XCTAssertFalse(shown.contains { $0.fg == .cyan }, "cyan marks the focused panel")
        XCTAssertNil(c.legend.note)
        // Twelve: the ten largest… nine get inks, the rest share "other" — said in the legend.
        let twelve = GroupIndex(labels: GroupLabels(column: "kind", values: (0..<12).map { "g\($0)" } + ["g0", "g1"]))
        let d = ScatterColors.groups(twelve, order: Array(0..<14), theme: basic8)
        guard case .categories(let entries) = d.legend.content else { return XCTFail("categories") }
        XCTAssertEqual(entries.filter(\.isShared).count, 3)
        XCTAssertTrue(d.legend.note?.contains("share grey") ?? false)
    }

    /// Without colors one group at a time is bold, the rest dim; `spotlight` picks which.
    func testNoColorHighlightsOneGroupAtATime() {
        let groups = GroupIndex(labels: GroupLabels(column: "kind", values: ["x", "y", "z", "x"]))
        let c = ScatterColors.groups(groups, order: [0, 1, 2, 3], theme: noColor)
        let inks = (0..<4).map { c.inks[Int(c.indices[$0])].downgraded(to: .none) }
        XCTAssertTrue(inks[0].modifiers.contains(.bold), "the first is highlighted by default")
        XCTAssertTrue(inks[1].modifiers.contains(.dim))
        XCTAssertEqual(inks[0], inks[3])
        guard case .categories(let entries) = c.legend.content else { return XCTFail("categories") }
        XCTAssertEqual(entries.map(\.isSpotlight), [true, false, false])
        XCTAssertTrue(c.legend.note?.contains("one at a time") ?? false)
        XCTAssertEqual(c.order.last, 3, "the highlighted group is drawn last")
        let second = ScatterColors.groups(groups, spotlight: 1, order: [0, 1, 2, 3], theme: noColor)
        XCTAssertTrue(second.inks[Int(second.indices[1])].modifiers.contains(.bold))
        XCTAssertTrue(second.inks[Int(second.indices[0])].modifiers.contains(.dim))
    }

    func testRampsWithoutColorsAreDimPlainBoldThirds() {
        let values: [Float] = [0, 0.2, 0.5, 0.9, 1]
        let c = values.withUnsafeBufferPointer {
            ScatterColors.gradient($0, title: "t", fromZero: true, order: [0, 1, 2, 3, 4], theme: noColor)
        }
        XCTAssertEqual(c.inks.count, 4, "three shades and pending")
        XCTAssertEqual(c.indices.map { Int($0) }, [0, 0, 1, 2, 2])
        XCTAssertTrue(c.legend.note?.contains("dim, plain, bold") ?? false)
    }

    func testNumberFormats() {
        XCTAssertEqual(Format.short(1234.5), "1235")
        XCTAssertEqual(Format.short(12.345), "12.3")
        XCTAssertEqual(Format.short(-0.5), "-0.500")
        XCTAssertEqual(Format.short(0.000012), "1.20e-05")
        XCTAssertEqual(Format.number(0.5, signed: true), "+0.500")
        XCTAssertEqual(Format.scientific(9.96e-7), "1.0e-06")
        XCTAssertEqual(Format.count(1_234_567), "1,234,567")
        XCTAssertEqual(Format.percent(0.1234), "12.3%")
    }
}
