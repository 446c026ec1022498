import Foundation
import XCTest

/// `--feature-sets` on `export` and `verify` as a user runs them.
final class FeatureSetCommandTests: XCTestCase {
    let pbmc = SampleArguments.pbmc, wine = SampleArguments.wine

    func scratch() throws -> URL { try scratchDirectory("sets") }

    func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testExportWithTheBundledMarkers() throws {
        let out = try scratch().appendingPathComponent("out")
        let r = try CLI.run(["export"] + pbmc + ["--out", out.path, "--quiet", "--feature-sets", "SampleData/pbmc68k/markers.gmt"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(
            listing(out),
            [
                "contributions.npy", "embedding.csv", "group_set_sums.npy", "group_sums.npy", "groups.csv", "groups_sets.csv",
                "pca_contributions.npy", "set_contributions.npy", "sets.csv", "statistics.json", "top_features.csv",
                "top_sets.csv", "verification.json",
            ])
        XCTAssertTrue(
            r.stderr.contains("glassbox: SampleData/pbmc68k/markers.gmt: 10 feature sets; members found: B cells 3/3, T cells 1/1"),
            r.stderr)
        XCTAssertTrue(r.stderr.contains("the 10 sets do not overlap; with the 734 features in no set"), r.stderr)
        XCTAssertFalse(r.stderr.contains("warning"), r.stderr)
        XCTAssertTrue(r.stdout.contains("set_contributions.npy"), r.stdout)
        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("verification.json"))) as? [String: Any])
        let sets = try XCTUnwrap(json["feature_sets"] as? [String: Any])
        XCTAssertEqual(sets["passed"] as? Bool, true)
        XCTAssertEqual((sets["sha256"] as? String)?.count, 64)
    }

    func testVerifyReportsThePartitionCheck() throws {
        let dir = try scratch()
        let gmt = try write(
            "acids\tna\tmalic_acid\tnonflavanoid_phenols\nphenols\tna\ttotal_phenols\tflavanoids\tmissing_one\n\nnothing\tna\tfoo\n",
            "wine.gmt", in: dir)
        let r = try CLI.run(["verify"] + wine + ["--quiet", "--feature-sets", gmt])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("feature_sets          \(gmt): the 3 sets do not overlap; with the 9 features in no set"), r.stdout)
        XCTAssertTrue(r.stdout.contains("sets_relative_error"), r.stdout)
        XCTAssertTrue(r.stderr.contains("members found: acids 2/2, phenols 2/3, nothing 0/1"), r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: \(gmt): 1 set has no member among the model's 13 features: 'nothing' (line 4)"), r.stderr)

        let json = try CLI.run(["verify"] + wine + ["--quiet", "--json", "--feature-sets", gmt])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let sets = try XCTUnwrap(object["feature_sets"] as? [String: Any])
        XCTAssertEqual(sets["partition"] as? Bool, true)
        XCTAssertEqual(sets["remainder_features"] as? Int, 9)

        // A table, ignoring case; overlapping sets are said to overlap.
        let csv = try write("set,feature\nacids,MALIC_ACID\nall acids,malic_acid\n", "sets.csv", in: dir)
        let sensitive = try CLI.run(["verify"] + wine + ["--quiet", "--feature-sets", csv])
        XCTAssertEqual(sensitive.status, 0, sensitive.stderr)
        XCTAssertTrue(sensitive.stderr.contains("1 set has no member among the model's 13 features: 'acids' (line 2)"), sensitive.stderr)
        let insensitive = try CLI.run(["verify"] + wine + ["--quiet", "--feature-sets", csv, "--feature-sets-ignore-case"])
        XCTAssertEqual(insensitive.status, 0, insensitive.stderr)
        XCTAssertTrue(insensitive.stdout.contains("the 2 sets overlap (1 feature is in more than one)"), insensitive.stdout)
    }

    func testBadSetFilesExitTwoAndWriteNothing() throws {
        let dir = try scratch()
        let cases: [(String, String, String)] = [
            (
                "a\tna\tmalic_acid\nno tab\n", "bad.gmt",
                "bad.gmt:2: found 'no tab' with no tab, expected name<TAB>description<TAB>feature<TAB>…"
            ),
            ("a\tna\tmalic_acid\n\ta\thue\n", "empty.gmt", "empty.gmt:2: found an empty set name"),
            (
                "a\tna\tmalic_acid\na\tna\thue\n", "twice.gmt",
                "twice.gmt:2: found the set name 'a' again (first on line 1), expected each set once"
            ),
            (
                "a\tna\tCD3D\tCD3E\n", "human.gmt",
                "human.gmt:1: found none of the 2 listed features (the first, 'CD3D') among the model's 13 features"
            ),
        ]
        for (text, name, message) in cases {
            let path = try write(text, name, in: dir)
            let out = dir.appendingPathComponent("out-\(name)")
            let r = try CLI.run(["export"] + wine + ["--out", out.path, "--quiet", "--feature-sets", path])
            XCTAssertEqual(r.status, 2, name)
            XCTAssertTrue(r.stderr.contains("glassbox: error: \(dir.path)/\(message)"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(name): nothing written")
        }
        let missing = try CLI.run(["verify"] + wine + ["--feature-sets", dir.appendingPathComponent("none.gmt").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("none.gmt: no such file"), missing.stderr)
    }

    func testHelpNamesTheSetFiles() throws {
        let export = try CLI.run(["export", "--help"])
        XCTAssertTrue(export.stdout.contains("--feature-sets <path>"), export.stdout)
        XCTAssertTrue(export.stdout.contains("set_contributions.npy"), export.stdout)
        let verify = try CLI.run(["verify", "--help"])
        XCTAssertTrue(verify.stdout.contains("--feature-sets <path>"), verify.stdout)
        XCTAssertTrue(verify.stdout.contains("sets_relative_error"), verify.stdout)
    }
}
