import Foundation
import XCTest
@testable import GlassBoxCore
import GlassBoxTestSupport

/// Reading feature-set files (GMT and set,feature tables) and matching them to features.
final class FeatureSetFileTests: XCTestCase {
    let features = ["CD3D", "CD3E", "MS4A1", "CD79A", "NKG7", "GNLY", "LYZ", "PPBP"]

    func parse(_ text: String, format: FeatureSetFile.Format? = nil, file: String = "sets.gmt") throws -> FeatureSetFile {
        try FeatureSetFile.parse(Data(text.utf8), file: file, format: format)
    }

    func sets(_ text: String, format: FeatureSetFile.Format? = nil, caseSensitive: Bool = true) throws -> FeatureSets {
        try FeatureSets(parse(text, format: format), featureNames: features, caseSensitive: caseSensitive)
    }

    func testGMTSetsMembersAndRemainder() throws {
        // A BOM, CRLF line ends, a blank line, trailing tabs, a repeated member, an unknown one.
        let text =
            "\u{FEFF}T_CELLS\thttp://example.org/t\tCD3D\tCD3E\tCD3D\t\t\r\n\nB_CELLS\tna\tMS4A1\tCD79A\tCD19\r\nEMPTY\tnothing here\n"
        let s = try sets(text)
        XCTAssertEqual(s.names, ["T_CELLS", "B_CELLS", "EMPTY", FeatureSets.remainderName])
        XCTAssertEqual(s.sets[0].description, "http://example.org/t")
        XCTAssertEqual(s.sets[0].listedCount, 2)
        XCTAssertEqual(s.sets[0].members, [0, 1])
        XCTAssertEqual(s.sets[1].members, [2, 3])
        XCTAssertEqual(s.sets[1].missing, ["CD19"])
        XCTAssertEqual(s.sets[1].listedCount, 3)
        XCTAssertEqual(s.sets[2].members, [])
        XCTAssertEqual(s.sets[2].line, 4)
        XCTAssertEqual(s.sets[3].members, [4, 5, 6, 7])
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.fileSetCount, 3)
        XCTAssertTrue(s.isDisjoint)
        XCTAssertFalse(s.coversAllFeatures)
        XCTAssertEqual(s.membershipCount, 8)
        XCTAssertEqual(Array(s.members(of: 1)), [2, 3])
        XCTAssertEqual(s.sets(containing: 6), [3])
        // Notes: members found per set, the set with none, the partition.
        XCTAssertTrue(s.notes[0].contains("3 feature sets; members found: T_CELLS 2/2, B_CELLS 2/3, EMPTY 0/0"), s.notes[0])
        XCTAssertTrue(
            s.notes[1].hasPrefix("warning: sets.gmt: 1 set has no member among the model's 8 features: 'EMPTY' (line 4)"), s.notes[1])
        XCTAssertTrue(
            s.notes[2].contains(
                "the 3 sets do not overlap; with the 4 features in no set, as '(not in any set)', they partition the 8 features"),
            s.notes[2])
    }

    func testOverlapAndCompleteCoverAreStatedPlainly() throws {
        let overlapping = try sets("A\t\tCD3D\tCD3E\tNKG7\nB\t\tNKG7\tGNLY\tCD3D\n")
        XCTAssertFalse(overlapping.isDisjoint)
        XCTAssertEqual(overlapping.overlappingFeatureCount, 2)
        XCTAssertEqual(overlapping.sets(containing: 0), [0, 1])
        XCTAssertTrue(
            overlapping.partitionStatement.contains("the 2 sets overlap (2 features are in more than one)"), overlapping.partitionStatement)
        XCTAssertTrue(overlapping.partitionStatement.contains("do not add up to z"))

        let all = try sets("A\t\tCD3D\tCD3E\tNKG7\tGNLY\nB\t\tMS4A1\tCD79A\tLYZ\tPPBP\n")
        XCTAssertTrue(all.isDisjoint && all.coversAllFeatures)
        XCTAssertEqual(all.sets[all.remainderIndex].members, [])
        XCTAssertEqual(all.partitionStatement, "the 2 sets partition the 8 features: their contributions add up to z")
    }

    func testTablesWithAndWithoutHeader() throws {
        for (text, format) in [
            ("set,feature\nT,CD3D\nB,MS4A1\nT,CD3E\n", FeatureSetFile.Format.csv),
            ("gs_name\tgene_symbol\nT\tCD3D\nB\tMS4A1\nT\tCD3E\n", .tsv),
            ("T,CD3D\nB,MS4A1\nT,CD3E\n", .csv),
            ("\"T\", CD3D\r\nB,\"MS4A1\"\nT,CD3E\n", .csv),
        ] {
            let file = try parse(text)
            XCTAssertEqual(file.format, format, text)
            XCTAssertEqual(file.entries.map(\.name), ["T", "B"], text)
            XCTAssertEqual(file.entries.map(\.members), [["CD3D", "CD3E"], ["MS4A1"]], text)
            XCTAssertEqual(file.entries.map(\.description), ["", ""])
        }
        // A quoted name may hold commas and quotes.
        let quoted = try parse("\"HALLMARK, \"\"X\"\"\",CD3D\n")
        XCTAssertEqual(quoted.entries.map(\.name), ["HALLMARK, \"X\""])
        // A header's words are recognized only on the first line.
        XCTAssertEqual(try parse("T,CD3D\nset,feature\n").entries.map(\.name), ["T", "set"])
    }

    func testFormatFollowsTheFileName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-sets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        // One tab: a GMT set with no members by name, a TSV membership by content.
        let text = "T\tCD3D\n"
        for (name, format) in [("a.gmt", FeatureSetFile.Format.gmt), ("a.tsv", .tsv), ("a.txt", .tsv)] {
            let url = dir.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            let file = try FeatureSetFile.read(url)
            XCTAssertEqual(file.format, format, name)
            XCTAssertEqual(file.sha256?.count, 64)
        }
        let url = dir.appendingPathComponent("a.csv")
        try "T\tCD3D\tCD3E\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertTrue(inputErrorMessage { _ = try FeatureSetFile.read(url) }.hasSuffix("a.csv:1: found 1 field, expected 2: set,feature"))
    }

    func testCaseInsensitiveMatching() throws {
        XCTAssertTrue(
            inputErrorMessage { _ = try self.sets("T\t\tcd3d\tCd3e\n") }.contains("found none of the 2 listed features (the first, 'cd3d')")
        )
        let s = try sets("T\t\tcd3d\tCd3e\n", caseSensitive: false)
        XCTAssertEqual(s.sets[0].members, [0, 1])
    }

    func testBadFilesAreRefusedWithTheirLine() throws {
        let cases: [(String, FeatureSetFile.Format?, String)] = [
            (
                "A\t\tCD3D\nno tab here\n", nil,
                "sets.gmt:2: found 'no tab here' with no tab, expected name<TAB>description<TAB>feature<TAB>…"
            ),
            ("A\t\tCD3D\n\tdesc\tCD3E\n", nil, "sets.gmt:2: found an empty set name, expected name<TAB>description<TAB>feature<TAB>…"),
            (
                "A\t\tCD3D\nB\t\tNKG7\n\nA\t\tCD3E\n", nil,
                "sets.gmt:4: found the set name 'A' again (first on line 1), expected each set once"
            ),
            (
                "(not in any set)\t\tCD3D\n", .gmt,
                "sets.gmt:1: found the set name '(not in any set)', which names the features in no set, expected another name"
            ),
            ("", .gmt, "sets.gmt:1: found no sets, expected name<TAB>description<TAB>feature<TAB>…"),
            ("\n  \n", nil, "sets.gmt:1: found no sets, expected a GMT file"),
            ("justonefield\n", nil, "sets.gmt:1: found a line with neither tabs nor commas, expected a GMT file"),
            ("T,CD3D\nB,MS4A1,extra\n", nil, "sets.gmt:2: found 3 fields, expected 2: set,feature"),
            ("T,CD3D\n,MS4A1\n", nil, "sets.gmt:2: found an empty set name, expected set,feature"),
            ("T\tCD3D\nB\t\n", .tsv, "sets.gmt:2: found an empty feature for set 'B', expected set<TAB>feature"),
            ("T,\"CD3D\n", nil, "sets.gmt:1: found a quoted field that does not close on its line"),
            ("T,\"CD3D\"x\n", nil, "sets.gmt:1:9: found 'x' after a closing quote, expected a comma or the end of the line"),
            ("A\t\tCD3D\nB\t\tNK\u{0}G7\n", nil, "sets.gmt:2: found a NUL byte (binary data), expected text"),
            ("A\t\tCD3D\u{1B}[31m\tX\n", .gmt, "sets.gmt:1: found none of the 2 listed features (the first, 'CD3D\\u{1b}[31m')"),
        ]
        for (text, format, expected) in cases {
            let message = inputErrorMessage { _ = try self.sets(text, format: format) }
            XCTAssertTrue(message.hasPrefix(expected), "\(text.debugDescription): \(message)")
        }
        // Latin-1 text.
        var latin1 = Data("A\t\tCD3D\nB\t\tCAF".utf8)
        latin1.append(0xC9)
        XCTAssertTrue(
            inputErrorMessage { _ = try FeatureSetFile.parse(latin1, file: "x.gmt") }.hasPrefix(
                "x.gmt:2: found byte 0xC9, which is not UTF-8"))
    }

    func testNoMatchingFeatureIsRefusedAtTheFirstListedMember() throws {
        let message = inputErrorMessage { _ = try self.sets("EMPTY\tnone\nMOUSE\t\tCd3d\tCd3e\nOTHER\t\tFoo\n") }
        XCTAssertEqual(
            message,
            "sets.gmt:2: found none of the 3 listed features (the first, 'Cd3d') among the model's 8 features, "
                + "expected set members named as the data's feature columns (matching is case-sensitive)")
        XCTAssertEqual(
            inputErrorMessage { _ = try self.sets("EMPTY\tnone\n", format: .gmt) },
            "sets.gmt:1: found no set that lists a feature, expected set members named as the data's feature columns (matching is case-sensitive)"
        )
    }
}
