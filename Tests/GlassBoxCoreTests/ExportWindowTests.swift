import Foundation
import XCTest
@testable import GlassBoxCore

private typealias S = ExportSupport

private final class WindowCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// Export reads its data a window at a time: however the windows fall, and whether the data
/// is read from the file as the export goes or was read whole before, the files are the same.
final class ExportWindowTests: XCTestCase {
    private func source(_ sample: S.Sample, model: GlassBoxModel) throws -> CSVSource {
        try CSVDatasetReader.open(
            S.sampleURL(sample, "data.csv"),
            options: CSVReadOptions(labelColumn: sample.labelColumn, idColumn: sample.idColumn),
            expecting: FeatureExpectation(model: model))
    }

    private func files(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in S.listing(dir) where name != "verification.json" {
            out[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return out
    }

    func testWindowsChangeNoFile() throws {
        for sample in S.samples {
            let (model, dataset) = try S.load(sample)
            let whole = try S.scratch(self)
            _ = try S.export(model, dataset, to: whole) { $0.plots = true }
            let reference = try files(whole)
            XCTAssertEqual(reference.count, model.pcaComponentCount == nil ? 8 : 9)
            let d = model.featureCount
            for rows in [1, 96, 97, 250] {
                let dir = try S.scratch(self)
                var options = ExportOptions(directory: dir)
                options.plots = true
                options.windowBytes = rows * d * 4
                let windows = WindowCounter()
                options.windowRead = { windows.add() }
                let result = try Exporter.run(model: model, source: source(sample, model: model), options: options)
                XCTAssertEqual(result.rows, 0..<dataset.sampleCount)
                // At least one engine block (96 rows) a window.
                let perWindow = max(96, rows)
                XCTAssertEqual(windows.value, (dataset.sampleCount + perWindow - 1) / perWindow, "\(sample.name) \(rows)")
                let got = try files(dir)
                XCTAssertEqual(Set(got.keys), Set(reference.keys))
                for (name, data) in reference { XCTAssertEqual(got[name], data, "\(sample.name), \(rows) rows a window: \(name)") }
                let json =
                    try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("verification.json")))
                    as! [String: Any]
                XCTAssertEqual(json["n_samples"] as? Int, dataset.sampleCount)
            }
        }
    }

    /// `--rows A:B` from the file reads only those rows and gives the rows' part of the whole.
    func testRowsFromTheFileAndPastItsEnd() throws {
        let sample = S.wine
        let (model, dataset) = try S.load(sample)
        let whole = try S.scratch(self), part = try S.scratch(self)
        _ = try S.export(model, dataset, to: whole)
        var options = ExportOptions(directory: part)
        options.rows = 50..<120
        options.windowBytes = 16 * model.featureCount * 4
        let result = try Exporter.run(model: model, source: source(sample, model: model), options: options)
        XCTAssertEqual(result.rows, 50..<120)
        let d = model.featureCount, m = model.outputCount
        let wholeC = try S.npyBody(whole.appendingPathComponent("contributions.npy"))
        XCTAssertEqual(
            try S.npyBody(part.appendingPathComponent("contributions.npy")), wholeC.subdata(in: (50 * m * d * 4)..<(120 * m * d * 4)))
        let lines = try String(contentsOf: whole.appendingPathComponent("embedding.csv"), encoding: .utf8).split(separator: "\n")
        let partLines = try String(contentsOf: part.appendingPathComponent("embedding.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(partLines.dropFirst(), lines[51..<121])

        for (rows, expected) in [
            (170..<200, "the end 200 is past the data's 178 rows"), (178..<200, "the end 200 is past the data's 178 rows"),
        ] {
            let dir = try S.scratch(self)
            var o = ExportOptions(directory: dir)
            o.rows = rows
            XCTAssertThrowsError(try Exporter.run(model: model, source: source(sample, model: model), options: o)) {
                XCTAssertTrue("\($0)".contains(expected), "\($0)")
            }
            XCTAssertEqual(S.listing(dir), [], "nothing is left of a failed export")
        }
    }
}
