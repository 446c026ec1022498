import Foundation
import XCTest
@testable import GlassBoxCore

/// `glassbox merge` of exports with `--feature-sets`: the set files of the parts merge into
/// those of the whole export, and parts with other sets are refused.
extension MergeTests {
    func testMergedSetFilesEqualThoseOfTheWhole() throws {
        let (model, dataset) = try S.load(S.pbmc)
        let markers = try FeatureSets.read(S.sampleURL(S.pbmc, "markers.gmt"), featureNames: dataset.featureNames)
        // The markers (disjoint: a partition check to merge), and overlapping sets (none).
        let overlapping = try FeatureSets(
            FeatureSetFile.parse(Data("A\t\tCD3D\tCD8A\tGNLY\nB\t\tGNLY\tNKG7\tCD3D\n".utf8), file: "o.gmt"),
            featureNames: dataset.featureNames)
        let n = dataset.sampleCount
        for (sets, format) in [(markers, ContributionFormat.npy), (overlapping, .csv)] {
            let base = try S.scratch(self)
            let whole = base.appendingPathComponent("whole")
            try export(S.pbmc, model, dataset, to: whole) {
                $0.featureSets = sets; $0.format = format
            }
            let cuts = [0, 37, 400, n]
            let parts = try zip(cuts, cuts.dropFirst()).enumerated().map { p, r -> URL in
                let dir = base.appendingPathComponent("p\(p)")
                try export(S.pbmc, model, dataset, to: dir) {
                    $0.featureSets = sets; $0.format = format; $0.rows = r.0..<r.1; $0.chunkSize = [96, 100, 7][p]
                }
                return dir
            }
            let merged = base.appendingPathComponent("merged")
            let result = try ExportMerger.run(parts: parts.reversed(), options: MergeOptions(directory: merged))
            XCTAssertTrue(S.listing(merged).contains("groups_sets.csv"))
            try assertSameExport(merged, whole, "merged \(sets.file)")
            XCTAssertEqual(result.report.featureSets?.check != nil, sets.isDisjoint)
            XCTAssertEqual(result.report.featureSets?.check?.sampleCount, sets.isDisjoint ? n : nil)
        }
    }

    func testPartsWithOtherSetsAreRefused() throws {
        let (model, dataset) = try S.load(S.wine)
        let base = try S.scratch(self)
        func sets(_ text: String) throws -> FeatureSets {
            try FeatureSets(FeatureSetFile.parse(Data(text.utf8), file: "w.gmt"), featureNames: dataset.featureNames)
        }
        let acids = try sets("acids\t\tmalic_acid\tash\n"), phenols = try sets("phenols\t\ttotal_phenols\tflavanoids\n")
        for (i, other) in [phenols, nil].enumerated() {
            let dirs = try [(0, 60), (60, 120), (120, 178)].enumerated().map { p, r -> URL in
                let dir = base.appendingPathComponent("c\(i)-p\(p)")
                try export(S.wine, model, dataset, to: dir) {
                    $0.rows = r.0..<r.1; $0.featureSets = p == 1 ? other : acids
                }
                return dir
            }
            let error = mergeError(dirs, into: base.appendingPathComponent("out"))
            XCTAssertTrue(error.hasPrefix("\(dirs[1].relativePath): differs from the other 2 parts in its "), error)
            XCTAssertTrue(error.contains(other == nil ? "per-sample files" : "feature sets (--feature-sets)"), error)
        }
    }

    func testStatisticsWithBrokenSetsAreRefused() throws {
        let (model, dataset) = try S.load(S.wine)
        let base = try S.scratch(self)
        let sets = try FeatureSets(
            FeatureSetFile.parse(Data("acids\t\tmalic_acid\tash\n".utf8), file: "w.gmt"), featureNames: dataset.featureNames)
        let a = base.appendingPathComponent("a"), b = base.appendingPathComponent("b")
        try export(S.wine, model, dataset, to: a) {
            $0.rows = 0..<100; $0.featureSets = sets
        }
        try export(S.wine, model, dataset, to: b) {
            $0.rows = 100..<178; $0.featureSets = sets
        }
        let statistics = b.appendingPathComponent("statistics.json")
        let text = try String(contentsOf: statistics, encoding: .utf8)
        for (from, to, message) in [
            ("\"(not in any set)\"", "\"rest\"", "b/statistics.json: feature_sets.sets: expected the remainder '(not in any set)' last"),
            (
                "\"members_found\": 2", "\"members_found\": 99",
                "b/statistics.json: feature_sets.sets[0].members_found: is 99, more than the 13 features"
            ),
        ] {
            try text.replacingOccurrences(of: from, with: to).write(to: statistics, atomically: true, encoding: .utf8)
            let error = mergeError([a, b], into: base.appendingPathComponent("out"))
            XCTAssertTrue(error.contains(message), error)
        }
        try text.write(to: statistics, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: b.appendingPathComponent("group_set_sums.npy"))
        XCTAssertTrue(mergeError([a, b], into: base.appendingPathComponent("out")).contains("b/group_set_sums.npy"))
    }
}
