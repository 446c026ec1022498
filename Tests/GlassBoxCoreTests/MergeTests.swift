import Foundation
import XCTest
@testable import GlassBoxCore

/// `glassbox merge` in the core: parts exported on their own (as separate jobs would) merge
/// into exactly the export of all their rows; parts that do not fit together are refused with
/// a message naming the part or the rows.
final class MergeTests: XCTestCase {
    typealias S = ExportSupport

    /// An export as the CLI makes it: with provenance.
    func export(
        _ sample: S.Sample, _ model: GlassBoxModel, _ dataset: Dataset, to dir: URL, dataURL: URL? = nil,
        configure: (inout ExportOptions) -> Void = { _ in }
    ) throws {
        let data = dataURL ?? S.sampleURL(sample, "data.csv")
        _ = try S.export(model, dataset, to: dir) {
            $0.provenance = ExportProvenance(
                model: FileDigest(S.sampleURL(sample, "model.pt")), data: data,
                dataStamp: try! FileStamp(of: data), version: "test")
            configure(&$0)
        }
    }

    func json(_ url: URL) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// Two JSON values equal, numbers to a relative 1e-12.
    func assertClose(_ a: Any?, _ b: Any?, _ path: String, file: StaticString = #filePath, line: UInt = #line) {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            XCTAssertEqual(Set(x.keys), Set(y.keys), path, file: file, line: line)
            for k in x.keys { assertClose(x[k], y[k], "\(path).\(k)", file: file, line: line) }
        case let (x as [Any], y as [Any]):
            XCTAssertEqual(x.count, y.count, path, file: file, line: line)
            for (i, (u, v)) in zip(x, y).enumerated() { assertClose(u, v, "\(path)[\(i)]", file: file, line: line) }
        case let (x as NSNumber, y as NSNumber):  // booleans too: 0 or 1
            XCTAssertEqual(x.doubleValue, y.doubleValue, accuracy: 1e-12 * max(abs(x.doubleValue), 1e-300), path, file: file, line: line)
        default:
            XCTAssertEqual("\(a ?? "nil")", "\(b ?? "nil")", path, file: file, line: line)
        }
    }

    /// groups.csv: the same lines, numbers to a relative 1e-12.
    func assertSameGroups(_ a: URL, _ b: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let x = try S.readCSV(a), y = try S.readCSV(b)
        XCTAssertEqual(x.count, y.count, file: file, line: line)
        for (r, s) in zip(x, y) {
            XCTAssertEqual(Array(r[..<4]), Array(s[..<4]), file: file, line: line)
            for (u, v) in zip(r[4...], s[4...]) {
                if let p = Double(u), let q = Double(v) {
                    XCTAssertEqual(p, q, accuracy: 1e-12 * abs(p), file: file, line: line)
                } else {
                    XCTAssertEqual(u, v)
                }
            }
        }
    }

    /// The merged export against the single export of all rows: every file but the summaries
    /// byte for byte, the summaries to float rounding.
    func assertSameExport(_ merged: URL, _ whole: URL, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(S.listing(merged), S.listing(whole), what, file: file, line: line)
        for name in S.listing(whole) {
            let a = merged.appendingPathComponent(name), b = whole.appendingPathComponent(name)
            switch name {
            case "verification.json", "statistics.json":
                var x = try json(a), y = try json(b)
                x["merged_from"] = nil
                y["merged_from"] = nil
                assertClose(x, y, "\(what) \(name)", file: file, line: line)
            case "groups.csv", "groups_sets.csv":
                try assertSameGroups(a, b, file: file, line: line)
            case "group_sums.npy", "group_set_sums.npy":
                let x = try NPY.read(a), y = try NPY.read(b)
                XCTAssertEqual(x.shape, y.shape, file: file, line: line)
                for (u, v) in zip(x.values, y.values) {
                    XCTAssertEqual(u, v, accuracy: 1e-12 * abs(v), "\(what) group sums", file: file, line: line)
                }
            default:
                XCTAssertTrue(try Data(contentsOf: a) == Data(contentsOf: b), "\(what): \(name) differs", file: file, line: line)
            }
        }
    }

    func testMergedPartsEqualTheExportOfTheWhole() throws {
        for sample in S.samples {
            let (model, dataset) = try S.load(sample)
            let n = dataset.sampleCount
            for (format, plots) in [(ContributionFormat.npy, true), (.csv, false)] {
                let base = try S.scratch(self)
                let whole = base.appendingPathComponent("whole")
                try export(sample, model, dataset, to: whole) {
                    $0.chunkSize = 192; $0.format = format; $0.plots = plots
                }
                // Cuts off the engine's chunk boundaries, a one-row part, parts exported with
                // other chunk sizes (other sums, same values to rounding).
                let cuts = [0, 37, 38, n / 2, n / 2 + min(101, n / 4), n]
                var parts: [URL] = []
                for (p, (a, b)) in zip(cuts, cuts.dropFirst()).enumerated() {
                    let dir = base.appendingPathComponent("part\(p)")
                    try export(sample, model, dataset, to: dir) {
                        $0.rows = a..<b; $0.chunkSize = [96, 100, 1000, 7][p % 4]; $0.format = format; $0.plots = plots
                    }
                    parts.append(dir)
                }
                let merged = base.appendingPathComponent("merged")
                let result = try ExportMerger.run(parts: parts.shuffled(), options: MergeOptions(directory: merged))
                XCTAssertEqual(result.rows, 0..<n)
                XCTAssertEqual(
                    result.files, S.listing(whole).sorted { result.files.firstIndex(of: $0)! < result.files.firstIndex(of: $1)! })
                try assertSameExport(merged, whole, "\(sample.name) \(format)")
                let v = try json(merged.appendingPathComponent("verification.json"))
                XCTAssertEqual(
                    (v["merged_from"] as? [[String: Any]])?.map { $0["rows"] as! [Int] }, zip(cuts, cuts.dropFirst()).map { [$0, $1] })
                XCTAssertEqual(
                    v["data_rows_hash"] as? String, try ExportTests.rowsHash(dataset, 0..<n), "the parts' row hashes add up to the whole's")
            }
        }
    }

    /// Non-finite samples (here: two rows that overflow float32, in different parts) are named
    /// in the merged export as in the export of the whole — rows, ids and the diagnosis.
    func testNonFiniteSamplesSurviveTheMerge() throws {
        let (model, loaded) = try S.load(S.wine)
        var values = loaded.values
        let d = loaded.featureCount
        values.storage[20 * d + 1] = 3e38
        values.storage[150 * d + 2] = 3e38
        let dataset = Dataset(
            file: loaded.file, featureNames: loaded.featureNames, values: values, ids: loaded.ids,
            idColumn: loaded.idColumn, labels: loaded.labels)
        let base = try S.scratch(self)
        let whole = base.appendingPathComponent("whole")
        try export(S.wine, model, dataset, to: whole)
        let parts = try [(0, 100), (100, 178)].enumerated().map { p, r -> URL in
            let dir = base.appendingPathComponent("p\(p)")
            try export(S.wine, model, dataset, to: dir) { $0.rows = r.0..<r.1 }
            return dir
        }
        let merged = base.appendingPathComponent("merged")
        let result = try ExportMerger.run(parts: parts, options: MergeOptions(directory: merged))
        let w = try json(whole.appendingPathComponent("verification.json"))
        let nonFinite = try XCTUnwrap(w["non_finite"] as? [String: Any])
        XCTAssertEqual(nonFinite["rows"] as? [Int], [20, 150])
        XCTAssertEqual(w["passed"] as? Bool, false)
        try assertSameExport(merged, whole, "wine with two overflowing samples")
        // The two samples are left out of their groups' sums instead of making them NaN.
        let groups = try String(contentsOf: whole.appendingPathComponent("groups.csv"), encoding: .utf8)
        XCTAssertFalse(groups.lowercased().contains("nan"), groups)
        XCTAssertTrue(result.report.text.contains("2 of 178 samples have a NaN or infinite result: wine-021, wine-151"), result.report.text)
    }

    /// A merged export records its own statistics, so merges merge: ((p0 p1) p2 p3) = the whole.
    func testAMergedExportMergesAgain() throws {
        let (model, dataset) = try S.load(S.pbmc)
        let base = try S.scratch(self)
        let whole = base.appendingPathComponent("whole")
        try export(S.pbmc, model, dataset, to: whole) { $0.plots = true }
        let cuts = [0, 200, 390, 391, 700]
        let parts = try zip(cuts, cuts.dropFirst()).enumerated().map { p, r -> URL in
            let dir = base.appendingPathComponent("p\(p)")
            try export(S.pbmc, model, dataset, to: dir) {
                $0.rows = r.0..<r.1; $0.plots = true
            }
            return dir
        }
        let first = base.appendingPathComponent("m01")
        XCTAssertTrue(mergeError(Array(parts[..<2]), into: first).hasSuffix("rows 390:700 missing: no part covers them"))
        var stage = MergeOptions(directory: first)
        stage.partial = true
        _ = try ExportMerger.run(parts: Array(parts[..<2]), options: stage)
        XCTAssertTrue(
            mergeError([parts[0], parts[2]], into: first, partial: true).contains("rows 200:390 missing"),
            "--partial still wants contiguous parts")
        let all = base.appendingPathComponent("all")
        _ = try ExportMerger.run(parts: [first] + parts[2...], options: MergeOptions(directory: all))
        try assertSameExport(all, whole, "merge of a merge")
    }

    func mergeError(_ parts: [URL], into out: URL, partial: Bool = false) -> String {
        var options = MergeOptions(directory: out)
        options.partial = partial
        do {
            _ = try ExportMerger.run(parts: parts, options: options)
            return ""
        } catch {
            return "\(error)"
        }
    }

    func testMissingAndDoubleRowsAreNamed() throws {
        let (model, dataset) = try S.load(S.wine)
        let base = try S.scratch(self)
        func part(_ a: Int, _ b: Int) throws -> URL {
            let dir = base.appendingPathComponent("p\(a)-\(b)")
            try export(S.wine, model, dataset, to: dir) { $0.rows = a..<b }
            return dir
        }
        let out = base.appendingPathComponent("merged")
        let gapped = try [part(0, 50), part(80, 120), part(100, 150)]
        XCTAssertEqual(
            mergeError(gapped, into: out),
            """
            the parts do not cover the data's 178 rows exactly once:
              rows 50:80 missing: no part covers them
              rows 100:120 are in two parts: \(gapped[1].relativePath) (rows 80:120) and \(gapped[2].relativePath) (rows 100:150)
              rows 150:178 missing: no part covers them
            """)
        XCTAssertTrue(mergeError(try [part(10, 178)], into: out).hasSuffix("rows 0:10 missing: no part covers them"))
        // Read from the file, a part knows the data's row count only if it read to the end.
        let source = {
            try CSVDatasetReader.open(
                S.sampleURL(S.wine, "data.csv"), options: CSVReadOptions(labelColumn: "class", idColumn: "sample"),
                expecting: FeatureExpectation(model: model))
        }
        let fromFile = try [(0, 100), (100, 178)].map { (r: (Int, Int)) -> URL in
            let dir = base.appendingPathComponent("file-\(r.0)")
            var options = ExportOptions(directory: dir)
            options.rows = r.0..<r.1
            options.provenance = ExportProvenance(
                model: FileDigest(S.sampleURL(S.wine, "model.pt")), data: S.sampleURL(S.wine, "data.csv"),
                dataStamp: try FileStamp(of: S.sampleURL(S.wine, "data.csv")), version: "test")
            _ = try Exporter.run(model: model, source: source(), options: options)
            return dir
        }
        XCTAssertTrue(
            mergeError([fromFile[0]], into: out).hasSuffix(
                "rows 100:(end) missing: no part covers them — none read to the end of the data, so its row count is unknown"))
        XCTAssertEqual(mergeError(fromFile, into: base.appendingPathComponent("from-file")), "")
        let twice = try part(0, 178)
        XCTAssertTrue(mergeError([twice, twice], into: out).contains("rows 0:178 are in two parts"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "a refused merge writes nothing")
    }

    func testAPartFromOtherInputsOrSettingsIsNamed() throws {
        let (model, dataset) = try S.load(S.wine)
        let base = try S.scratch(self)
        // The same rows in another file: another modification time.
        let copy = base.appendingPathComponent("copy.csv")
        try FileManager.default.copyItem(at: S.sampleURL(S.wine, "data.csv"), to: copy)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1e9)], ofItemAtPath: copy.path)
        let cases: [(String, (inout ExportOptions) -> Void, URL?)] = [
            ("data file modification time (data_modified): 2001-09-09T01:46:40.000000000Z here", { _ in }, copy),
            ("--top: 7 here, 20 there", { $0.topK = 7 }, nil),
            ("--precision: double here, single there", { $0.precision = .double }, nil),
            ("--plots: with --plots here, without --plots there", { $0.plots = true }, nil),
        ]
        for (i, (message, change, data)) in cases.enumerated() {
            let dirs = try [(0, 60), (60, 120), (120, 178)].enumerated().map { p, r -> URL in
                let dir = base.appendingPathComponent("c\(i)-p\(p)")
                try export(S.wine, model, dataset, to: dir, dataURL: p == 1 ? data : nil) {
                    $0.rows = r.0..<r.1; if p == 1 { change(&$0) }
                }
                return dir
            }
            let error = mergeError(dirs, into: base.appendingPathComponent("out"))
            XCTAssertTrue(
                error.hasPrefix("\(dirs[1].relativePath): differs from the other 2 parts in its \(message)"), "\(message): \(error)")
        }
    }

    func testAChangedOrForeignPartIsRefused() throws {
        let (model, dataset) = try S.load(S.wine)
        let base = try S.scratch(self)
        let a = base.appendingPathComponent("a"), b = base.appendingPathComponent("b")
        try export(S.wine, model, dataset, to: a) { $0.rows = 0..<100 }
        try export(S.wine, model, dataset, to: b) { $0.rows = 100..<178 }
        let out = base.appendingPathComponent("out")

        let handle = try FileHandle(forWritingTo: b.appendingPathComponent("embedding.csv"))
        try handle.truncate(atOffset: 100)
        try handle.close()
        XCTAssertTrue(
            mergeError([a, b], into: out).contains("b/embedding.csv: is 100 bytes, but the part's statistics.json records"),
            mergeError([a, b], into: out))

        let stranger = base.appendingPathComponent("stranger")
        try FileManager.default.createDirectory(at: stranger, withIntermediateDirectories: false)
        XCTAssertTrue(mergeError([a, stranger], into: out).hasSuffix("stranger: is not a glassbox export (no statistics.json)"))
        XCTAssertTrue(mergeError([a, base.appendingPathComponent("nowhere")], into: out).hasSuffix("nowhere: no such directory"))

        try Data("{\"statistics_format\": \"glassbox-part-statistics\", \"format_version\": 1}".utf8).write(
            to: stranger.appendingPathComponent("statistics.json"))
        XCTAssertTrue(
            mergeError([a, stranger], into: out).contains("stranger/statistics.json: rows: missing"), mergeError([a, stranger], into: out))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testMergingIntoAPartOrItsFolderIsRefused() throws {
        let (model, dataset) = try S.load(S.wine)
        let base = try S.scratch(self)
        let parts = base.appendingPathComponent("parts")
        let a = parts.appendingPathComponent("a"), b = parts.appendingPathComponent("b")
        try export(S.wine, model, dataset, to: a) { $0.rows = 0..<100 }
        try export(S.wine, model, dataset, to: b) { $0.rows = 100..<178 }
        XCTAssertTrue(mergeError([a, b], into: a).contains("is the part"))
        XCTAssertTrue(mergeError([a, b], into: parts).contains("holds the part"))
        XCTAssertEqual(S.listing(parts), ["a", "b"])
    }

    /// A merge replaces an earlier merged export whole; a failed one leaves it as it was.
    func testAMergeReplacesAnEarlierOneWholeOrNotAtAll() throws {
        let (model, dataset) = try S.load(S.wine)
        let base = try S.scratch(self)
        let a = base.appendingPathComponent("a"), b = base.appendingPathComponent("b")
        try export(S.wine, model, dataset, to: a) {
            $0.rows = 0..<100; $0.plots = true
        }
        try export(S.wine, model, dataset, to: b) {
            $0.rows = 100..<178; $0.plots = true
        }
        let out = base.appendingPathComponent("out")
        _ = try ExportMerger.run(parts: [a, b], options: MergeOptions(directory: out))
        let before = try S.snapshot(out)
        try FileManager.default.removeItem(at: b.appendingPathComponent("top_features.csv"))
        XCTAssertTrue(mergeError([a, b], into: out).contains("top_features.csv: missing"))
        XCTAssertEqual(try S.snapshot(out), before)
        XCTAssertEqual(S.listing(base).filter { $0.hasPrefix(".out.glassbox-") }, [])
    }
}
