import Foundation
import XCTest

final class InspectVerifyTests: XCTestCase {
    let model = "SampleData/pbmc68k/model.pt", data = "SampleData/pbmc68k/data.csv"

    func testInspectShowsLayersAndDimensions() throws {
        let r = try CLI.run(["inspect", "--model", model])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("765 features"), r.stdout)
        XCTAssertTrue(r.stdout.contains("765 → 50 components"), r.stdout)
        XCTAssertTrue(r.stdout.contains("LayerNormDetached"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Dropout"), r.stdout)
        XCTAssertTrue(r.stdout.contains("n_neighbors"), r.stdout)
    }

    func testInspectJSONIsOneObject() throws {
        let r = try CLI.run(["inspect", "--model", "SampleData/wine/model.pt", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(obj["input_dim"] as? Int, 13)
        XCTAssertTrue(obj["pca_dim"] is NSNull)
        XCTAssertEqual(obj["output_dim"] as? Int, 2)
        // 13·128 + 1 + 128 + 128·128 + 1 + 128 + 128·128 + 1 + 128·2
        XCTAssertEqual(obj["parameter_count"] as? Int, 13 * 128 + 1 + 128 + 128 * 128 + 1 + 128 + 128 * 128 + 1 + 128 * 2)
        XCTAssertEqual((obj["layers"] as? [Any])?.count, 12)
    }

    func testVerifyJSONPassesOnBothSamples() throws {
        for (sample, id, label) in [("pbmc68k", "cell", "bulk_labels"), ("wine", "sample", "class")] {
            for precision in ["single", "double"] {
                let r = try CLI.run([
                    "verify", "--model", "SampleData/\(sample)/model.pt", "--data", "SampleData/\(sample)/data.csv",
                    "--id-column", id, "--label-column", label, "--precision", precision, "--json",
                ])
                XCTAssertEqual(r.status, 0, r.stderr)
                let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
                XCTAssertEqual(
                    Set(obj.keys),
                    [
                        "z_range", "reconstruction_range", "max_error", "mean_error", "relative_error",
                        "n_samples", "n_non_finite", "tolerance", "passed", "precision",
                    ])
                XCTAssertEqual(obj["passed"] as? Bool, true)
                XCTAssertEqual(obj["precision"] as? String, precision)
                let relative = try XCTUnwrap(obj["relative_error"] as? Double)
                XCTAssertLessThan(relative, precision == "double" ? 1e-12 : 1e-5)
            }
        }
    }

    func testVerifyExitsOneWhenToleranceIsNotMet() throws {
        let r = try CLI.run(["verify", "--model", model, "--data", data, "--tolerance", "0"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("FAIL"), r.stdout)
    }

    /// One cell of 3e38 overflows float32: verify fails (exit 1), names the sample and says
    /// double precision helps; with --precision double it passes.
    func testVerifyFailsOnNonFiniteResults() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let wine = try String(contentsOf: CLI.packageRoot.appendingPathComponent("SampleData/wine/data.csv"), encoding: .utf8)
        var lines = wine.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        lines[5][5] = "3e38"
        let csv = tmp.appendingPathComponent("overflow.csv")
        try Data((lines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n").utf8).write(to: csv)
        let args = ["verify", "--model", "SampleData/wine/model.pt", "--data", csv.path, "--id-column", "sample", "--quiet"]

        let text = try CLI.run(args)
        XCTAssertEqual(text.status, 1, text.stdout + text.stderr)
        XCTAssertTrue(text.stdout.contains("1 sample is not finite: FAIL"), text.stdout)
        XCTAssertTrue(text.stdout.contains("has a NaN or infinite result: wine-005"), text.stdout)
        XCTAssertTrue(text.stdout.contains("--precision double gives finite results"), text.stdout)
        let json = try CLI.run(args + ["--json"])
        XCTAssertEqual(json.status, 1)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], json.stdout)
        XCTAssertEqual(obj["passed"] as? Bool, false)
        XCTAssertEqual((obj["non_finite"] as? [String: Any])?["rows"] as? [Int], [4])
        XCTAssertEqual(try CLI.run(args + ["--precision", "double"]).status, 0)
    }

    func testUnusableInputsExitTwoWithAMessageNamingTheFile() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let notAModel = tmp.appendingPathComponent("model.pt")
        try Data("hello".utf8).write(to: notAModel)
        // The wine sample's header and first row, then a row cut short.
        let wine = try String(contentsOf: CLI.packageRoot.appendingPathComponent("SampleData/wine/data.csv"), encoding: .utf8)
        let lines = wine.split(separator: "\n", omittingEmptySubsequences: false)
        let ragged = tmp.appendingPathComponent("ragged.csv")
        try Data((lines[0...1].joined(separator: "\n") + "\nwine-x,class_0,1.5,2.5\n").utf8).write(to: ragged)

        let cases: [([String], String)] = [
            (["inspect", "--model", tmp.appendingPathComponent("missing.pt").path], "missing.pt"),
            (["inspect", "--model", notAModel.path], "model.pt"),
            (["verify", "--model", "SampleData/wine/model.pt", "--data", ragged.path], "ragged.csv:3"),
            (["verify", "--model", "SampleData/wine/model.pt", "--data", data], "data.csv"),
            (["verify", "--model", model, "--data", data, "--precision", "triple"], "triple"),
            (["verify", "--model", model, "--data", data, "--tolerance", "-1"], "tolerance"),
        ]
        for (args, mention) in cases {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(mention), "\(args) should mention \(mention): \(r.stderr)")
            XCTAssertTrue(r.stdout.isEmpty, "\(args) printed \(r.stdout)")
        }
    }
}
