import Foundation
import XCTest

final class ConvertTests: XCTestCase {
    private var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-convert-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    private func path(_ name: String) -> String { tmp.appendingPathComponent(name).path }

    /// `.pt` → safetensors → directory → safetensors: identical safetensors bytes, and
    /// identical `verify` and `inspect` results from all four.
    func testConvertChainPreservesTheModelAndVerifyResults() throws {
        for (sample, id, label) in [("wine", "sample", "class"), ("pbmc68k", "cell", "bulk_labels")] {
            let pt = "SampleData/\(sample)/model.pt"
            let st = path("\(sample).safetensors"), dir = path("\(sample)-dir"), st2 = path("\(sample)-2.safetensors")
            for (from, to) in [(pt, st), (st, dir), (dir, st2)] {
                let r = try CLI.run(["convert", from, to])
                XCTAssertEqual(r.status, 0, r.stderr)
                XCTAssertTrue(r.stdout.hasPrefix("wrote \(to)"), r.stdout)
            }
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: st)), try Data(contentsOf: URL(fileURLWithPath: st2)))
            var verifyOutputs: [String] = []
            var inspectOutputs: [String] = []
            for model in [pt, st, dir, st2] {
                let v = try CLI.run([
                    "verify", "--model", model, "--data", "SampleData/\(sample)/data.csv",
                    "--id-column", id, "--label-column", label, "--precision", "double", "--json",
                ])
                XCTAssertEqual(v.status, 0, v.stderr)
                verifyOutputs.append(v.stdout)
                let i = try CLI.run(["inspect", "--model", model, "--json"])
                XCTAssertEqual(i.status, 0, i.stderr)
                // Everything but the file name is the same.
                inspectOutputs.append(i.stdout.replacingOccurrences(of: model, with: "MODEL"))
            }
            XCTAssertEqual(Set(verifyOutputs).count, 1, "\(sample): verify differs between formats: \(verifyOutputs)")
            XCTAssertEqual(Set(inspectOutputs).count, 1, "\(sample): inspect differs between formats")
        }
    }

    /// Feature names stored by `--feature-names` let `verify` match dataset columns by name,
    /// whatever their order in the CSV.
    func testFeatureNamesAreStoredAndMatchColumnsByName() throws {
        let csv = try String(contentsOfFile: CLI.packageRoot.appendingPathComponent("SampleData/wine/data.csv").path, encoding: .utf8)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let features = Array(rows[0].dropFirst(2))
        try (features.joined(separator: "\n") + "\n").write(toFile: path("names.txt"), atomically: true, encoding: .utf8)
        // Reverse the feature columns and move the id/label columns to the end.
        let shuffled = rows.map { (Array($0.dropFirst(2).reversed()) + $0.prefix(2)).joined(separator: ",") }.joined(separator: "\n") + "\n"
        try shuffled.write(toFile: path("shuffled.csv"), atomically: true, encoding: .utf8)

        let st = path("wine.safetensors")
        let r = try CLI.run(["convert", "SampleData/wine/model.pt", st, "--feature-names", path("names.txt")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("with feature names"), r.stdout)
        let i = try CLI.run(["inspect", "--model", st, "--json"])
        XCTAssertTrue(i.stdout.contains("alcohol"), i.stdout)

        let args = ["--id-column", "sample", "--label-column", "class", "--precision", "double", "--json"]
        let original = try CLI.run(["verify", "--model", "SampleData/wine/model.pt", "--data", "SampleData/wine/data.csv"] + args)
        let byName = try CLI.run(["verify", "--model", st, "--data", path("shuffled.csv")] + args)
        XCTAssertEqual(byName.status, 0, byName.stderr)
        XCTAssertEqual(byName.stdout, original.stdout, "columns matched by name give the same result")

        // The names carry over to further conversions.
        let dir = path("wine-dir")
        XCTAssertEqual(try CLI.run(["convert", st, dir]).status, 0)
        let json = try String(contentsOfFile: dir + "/encoder.json", encoding: .utf8)
        XCTAssertTrue(json.contains("\"feature_names\": [\"alcohol\", \"malic_acid\""), json)
    }

    func testConvertRefusals() throws {
        let st = path("m.safetensors")
        XCTAssertEqual(try CLI.run(["convert", "SampleData/wine/model.pt", st]).status, 0)
        try "a\nb\n".write(toFile: path("two.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: path("precious"), withIntermediateDirectories: true)
        try "keep".write(toFile: path("precious/notes.txt"), atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["convert", "SampleData/wine/model.pt", st], "m.safetensors: already exists; pass --force to replace it"),
            (
                ["convert", "SampleData/wine/model.pt", path("out"), "--feature-names", path("two.txt")],
                "two.txt: lists 2 feature names but the model has 13 features"
            ),
            (["convert", "SampleData/wine/model.pt", path("out"), "--feature-names", path("missing.txt")], "missing.txt: no such file"),
            (["convert", path("nothing.pt"), path("out")], "nothing.pt: no such file"),
            (["convert", "SampleData/wine/model.pt", path("precious"), "--force"], "not an encoder directory"),
            (["convert", "SampleData/wine/model.pt", path("no/such/dir.safetensors")], "does not exist"),
        ]
        for (args, mention) in cases {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(mention), "\(args) should mention \(mention): \(r.stderr)")
            XCTAssertTrue(r.stdout.isEmpty, "\(args) printed \(r.stdout)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out")), "a failed convert leaves nothing behind")
        XCTAssertEqual(try String(contentsOfFile: path("precious/notes.txt"), encoding: .utf8), "keep")
        // --force replaces a model file.
        let r = try CLI.run(["convert", "SampleData/pbmc68k/model.pt", st, "--force"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(try CLI.run(["inspect", "--model", st]).stdout.contains("765 features"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.contains("glassbox-") }, [])
    }

    /// `convert --force` onto an encoder directory replaces the model's files, never files
    /// someone put beside them (it used to delete the whole directory).
    func testForceOntoAnEncoderDirectoryKeepsUnrelatedFiles() throws {
        let dir = path("encoder")
        XCTAssertEqual(try CLI.run(["convert", "SampleData/wine/model.pt", dir]).status, 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        try "my notes".write(toFile: dir + "/README.txt", atomically: true, encoding: .utf8)
        let refused = try CLI.run(["convert", "SampleData/pbmc68k/model.pt", dir, "--force"])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(
            refused.stderr.contains("encoder: is an encoder directory that also holds 'README.txt', which is not part of the model"),
            refused.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir + "/README.txt", encoding: .utf8), "my notes")
        XCTAssertTrue(try CLI.run(["inspect", "--model", dir]).stdout.contains("13 features"), "the old model is intact")

        // Through a link to it, the same.
        try FileManager.default.createSymbolicLink(atPath: path("link"), withDestinationPath: dir)
        let viaLink = try CLI.run(["convert", "SampleData/pbmc68k/model.pt", path("link"), "--force"])
        XCTAssertEqual(viaLink.status, 2, viaLink.stderr)
        XCTAssertTrue(viaLink.stderr.contains("which is not part of the model"), viaLink.stderr)
        XCTAssertEqual(try String(contentsOfFile: dir + "/README.txt", encoding: .utf8), "my notes")

        try FileManager.default.removeItem(atPath: dir + "/README.txt")
        let replaced = try CLI.run(["convert", "SampleData/pbmc68k/model.pt", dir, "--force"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(try CLI.run(["inspect", "--model", dir]).stdout.contains("765 features"))
        XCTAssertNotEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), before, "pbmc68k has PCA tensors wine lacks")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { $0.contains("glassbox-") }, [])
    }

    /// `export` computes the same numbers from a converted model.
    func testExportFromSafetensorsMatchesThePtExport() throws {
        let st = path("wine.safetensors")
        XCTAssertEqual(try CLI.run(["convert", "SampleData/wine/model.pt", st]).status, 0)
        for (model, out) in [("SampleData/wine/model.pt", path("from-pt")), (st, path("from-st"))] {
            let r = try CLI.run(["export", "--model", model, "--data", "SampleData/wine/data.csv", "--out", out, "--quiet"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        for file in ["embedding.csv", "contributions.npy"] {
            XCTAssertEqual(
                try Data(contentsOf: URL(fileURLWithPath: path("from-pt/" + file))),
                try Data(contentsOf: URL(fileURLWithPath: path("from-st/" + file))), file)
        }
    }

    func testHelpDescribesTheFormats() throws {
        let r = try CLI.run(["convert", "--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("--feature-names"), r.stdout)
        XCTAssertTrue(r.stdout.contains("encoder directory"), r.stdout)
    }
}
