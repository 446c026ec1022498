import Foundation
import XCTest
@testable import GlassBoxCore
import GlassBoxTestSupport

/// Input the CSV reader refuses: each error points at FILE:LINE:COLUMN and says what was found and expected.
final class CSVBadInputTests: XCTestCase {
    typealias F = CSVFixture

    private func check(
        _ e: InputError?, _ line: Int, _ column: Int, _ prefix: String,
        file: StaticString = #filePath, at: UInt = #line
    ) {
        guard let e else { return }
        XCTAssertEqual(e.line, line, "\(e)", file: file, line: at)
        XCTAssertEqual(e.column, column, "\(e)", file: file, line: at)
        XCTAssertTrue(e.message.hasPrefix(prefix), "\(e)", file: file, line: at)
        XCTAssertTrue(e.message.contains("expected"), "\(e)", file: file, line: at)
    }

    func testRaggedRows() {
        check(F.error("a,b,c\n1,2,3\n4,5\n"), 3, 4, "found 2 fields, expected 3 as in the header")
        check(F.error("a,b,c\n1,2,3\n4,5,6,7,8\n"), 3, 7, "found 5 fields, expected 3 as in the header")
        check(F.error("a,b\n1,2\n\"x,y\",2,3\n"), 3, 9, "found 3 fields, expected 2")
        // The same in parallel pieces and gzip blocks: the first bad row in the file is reported.
        var text = "a,b\n"
        for i in 0..<200 { text += "\(i),\(i)\n" }
        text += "1\n"
        for i in 0..<200 { text += "\(i),\(i),\(i)\n" }
        check(F.error(text, options: F.tiny(piece: 16)), 202, 2, "found 1 field, expected 2")
        check(F.error(bytes: gzipCompress(Array(text.utf8)), options: F.tiny(piece: 16, block: 50)), 202, 2, "found 1 field")
    }

    func testUnparsableNumbers() {
        let named = FeatureExpectation(count: 2, names: ["a", "b"])
        check(F.error("a,b\n1,2\n3,4.5.6\n", expecting: named), 3, 3, "found '4.5.6' in feature column 'b', expected a number")
        check(F.error("a,b\n1,1e\n", expecting: named), 2, 3, "found '1e' in feature column 'b'")
        check(F.error("a,b\n1,\"1,5\"\n", expecting: named), 2, 3, "found '\"1,5\"' in feature column 'b'")
        check(F.error("a,b\n0x10,1\n", expecting: named), 2, 1, "found '0x10'")
    }

    /// A bad cell amid a long run of plain numbers is found where it is, as anywhere else.
    func testBadCellsInsideWideRows() {
        let names = (0..<30).map { "f\($0)" }
        let row = (0..<30).map { "0.\($0 + 100)" }
        func text(_ bad: String, at column: Int) -> String {
            var cells = row
            cells[column] = bad
            return names.joined(separator: ",") + "\n" + row.joined(separator: ",") + "\n" + cells.joined(separator: ",") + "\n"
                + row.joined(separator: ",") + "\n"
        }
        let named = FeatureExpectation(count: 30, names: names)
        // Cells before column 20 are "0.1NN," (6 bytes each).
        check(F.error(text("4.5.6", at: 20), expecting: named), 3, 121, "found '4.5.6' in feature column 'f20', expected a number")
        check(F.error(text("1e", at: 20), expecting: named), 3, 121, "found '1e' in feature column 'f20'")
        check(F.error(text("-", at: 20), expecting: named), 3, 121, "found '-' in feature column 'f20'")
        check(
            F.error(text("1e39", at: 20)), 3, 121,
            "found 1 infinite value in feature columns (the first, '1e39' (beyond Float32's ±3.4e38) in column 'f20')")
        check(F.error(text("NA", at: 20)), 3, 121, "found 1 missing value in feature columns (the first, 'NA' in column 'f20')")
        check(F.error(text("1\n2", at: 20)), 3, 122, "found 21 fields, expected 30 as in the header")
        check(F.error(text("1,2", at: 20)), 3, 173, "found 31 fields, expected 30 as in the header")
        check(F.error(bytes: Array(text("1\u{FF}", at: 20).utf8.map { $0 == 0xC3 ? 0xFF : $0 })), 3, 122, "found byte 0xFF")
    }

    func testEmptyAndHeaderOnlyFiles() {
        check(F.error(""), 1, 1, "found an empty file, expected a header row")
        check(F.error("\u{FEFF}\n\n"), 1, 1, "found an empty file")
        check(F.error("a,b,c\n"), 2, 1, "found a header but no data rows (no rows of values), expected at least one sample")
        check(F.error("a,b,c"), 1, 6, "found a header but no data rows")
        check(F.error("a,b\n\n\r\n"), 2, 1, "found a header but no data rows")
        // Without rows every column looks numeric: said before the columns are counted
        // (a model expecting 2 features once heard of a "surplus column" here).
        check(F.error("cell,label,x,y\n", expecting: FeatureExpectation(count: 2, names: nil)), 2, 1, "found a header but no data rows")
        check(F.error(bytes: gzipCompress([]), name: "e.csv.gz"), 1, 1, "found an empty file")
    }

    func testDuplicateColumnNames() {
        check(
            F.error("a,b,a\n1,2,3\n"), 1, 5,
            "found a second column named 'a' (column 3; the first is column 1), expected unique column names")
    }

