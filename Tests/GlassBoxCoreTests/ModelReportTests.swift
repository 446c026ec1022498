import GlassBoxTestSupport
import XCTest

@testable import GlassBoxCore

/// What `inspect` prints.
final class ModelReportTests: XCTestCase {
    /// A long training attribute (a list of 256,000 numbers) is cut in the text, with its
    /// length; `--json` keeps it whole.
    func testLongAttributesAreCutInTheTextOnly() throws {
        var rng = SplitMix64(seed: 3)
        var model = try RandomNetworks.model(
            encoder: RandomNetworks.deepPReLU(input: 4, hidden: 8, layers: 2, rng: &rng), features: 4, rng: &rng)
        let big = AttributeValue.list((0..<256_000).map { .int($0) })
        model.attributes = [("n_neighbors", .int(15)), ("big", big)]
        let report = ModelReport(model: model, file: "m.pt")
        let line = try XCTUnwrap(report.text.split(separator: "\n").first { $0.contains("big") })
        XCTAssertLessThan(line.count, 300, String(line.prefix(400)))
        XCTAssertTrue(line.contains("[0, 1, 2, 3,"), String(line))
        XCTAssertTrue(line.hasSuffix("… (\(big.description.utf8.count) bytes)"), String(line.suffix(60)))
        XCTAssertTrue(report.text.contains("n_neighbors  15"), report.text)
        XCTAssertTrue(report.json.contains("255998, 255999]"))
    }
}
