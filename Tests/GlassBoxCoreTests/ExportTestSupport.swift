import Foundation
import XCTest
@testable import GlassBoxCore

/// Shared helpers for the export tests: the bundled samples, scratch directories, and a
/// minimal RFC 4180 reader for checking what export wrote.
enum ExportSupport {
    typealias Sample = UpstreamFixtureTests.Sample

    static var samples: [Sample] { UpstreamFixtureTests.samples }
    static var pbmc: Sample { samples[0] }
    static var wine: Sample { samples[1] }

    static func sampleURL(_ sample: Sample, _ file: String) -> URL {
        UpstreamFixtureTests.packageRoot.appendingPathComponent("SampleData/\(sample.name)/\(file)")
    }

    static func load(_ sample: Sample) throws -> (GlassBoxModel, Dataset) {
        let model = try ModelFile.load(sampleURL(sample, "model.pt"))
        let dataset = try CSVDatasetReader.read(
            sampleURL(sample, "data.csv"),
            options: CSVReadOptions(labelColumn: sample.labelColumn, idColumn: sample.idColumn),
            expecting: FeatureExpectation(model: model), notes: { _ in })
        return (model, dataset)
    }

    static func fixture(_ sample: Sample, _ name: String) throws -> NPY.Array {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(sample.name)/\(name)", withExtension: "npy"))
        return try NPY.read(url)
    }

    /// A fresh directory, removed by the test's teardown.
    static func scratch(_ test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    static func listing(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    /// Every file of a directory with its contents.
    static func snapshot(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in listing(dir) { out[name] = try Data(contentsOf: dir.appendingPathComponent(name)) }
        return out
    }

    /// Records of a CSV file (RFC 4180: quoted fields, doubled quotes, embedded newlines).
    static func readCSV(_ url: URL) throws -> [[String]] {
        parseCSV(try String(contentsOf: url, encoding: .utf8))
    }

    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = ""
        var quoted = false, wasQuoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append(c); chars.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" && field.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else if c == "," {
                record.append(field); field = ""; wasQuoted = false
            } else if c == "\n" {
                record.append(field); records.append(record)
                record = []; field = ""; wasQuoted = false
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    /// The data bytes of a .npy file (after its header).
    static func npyBody(_ url: URL) throws -> Data {
        let data = try Data(contentsOf: url)
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        return data.subdata(in: (10 + headerLength)..<data.count)
    }

    static func export(
        _ model: GlassBoxModel, _ dataset: Dataset, to dir: URL,
        configure: (inout ExportOptions) -> Void = { _ in }
    ) throws -> ExportResult {
        var options = ExportOptions(directory: dir)
        configure(&options)
        return try Exporter.run(model: model, dataset: dataset, options: options)
    }
}
