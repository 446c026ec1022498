import Foundation
import XCTest

/// `glassbox export` (and `verify`'s shared flags) as a user runs them.
final class ExportCommandTests: XCTestCase {
    let pbmc = SampleArguments.pbmc, wine = SampleArguments.wine

    func scratch() throws -> URL { try scratchDirectory("export") }

    func npyBody(_ url: URL) throws -> Data {
        let data = try Data(contentsOf: url)
        return data.subdata(in: (10 + (Int(data[8]) | Int(data[9]) << 8))..<data.count)
    }

    func testExportWritesEveryFileAndOneSummaryLine() throws {
        let out = try scratch().appendingPathComponent("new/dir")
        let r = try CLI.run(["export"] + pbmc + ["--out", out.path, "--plots", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(
            listing(out),
            [
                "contributions.npy", "embedding.csv", "embedding.svg", "group_sums.npy", "groups.csv", "groups.svg",
                "pca_contributions.npy", "statistics.json", "top_features.csv", "verification.json",
            ])
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stdout)
        XCTAssertTrue(r.stdout.hasPrefix("exported 700 samples × 2 components × 765 features"), r.stdout)
        XCTAssertTrue(r.stdout.contains("PASS"), r.stdout)
        XCTAssertFalse(r.stderr.contains("█"), "no progress bar when stderr is not a terminal")

        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("verification.json"))) as? [String: Any])
        XCTAssertEqual(json["data_file"] as? String, "SampleData/pbmc68k/data.csv")
        XCTAssertEqual(json["model_file"] as? String, "SampleData/pbmc68k/model.pt")
        XCTAssertNil(json["data_sha256"], "hashing the whole data file is opt-in")
        XCTAssertEqual(
            json["data_size"] as? Int,
            try FileManager.default.attributesOfItem(atPath: "\(CLI.packageRoot.path)/SampleData/pbmc68k/data.csv")[.size] as? Int)
        XCTAssertEqual((json["data_rows_hash"] as? String)?.count, 64)
        XCTAssertEqual((json["model_sha256"] as? String)?.count, 64)
        XCTAssertNotNil(json["glassbox_version"] as? String)
        XCTAssertEqual(json["n_samples"] as? Int, 700)
    }

    /// An encoder directory is hashed file by file, so its export records a digest too, and
    /// its contributions equal the .pt export's bit for bit.
    func testExportFromAnEncoderDirectoryModel() throws {
        let dir = try scratch()
        let encoder = dir.appendingPathComponent("wine-encoder")
        let converted = try CLI.run(["convert", "SampleData/wine/model.pt", encoder.path])
        XCTAssertEqual(converted.status, 0, converted.stderr)
        var fromDirectory = wine
        fromDirectory[1] = encoder.path
        for (args, out) in [(wine, "pt"), (fromDirectory, "directory")] {
            let r = try CLI.run(["export"] + args + ["--out", dir.appendingPathComponent(out).path, "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        XCTAssertEqual(
            try npyBody(dir.appendingPathComponent("pt/contributions.npy")),
            try npyBody(dir.appendingPathComponent("directory/contributions.npy")))
        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("directory/verification.json")))
                as? [String: Any])
        XCTAssertEqual((json["model_sha256"] as? String)?.count, 64)
    }

    func testFormatCSVAndDoublePrecision() throws {
        let out = try scratch()
        let r = try CLI.run(["export"] + wine + ["--out", out.path, "--format", "csv", "--precision", "double", "--top", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(
            listing(out),
            [
                "contributions.csv", "embedding.csv", "group_sums.npy", "groups.csv", "statistics.json", "top_features.csv",
                "verification.json",
            ])
        let top = try String(contentsOf: out.appendingPathComponent("top_features.csv"), encoding: .utf8)
        XCTAssertEqual(top.split(separator: "\n").count, 178 * 3 + 1)
        let long = try String(contentsOf: out.appendingPathComponent("contributions.csv"), encoding: .utf8)
        XCTAssertEqual(long.split(separator: "\n").count, 178 * 2 * 13 + 1)
    }

    func testRowSlicesConcatenateToTheWhole() throws {
        let base = try scratch()
        func export(_ extra: [String], _ name: String) throws -> URL {
            let out = base.appendingPathComponent(name)
            let r = try CLI.run(["export"] + wine + ["--out", out.path] + extra)
            XCTAssertEqual(r.status, 0, r.stderr)
            return out
        }
        let whole = try export([], "whole")
        let parts = try [export(["--rows", "0:100"], "a"), export(["--rows", "100:178"], "b")]
        let joined = try parts.reduce(into: Data()) { $0.append(try npyBody($1.appendingPathComponent("contributions.npy"))) }
        XCTAssertEqual(try npyBody(whole.appendingPathComponent("contributions.npy")), joined)
        let r = try CLI.run(["verify"] + wine + ["--rows", "100:178", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(obj["n_samples"] as? Int, 78)
    }

    func testBadFlagsExitTwoNamingTheFlagAndWriteNothing() throws {
        let base = try scratch()
        let cases: [([String], String)] = [
            (["--rows", "0:701"], "--rows"),
            (["--rows", "5:5"], "--rows"),
            (["--rows", "-3:5"], "--rows"),
            (["--rows", "ten"], "--rows"),
            (["--top", "0"], "--top"),
            (["--format", "parquet"], "parquet"),
        ]
        for (i, (extra, mention)) in cases.enumerated() {
            let out = base.appendingPathComponent("out\(i)")
            let r = try CLI.run(["export"] + pbmc + ["--out", out.path] + extra)
            XCTAssertEqual(r.status, 2, "\(extra): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(mention), "\(extra) should mention \(mention): \(r.stderr)")
            XCTAssertEqual(listing(out), [], "\(extra) left files")
        }
        let r = try CLI.run(["verify"] + pbmc + ["--rows", "600:800"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--rows"), r.stderr)
    }

    func testToleranceMissExitsOneWithTheFilesWritten() throws {
        let out = try scratch()
        let r = try CLI.run(["export"] + wine + ["--out", out.path, "--tolerance", "0"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("FAIL"), r.stdout)
        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("verification.json"))) as? [String: Any])
        XCTAssertEqual(json["passed"] as? Bool, false)
    }

    /// Ctrl-C (and SIGTERM) mid-export: exit 128 + signal, and nothing left — neither at --out
    /// nor staged beside it.
    func testInterruptLeavesNoFiles() throws {
        let base = try scratch()
        // Large enough that the export is still running when the signal comes.
        let data = try CLI.repeatedSample(copies: 10, in: base)

        for (sig, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let out = base.appendingPathComponent("out-\(sig)")
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = [
                "export", "--model", "SampleData/pbmc68k/model.pt", "--data", data.path, "--id-column", "cell",
                "--label-column", "bulk_labels", "--out", out.path, "--threads", "1", "--chunk-size", "96", "--quiet",
            ]
            process.currentDirectoryURL = CLI.packageRoot
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait for the staging directory's first file, i.e. for the export to be under way.
            let deadline = Date().addingTimeInterval(60)
            func staged() -> Bool {
                listing(base).contains {
                    $0.hasPrefix(".out-\(sig).glassbox-") && !$0.hasSuffix(".lock") && !listing(base.appendingPathComponent($0)).isEmpty
                }
            }
            while !staged(), process.isRunning, Date() < deadline {
                usleep(2_000)
            }
            XCTAssertTrue(process.isRunning, "the export finished before it could be interrupted")
            kill(process.processIdentifier, sig)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit)
            XCTAssertEqual(process.terminationStatus, status)
            XCTAssertEqual(listing(out), [], "signal \(sig) left files")
            XCTAssertEqual(listing(base).filter { $0.hasPrefix(".out-") }, [], "signal \(sig) left its staging directory")
        }
    }
}
