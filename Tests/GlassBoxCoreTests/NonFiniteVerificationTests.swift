import Foundation
import XCTest
@testable import GlassBoxCore

/// A NaN or infinity in z, J·u or C fails the verification (issue #12: one cell of 3e38 made a
/// sample's z NaN, yet `verify` printed PASS with "mean_error": null).
final class NonFiniteVerificationTests: XCTestCase {
    /// The wine sample with some cells replaced.
    private func wine(_ edit: (inout [Float], Int) -> Void) throws -> (GlassBoxModel, Dataset) {
        let (model, dataset) = try ExportSupport.load(ExportSupport.wine)
        var values = dataset.values
        edit(&values.storage, dataset.featureCount)
        return (
            model,
            Dataset(
                file: dataset.file, featureNames: dataset.featureNames, values: values, ids: dataset.ids,
                idColumn: dataset.idColumn, labels: dataset.labels)
        )
    }

    private func verify(_ model: GlassBoxModel, _ dataset: Dataset, _ precision: Precision = .single) throws -> VerificationReport {
        var options = ExportOptions(directory: nil)
        options.precision = precision
        return try Exporter.run(model: model, dataset: dataset, options: options).report
    }

    func testAnOverflowingSampleFailsAndIsNamed() throws {
        let (model, dataset) = try wine { x, d in x[4 * d + 3] = 3e38 }  // finite in float32
        let report = try verify(model, dataset)
        XCTAssertFalse(report.passed)
        XCTAssertEqual(report.verification.nonFiniteCount, 1)
        XCTAssertEqual(report.verification.nonFiniteRows, [4])
        XCTAssertLessThan(report.verification.relativeError, 1e-5, "the other samples' statistics stay meaningful")
        XCTAssertFalse(report.verification.meanError.isNaN)
        XCTAssertEqual(report.nonFinite?.inputRows, [])
        XCTAssertEqual(report.nonFinite?.doubleCheck?.checked, 1)
        XCTAssertEqual(report.nonFinite?.doubleCheck?.finite, 1)
        XCTAssertTrue(report.text.contains("but 1 sample is not finite: FAIL"), report.text)
        XCTAssertTrue(report.text.contains("non_finite            1 of 178 samples has a NaN or infinite result: wine-005"), report.text)
        XCTAssertTrue(
            report.text.contains(
                "float32 arithmetic overflowed (its largest value is 3.4e38): --precision double gives finite results for it"), report.text)
        XCTAssertFalse(report.text.contains("(nan)"), report.text)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        XCTAssertEqual(json["passed"] as? Bool, false)
        XCTAssertEqual(json["n_non_finite"] as? Int, 1)
        let nonFinite = try XCTUnwrap(json["non_finite"] as? [String: Any])
        XCTAssertEqual(nonFinite["rows"] as? [Int], [4])
        XCTAssertEqual(nonFinite["input_rows"] as? [Int], [])
        XCTAssertEqual(nonFinite["overflow_count"] as? Int, 1)
        XCTAssertEqual(nonFinite["double_precision_finite"] as? Int, 1)
        // In double precision the same data passes.
        XCTAssertTrue(try verify(model, dataset, .double).passed)
    }

    func testEverySampleOverflowingFailsWithoutNumbers() throws {
        let (model, dataset) = try wine { x, _ in for i in x.indices { x[i] = 1e38 } }
        let report = try verify(model, dataset)
        XCTAssertFalse(report.passed)
        XCTAssertEqual(report.verification.nonFiniteCount, dataset.sampleCount)
        XCTAssertTrue(report.verification.zRange.0.isNaN, "no finite sample: no range, rather than a made-up one")
        XCTAssertTrue(report.text.contains("relative_error        nan  178 samples are not finite: FAIL"), report.text)
        XCTAssertTrue(report.text.contains("wine-001, wine-002"), report.text)
        XCTAssertTrue(report.text.contains("(checked on 32 of them)"), report.text)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        XCTAssertEqual(json["passed"] as? Bool, false)
        XCTAssertEqual((json["non_finite"] as? [String: Any])?["count"] as? Int, 178)
    }

    func testANonFiniteInputIsToldApart() throws {
        // The CSV reader refuses NaN and infinity; a Dataset made in code can hold them.
        let (model, dataset) = try wine { x, d in
            x[2 * d] = .nan; x[7 * d + 1] = 3e38
        }
        let report = try verify(model, dataset)
        XCTAssertEqual(report.nonFinite?.rows, [2, 7])
        XCTAssertEqual(report.nonFinite?.inputRows, [2])
        XCTAssertTrue(
            report.nonFinite?.explanation.hasPrefix(
                "1 sample has NaN or infinite input values; 1 sample has finite input, but float32 arithmetic overflowed") ?? false,
            report.nonFinite?.explanation ?? "")
    }

    func testNonFiniteContributionsAloneFailTheSample() throws {
        let (model, dataset) = try ExportSupport.load(ExportSupport.wine)
        var chunk = ContributionEngine<Float>(model: model).compute(dataset.values, rows: 10..<13, outputs: [.contributions])
        chunk.contributions![chunk.outputCount * chunk.featureCount + 5] = .infinity  // sample 11
        var accumulator = VerificationAccumulator()
        let errors = accumulator.add(chunk)
        XCTAssertTrue(errors[1].isNaN)
        XCTAssertFalse(errors[0].isNaN || errors[2].isNaN)
        XCTAssertEqual(accumulator.result.nonFiniteRows, [11])
        XCTAssertFalse(accumulator.result.passes(tolerance: 1))
        // Merged in any order, the rows come out sorted.
        var other = VerificationAccumulator()
        other.add(z: [Float.nan], reconstruction: [0], row: 3)
        other.merge(accumulator)
        XCTAssertEqual(other.result.nonFiniteRows, [3, 11])
        XCTAssertEqual(other.result.sampleCount, 4)
    }
}
