import Foundation
import XCTest

/// The commands on `.h5ad` data, as a user runs them: the same results as the CSV of the same
/// cells, flags that only make sense for one format, and damaged files.
final class AnnDataCommandTests: XCTestCase {
    let model = ["--model", "SampleData/pbmc68k/model.pt"]
    let csv = ["--data", "SampleData/pbmc68k/data.csv", "--id-column", "cell", "--label-column", "bulk_labels"]
    let h5ad = ["--data", "SampleData/pbmc68k/data.h5ad", "--label-column", "bulk_labels"]

    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-cli-h5ad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testExportOfTheH5adEqualsTheCSVsFileForFile() throws {
        let dir = try scratch()
        for (data, name) in [(csv, "csv"), (h5ad, "h5ad")] {
            let r = try CLI.run(["export"] + model + data + ["--out", dir.appendingPathComponent(name).path, "--plots", "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        for file in ["contributions.npy", "pca_contributions.npy", "embedding.csv", "top_features.csv", "groups.csv"] {
            XCTAssertEqual(
                try Data(contentsOf: dir.appendingPathComponent("csv/\(file)")),
                try Data(contentsOf: dir.appendingPathComponent("h5ad/\(file)")), file)
        }
        for file in ["embedding.svg", "groups.svg"] {  // the plots name their data file
            XCTAssertEqual(
                try String(contentsOf: dir.appendingPathComponent("csv/\(file)"), encoding: .utf8),
                try String(contentsOf: dir.appendingPathComponent("h5ad/\(file)"), encoding: .utf8)
                    .replacingOccurrences(of: "data.h5ad", with: "data.csv"), file)
        }
    }

    func testRowsOfTheH5adEqualTheSameRowsOfTheCSV() throws {
        let dir = try scratch()
        for (data, name) in [(csv, "csv"), (h5ad, "h5ad")] {
            let r = try CLI.run(
                ["export"] + model + data + ["--rows", "100:333", "--out", dir.appendingPathComponent(name).path, "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        for file in ["contributions.npy", "embedding.csv"] {
            XCTAssertEqual(
                try Data(contentsOf: dir.appendingPathComponent("csv/\(file)")),
                try Data(contentsOf: dir.appendingPathComponent("h5ad/\(file)")), file)
        }
    }

    func testRecognizedByContentNotByName() throws {
        let dir = try scratch()
        let renamed = dir.appendingPathComponent("cells.dat")
        try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("SampleData/pbmc68k/data.h5ad"), to: renamed)
        let r = try CLI.run(["verify"] + model + ["--data", renamed.path, "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("700 from \(renamed.path)"), r.stdout)
    }

    func testFlagsForTheOtherFormat() throws {
        var r = try CLI.run(["verify"] + model + csv + ["--layer", "counts", "--quiet"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(
            r.stderr.contains("SampleData/pbmc68k/data.csv: --layer counts: found a CSV file, expected an AnnData .h5ad file"), r.stderr)
        r = try CLI.run(["verify"] + model + h5ad + ["--layer", "counts", "--quiet"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(
            r.stderr.contains(
                "SampleData/pbmc68k/data.h5ad:/layers/counts: found no layer 'counts' (--layer), expected one of the file's layers: it has none"
            ), r.stderr)
    }

    func testAMaskOfTheWrongWidth() throws {
        // pbmc68k's var marks its highly variable genes; the model takes all 765.
        let r = try CLI.run(["verify"] + model + h5ad + ["--features", "highly_variable", "--quiet"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("SampleData/pbmc68k/data.h5ad:/var/highly_variable: marks "), r.stderr)
        XCTAssertTrue(r.stderr.contains("features, expected 765 (the model's input width)"), r.stderr)
    }

    /// Bytes overwritten across the file: every run reads (a damaged value can still be a
    /// number) or exits 2 naming the file — none dies of a signal, even where libhdf5 itself
    /// reads out of bounds (a corrupted global heap), which the fault guard reports.
    func testDamagedFilesExit2NamingTheFile() throws {
        let dir = try scratch()
        let original = [UInt8](try Data(contentsOf: CLI.packageRoot.appendingPathComponent("SampleData/pbmc68k/data.h5ad")))
        var state: UInt64 = 5
        var refused = 0
        for trial in 0..<40 {
            var bytes = original
            for _ in 0..<8 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                // Half of the damage in the first 40 KB, where anndata puts obs, var and the heaps' start.
                let range = state >> 63 == 0 ? bytes.count : min(bytes.count, 40_000)
                bytes[Int((state >> 20) % UInt64(range))] = UInt8(truncatingIfNeeded: state >> 12)
            }
            let url = dir.appendingPathComponent("damaged-\(trial).h5ad")
            try Data(bytes).write(to: url)
            let r = try CLI.run(["verify"] + model + ["--data", url.path, "--quiet"])
            XCTAssertTrue([0, 1, 2].contains(r.status), "trial \(trial): status \(r.status): \(r.stderr)")
            if r.status == 2 {
                refused += 1
                XCTAssertTrue(r.stderr.contains("glassbox: error: \(url.path)"), "trial \(trial): \(r.stderr)")
            }
        }
        XCTAssertGreaterThan(refused, 5)
    }
}
