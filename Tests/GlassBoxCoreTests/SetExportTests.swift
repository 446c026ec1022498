import Foundation
import XCTest
@testable import GlassBoxCore

private typealias S = ExportSupport

/// `glassbox export --feature-sets` in the core: sets.csv, set_contributions.npy, top_sets.csv
/// and groups_sets.csv against what contributions.npy implies, slices, CSV form, verification.
final class SetExportTests: XCTestCase {
    /// Disjoint sets of the wine features; alcohol, malic_acid and proline are in none.
    static let wineSets = """
        PHENOLICS\tpolyphenols\ttotal_phenols\tflavanoids\tnonflavanoid_phenols\tproanthocyanins\tod280/od315_of_diluted_wines
        COLOUR\tcolour and hue\tcolor_intensity\thue\ttannin
        MINERALS\tash and magnesium\tash\talcalinity_of_ash\tmagnesium

        """

    func wine(_ text: String = wineSets) throws -> (GlassBoxModel, Dataset, FeatureSets) {
        let (model, dataset) = try S.load(S.wine)
        let sets = try FeatureSets(FeatureSetFile.parse(Data(text.utf8), file: "wine.gmt"), featureNames: dataset.featureNames)
        return (model, dataset, sets)
    }

    func testSetFilesHoldTheSumsOfTheFeatureContributions() throws {
        let (model, dataset, sets) = try wine()
        let dir = try S.scratch(self)
        let result = try S.export(model, dataset, to: dir) {
            $0.featureSets = sets; $0.chunkSize = 96; $0.topK = 3
        }
        XCTAssertTrue(result.report.passed)
        XCTAssertEqual(
            S.listing(dir),
            [
                "contributions.npy", "embedding.csv", "group_set_sums.npy", "group_sums.npy", "groups.csv", "groups_sets.csv",
                "set_contributions.npy", "sets.csv", "statistics.json", "top_features.csv", "top_sets.csv", "verification.json",
            ])
        let n = dataset.sampleCount, m = model.outputCount, d = model.featureCount, width = 4

        XCTAssertEqual(
            try S.readCSV(dir.appendingPathComponent("sets.csv")),
            [
                ["set", "description", "size", "members_found"],
                ["PHENOLICS", "polyphenols", "5", "5"],
                ["COLOUR", "colour and hue", "3", "2"],
                ["MINERALS", "ash and magnesium", "3", "3"],
                ["(not in any set)", "features in no set", "3", "3"],
            ])

        // set_contributions.npy: the plain sums of contributions.npy's float32 values, bit for bit.
        let c = try NPY.read(dir.appendingPathComponent("contributions.npy"))
        let sc = try NPY.read(dir.appendingPathComponent("set_contributions.npy"))
        XCTAssertEqual(sc.dtype, .float32)
        XCTAssertEqual(sc.shape, [n, m, width])
        var expected: [Float] = []
        for i in 0..<n {
            for j in 0..<m {
                for set in sets.sets {
                    var sum: Float = 0
                    for f in set.members { sum += Float(c.values[(i * m + j) * d + f]) }
                    expected.append(sum)
                }
            }
        }
        XCTAssertEqual(sc.values.map { Float($0) }, expected)

        // top_sets.csv: each sample's 3 sets with the largest L2, largest first.
        let top = try S.readCSV(dir.appendingPathComponent("top_sets.csv"))
        XCTAssertEqual(top[0], ["id", "label", "rank", "set", "l2", "contribution_z1", "contribution_z2"])
        XCTAssertEqual(top.count, 1 + 3 * n)
        func l2(_ i: Int, _ s: Int) -> Float {
            (0..<m).reduce(Float(0)) { $0 + expected[(i * m + $1) * width + s] * expected[(i * m + $1) * width + s] }.squareRoot()
        }
        for i in 0..<n {
            let lines = top[(1 + 3 * i)...(3 * i + 3)]
            let ranked = (0..<width).sorted { l2(i, $0) > l2(i, $1) }
            XCTAssertEqual(lines.map { $0[3] }, ranked.prefix(3).map { sets.names[$0] }, "sample \(i)")
            for (line, s) in zip(lines, ranked) {
                XCTAssertEqual(line[0], dataset.ids[i])
                XCTAssertEqual(Float(line[4])!, l2(i, s), accuracy: 1e-6 * max(1, l2(i, s)))
                XCTAssertEqual((0..<m).map { Float(line[5 + $0])! }, (0..<m).map { expected[(i * m + $0) * width + s] })
            }
        }

        // groups_sets.csv: per class, the sets by mean L2, with their share and mean signed contribution.
        let groups = try S.readCSV(dir.appendingPathComponent("groups_sets.csv"))
        XCTAssertEqual(
            groups[0], ["label", "n_samples", "rank", "set", "mean_l2", "share", "mean_contribution_z1", "mean_contribution_z2"])
        let labels = dataset.labels!
        XCTAssertEqual(groups.count, 1 + 3 * labels.categories.count)
        for (g, label) in labels.categories.enumerated() {
            let members = (0..<n).filter { labels.codes[$0] == g }
            let mean = (0..<width).map { s in members.reduce(0.0) { $0 + Double(l2($1, s)) } / Double(members.count) }
            let lines = groups.dropFirst().filter { $0[0] == label }
            XCTAssertEqual(lines.map { $0[1] }, Array(repeating: "\(members.count)", count: 3))
            XCTAssertEqual(lines.map { $0[3] }, (0..<width).sorted { mean[$0] > mean[$1] }.prefix(3).map { sets.names[$0] })
            for line in lines {
                let s = sets.names.firstIndex(of: line[3])!
                XCTAssertEqual(Double(line[4])!, mean[s], accuracy: 1e-6 * mean[s])
                XCTAssertEqual(Double(line[5])!, mean[s] / mean.reduce(0, +), accuracy: 1e-6)
                let signed = members.reduce(0.0) { $0 + Double(expected[($1 * m) * width + s]) } / Double(members.count)
                XCTAssertEqual(Double(line[6])!, signed, accuracy: 1e-6 * max(1, abs(signed)))
            }
        }

        // verification.json: the partition check.
        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("verification.json"))) as? [String: Any])
        let check = try XCTUnwrap(json["feature_sets"] as? [String: Any])
        XCTAssertEqual(check["file"] as? String, "wine.gmt")
        XCTAssertEqual(check["sets"] as? Int, 3)
        XCTAssertEqual(check["remainder_features"] as? Int, 3)
        XCTAssertEqual(check["partition"] as? Bool, true)
        XCTAssertEqual(check["passed"] as? Bool, true)
        let setError = try XCTUnwrap(check["max_error"] as? Double)
        XCTAssertLessThan(setError, 1e-4)
        XCTAssertEqual(result.report.featureSets?.check?.sampleCount, n)
    }

    func testSlicesConcatenateAndTheCSVFormHoldsTheSameValues() throws {
        let (model, dataset) = try S.load(S.pbmc)
        let sets = try FeatureSets.read(S.sampleURL(S.pbmc, "markers.gmt"), featureNames: dataset.featureNames)
        let n = dataset.sampleCount
        let full = try S.scratch(self)
        _ = try S.export(model, dataset, to: full) {
            $0.featureSets = sets; $0.chunkSize = 192
        }
        let cuts = [0, 37, 400, n]
        var parts: [URL] = []
        for (a, b) in zip(cuts, cuts.dropFirst()) {
            let dir = try S.scratch(self)
            _ = try S.export(model, dataset, to: dir) {
                $0.featureSets = sets; $0.rows = a..<b; $0.chunkSize = 100
            }
            parts.append(dir)
        }
        let whole = try S.npyBody(full.appendingPathComponent("set_contributions.npy"))
        XCTAssertEqual(
            whole, try parts.reduce(into: Data()) { $0.append(try S.npyBody($1.appendingPathComponent("set_contributions.npy"))) })
        let text = try String(contentsOf: full.appendingPathComponent("top_sets.csv"), encoding: .utf8)
        var joined = ""
        for (p, dir) in parts.enumerated() {
            let part = try String(contentsOf: dir.appendingPathComponent("top_sets.csv"), encoding: .utf8)
            joined += p == 0 ? part : String(part[part.index(after: part.firstIndex(of: "\n")!)...])
        }
        XCTAssertEqual(text, joined)
        for dir in parts {
            XCTAssertEqual(
                try Data(contentsOf: dir.appendingPathComponent("sets.csv")), try Data(contentsOf: full.appendingPathComponent("sets.csv")))
        }

        let csvDir = try S.scratch(self)
        let rows = 5..<9
        _ = try S.export(model, dataset, to: csvDir) {
            $0.featureSets = sets; $0.rows = rows; $0.format = .csv
        }
        XCTAssertFalse(S.listing(csvDir).contains("set_contributions.npy"))
        let npy = try NPY.read(full.appendingPathComponent("set_contributions.npy"))
        let long = try S.readCSV(csvDir.appendingPathComponent("set_contributions.csv"))
        let m = model.outputCount, width = sets.count
        XCTAssertEqual(long[0], ["id", "component", "set", "value"])
        XCTAssertEqual(long.count, 1 + rows.count * m * width)
        for (e, line) in long.dropFirst().enumerated() {
            let i = e / (m * width), j = (e / width) % m, s = e % width
            XCTAssertEqual(line[0], dataset.ids[rows.lowerBound + i])
            XCTAssertEqual(line[1], "z\(j + 1)")
            XCTAssertEqual(line[2], sets.names[s])
            XCTAssertEqual(Float(line[3])!, Float(npy.values[((rows.lowerBound + i) * m + j) * width + s]))
        }
    }

    func testDoublePrecisionAndVerificationOnly() throws {
        let (model, dataset, sets) = try wine()
        let dir = try S.scratch(self)
        let result = try S.export(model, dataset, to: dir) {
            $0.featureSets = sets; $0.precision = .double
        }
        let sc = try NPY.read(dir.appendingPathComponent("set_contributions.npy"))
        XCTAssertEqual(sc.dtype, .float64)
        XCTAssertLessThan(try XCTUnwrap(result.report.featureSets?.check).relativeError, 1e-12)

        // Verifying only: the same check, no files.
        var options = ExportOptions()
        options.featureSets = sets
        let verified = try Exporter.run(model: model, dataset: dataset, options: options)
        let check = try XCTUnwrap(verified.report.featureSets?.check)
        XCTAssertEqual(check.sampleCount, dataset.sampleCount)
        XCTAssertLessThan(check.relativeError, 1e-5)
        XCTAssertTrue(verified.report.text.contains("sets_relative_error"), verified.report.text)
        XCTAssertTrue(
            verified.report.text.contains("wine.gmt: the 3 sets do not overlap; with the 3 features in no set"), verified.report.text)

        // Overlapping sets: said plainly, nothing to check, and the verdict is the reconstruction's.
        let (_, _, overlapping) = try wine(Self.wineSets + "ACIDS\t\tmalic_acid\tnonflavanoid_phenols\n")
        options.featureSets = overlapping
        let report = try Exporter.run(model: model, dataset: dataset, options: options).report
        XCTAssertNil(report.featureSets?.check)
        XCTAssertTrue(report.passed)
        XCTAssertTrue(report.text.contains("the 4 sets overlap (1 feature is in more than one)"), report.text)
        XCTAssertFalse(report.text.contains("sets_relative_error"))
        XCTAssertTrue(report.json.contains("\"partition\": false"), report.json)

        // A tolerance the sums miss fails the verdict, as the reconstruction's would.
        options.featureSets = sets
        options.tolerance = 0
        let strict = try Exporter.run(model: model, dataset: dataset, options: options).report
        XCTAssertFalse(strict.passed)
        XCTAssertTrue(strict.text.contains("> tolerance 0: FAIL"))
    }

    /// A sample overflowing float32 (issue #12's 3e38 cell) is not finite in the sums over sets
    /// either: the partition check names it and fails, and its part still merges.
    func testANonFiniteSampleFailsThePartitionCheckAndMerges() throws {
        var (model, dataset, sets) = try wine()
        var values = dataset.values
        values.storage[4 * dataset.featureCount + 3] = 3e38
        dataset = Dataset(
            file: dataset.file, featureNames: dataset.featureNames, values: values, ids: dataset.ids,
            idColumn: dataset.idColumn, labels: dataset.labels)
        var options = ExportOptions()
        options.featureSets = sets
        let report = try Exporter.run(model: model, dataset: dataset, options: options).report
        let check = try XCTUnwrap(report.featureSets?.check)
        XCTAssertEqual(check.nonFiniteCount, 1)
        XCTAssertFalse(report.featureSets!.passes(tolerance: 1))
        XCTAssertTrue(report.text.contains("sets_relative_error"), report.text)

        let base = try S.scratch(self)
        let parts = try [(0, 100), (100, 178)].map { r -> URL in
            let dir = base.appendingPathComponent("p\(r.0)")
            _ = try S.export(model, dataset, to: dir) {
                $0.rows = r.0..<r.1; $0.featureSets = sets
                $0.provenance = ExportProvenance(
                    model: FileDigest(S.sampleURL(S.wine, "model.pt")), data: S.sampleURL(S.wine, "data.csv"),
                    dataStamp: try! FileStamp(of: S.sampleURL(S.wine, "data.csv")), version: "test")
            }
            return dir
        }
        let merged = try ExportMerger.run(parts: parts, options: MergeOptions(directory: base.appendingPathComponent("merged")))
        XCTAssertEqual(merged.report.featureSets?.check?.nonFiniteCount, 1)
        XCTAssertEqual(merged.report.featureSets?.check?.sampleCount, 178)
        XCTAssertEqual(merged.report.featureSets?.check?.maxError, check.maxError)
    }

    func testTheBundledMarkerSetsMatchPBMC() throws {
        let (_, dataset) = try S.load(S.pbmc)
        let file = try FeatureSetFile.read(S.sampleURL(S.pbmc, "markers.gmt"))
        XCTAssertEqual(file.format, .gmt)
        let sets = try FeatureSets(file, featureNames: dataset.featureNames)
        XCTAssertGreaterThanOrEqual(sets.fileSetCount, 8)
        for set in sets.sets.dropLast() {
            XCTAssertFalse(set.members.isEmpty, "\(set.name) has no gene of pbmc68k_reduced")
            XCTAssertTrue(set.missing.isEmpty, "\(set.name): \(set.missing) are not in pbmc68k_reduced")
        }
    }
}