    func testInvalidUTF8() {
        var bytes = Array("a,note\n1,caf".utf8) + [0xE9] + Array("\n".utf8)
        check(F.error(bytes: bytes), 2, 6, "found byte 0xE9, which is not UTF-8, expected UTF-8 text")
        bytes = Array("a,".utf8) + [0xFF, 0x41] + Array("\n1,2\n".utf8)
        check(F.error(bytes: bytes), 1, 3, "found byte 0xFF")
        bytes = Array("a,label\n1,\"x".utf8) + [0xC3] + Array("\"\n".utf8)
        check(F.error(bytes: bytes), 2, 5, "found byte 0xC3")
        check(F.error(bytes: [0xFF, 0xFE, 0x61, 0]), 1, 1, "found a UTF-16 byte-order mark")
        // Valid multi-byte text is fine and columns count characters.
        check(F.error("é,b\n1,2\n1,ü,x\n"), 3, 5, "found 3 fields")
    }

    func testMissingAndInfiniteValues() {
        check(F.error("a,b\n1,2\n3,\n,NA\n"), 3, 3, "found 3 missing values in feature columns (the first, an empty cell in column 'b')")
        check(F.error("a,b\n1,inf\n-Infinity,2\n"), 2, 3, "found 2 infinite values in feature columns (the first, 'inf' in column 'b')")
        check(
            F.error("a,b\n1,2\n3,1e39\n", options: CSVReadOptions(missing: .zero)), 3, 3,
            "found 1 infinite value in feature columns (the first, '1e39' (beyond Float32's ±3.4e38)")
    }

    func testQuotingErrors() {
        check(F.error("a,b\n1,\"2\n"), 2, 3, "found a quoted field that never closes")
        check(F.error("a,b\n1,\"2\"x\n"), 2, 6, "found 'x' after a closing quote, expected a delimiter")
        check(F.error("\"a,b\n1,2\n"), 1, 1, "found a quoted header cell that never closes")
    }

    func testCarriageReturnOnlyLineEndings() {
        check(F.error("a,b\r1,2\r"), 1, 4, "found a carriage return alone as the line ending, expected LF or CRLF")
    }

    func testUnknownLabelAndIdColumns() {
        check(
            F.error("a,Label\n1,x\n", options: CSVReadOptions(labelColumn: "label")), 1, 1,
            "found no column named 'label' (--label-column), expected one of the header's columns; did you mean 'Label'?")
        check(F.error("a,b\n1,2\n", options: CSVReadOptions(idColumn: "cell")), 1, 1, "found no column named 'cell' (--id-column)")
    }

    func testDescriptionIsFileLineColumn() {
        let e = F.error("a,b\n1,2\n1,2,3\n", name: "data/cells.csv")
        XCTAssertEqual(e?.description, "data/cells.csv:3:5: found 3 fields, expected 2 as in the header")
    }

    /// Random damage to small files (bytes replaced, inserted, cut) never crashes: the reader
    /// either reads or throws an InputError with a place, in one piece or many, plain or gzip.
    func testRandomlyDamagedFilesGiveInputErrors() {
        let seeds = [
            "id,label,a,b\nx1,\"p,q\",1.5,2e3\nx2,r,,4\r\nx3,\"s\"\"t\",5,NA\n",
            "\u{FEFF}\"\",g1;g2\n\"1\";0.25;-1\n\"2\";3;4",
            "a\tb\tcell_type\n1\t2\tT\n\n3\t4\t\"B\nC\"\n",
        ]
        var rng = SplitMix64(seed: 31)
        let alphabet = Array(",;\t\"\r\n0123456789.eE+-NAxé".utf8) + [0xFF, 0xC3, 0x00]
        var read = 0, refused = 0
        for _ in 0..<1500 {
            var bytes = Array(seeds[rng.below(seeds.count)].utf8)
            for _ in 0..<(1 + rng.below(4)) {
                let at = rng.below(bytes.count + 1)
                switch rng.below(3) {
                case 0 where at < bytes.count: bytes[at] = alphabet[rng.below(alphabet.count)]
                case 1: bytes.insert(alphabet[rng.below(alphabet.count)], at: at)
                default: if at < bytes.count { bytes.remove(at: at) }
                }
            }
            var options = rng.below(2) == 0 ? CSVReadOptions() : F.tiny(piece: 1 + rng.below(9), block: 8 + rng.below(40))
            options.missing = [MissingPolicy.error, .zero, .drop][rng.below(3)]
            let expectation = rng.below(3) == 0 ? FeatureExpectation(count: 2) : nil
            let input = rng.below(4) == 0 ? gzipCompress(bytes) : bytes
            do {
                let r = try F.read(bytes: input, options: options, expecting: expectation)
                XCTAssertEqual(r.dataset.values.storage.count, r.dataset.sampleCount * r.dataset.featureCount)
                read += 1
            } catch let e as InputError {
                if let line = e.line { XCTAssertGreaterThanOrEqual(line, 1) }
                if let column = e.column { XCTAssertGreaterThanOrEqual(column, 1) }
                XCTAssertTrue(e.message.hasPrefix("found"), e.description)
                refused += 1
            } catch {
                XCTFail("\(error)")
            }
        }
        XCTAssertGreaterThan(read, 100)
        XCTAssertGreaterThan(refused, 100)
    }
}
