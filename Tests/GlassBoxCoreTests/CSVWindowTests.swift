import Foundation
import GlassBoxTestSupport
import XCTest
@testable import GlassBoxCore

private typealias F = CSVFixture

/// `CSVSource` in windows: any split into windows, and any `--rows` slice, reads exactly what
/// the whole file reads, from plain files, gzip and pipes, with quoted newlines, blank lines
/// and missing values in the way.
final class CSVWindowTests: XCTestCase {
    /// A file of `n` rows: an id, a label, 3 features; some quoted ids hold newlines and
    /// delimiters, some lines are blank, some cells missing.
    private func text(rows n: Int, blanks: Bool = true, missing: Bool = false, seed: UInt64 = 1) -> String {
        var rng = SplitMix64(seed: seed)
        var t = "id,label,a,b,c\n"
        for i in 0..<n {
            if blanks && rng.below(9) == 0 { t += "\n" }
            let id = rng.below(5) == 0 ? "\"cell \(i),\nx\"" : "cell\(i)"
            let cells = (0..<3).map { j in
                missing && rng.below(11) == 0 ? "NA" : String(format: "%.6g", Double(i) * 0.5 + Double(j) - Double(rng.below(100)) / 7)
            }
            t += "\(id),g\(rng.below(4)),\(cells.joined(separator: ","))\n"
        }
        return t
    }

    private func source(_ text: String, name: String = "w.csv", options: CSVReadOptions = CSVReadOptions()) throws -> CSVSource {
        try CSVSource(file: name, options: options, expectation: nil, memory: Data(text.utf8))
    }

    private func assertSame(_ a: Dataset, _ b: Dataset, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.values.storage.map(\.bitPattern), b.values.storage.map(\.bitPattern), file: file, line: line)
        XCTAssertEqual(a.ids, b.ids, file: file, line: line)
        XCTAssertEqual(
            a.labels?.codes.map { a.labels!.categories[Int($0)] }, b.labels?.codes.map { b.labels!.categories[Int($0)] },
            file: file, line: line)
    }

    func testWindowsJoinToTheWholeFile() throws {
        let t = text(rows: 300)
        let whole = try F.read(t).dataset
        XCTAssertEqual(whole.sampleCount, 300)
        for (size, options) in [
            (1, CSVReadOptions()), (7, F.tiny()), (64, CSVReadOptions()), (299, F.tiny(piece: 50)), (1000, CSVReadOptions()),
        ] {
            let s = try source(t, options: options)
            var parts: [Dataset] = []
            var at = 0
            while true {
                let w = try s.read(from: at, maxRows: size)
                XCTAssertEqual(w.dataset.firstRow, at)
                XCTAssertEqual(w.dataset.sampleCount, w.rows.count)
                parts.append(w.dataset)
                at = w.rows.upperBound
                if w.isLast { break }
                XCTAssertEqual(w.rows.count, size)
            }
            XCTAssertEqual(s.rowCount, 300)
            assertSame(try Dataset.concatenating(parts), whole)
            // Codes of earlier windows stay valid as categories grow.
            XCTAssertEqual(parts.last!.labels!.categories.count, whole.labels!.categories.count)
        }
    }

    func testSlicesReadOnlyTheirRowsAndMatchTheWhole() throws {
        let t = text(rows: 200)
        let whole = try F.read(t).dataset
        for (a, b) in [(0, 1), (37, 38), (50, 150), (199, 200), (0, 200)] {
            let slice = try source(t, options: F.tiny()).readAll(from: a, to: b)
            XCTAssertEqual(slice.firstRow, a)
            assertSame(slice, whole.slice(a..<b))
            // Ids are the file's, however the slice starts.
            XCTAssertEqual(slice.ids.first, whole.ids[a])
        }
        XCTAssertThrowsError(try source(t).readAll(from: 150, to: 201)) {
            XCTAssertTrue("\($0)".contains("the file has only 200 data rows"), "\($0)")
        }
    }

    func testGzipStreamsInWindowsAcrossBlocks() throws {
        let t = text(rows: 250, missing: true)
        let options = CSVReadOptions(missing: .zero)
        let whole = try F.read(t, options: options).dataset
        let gz = gzipCompress(Array(t.utf8))
        for block in [64, 500, 1 << 20] {
            var o = F.tiny(options, piece: 100, block: block)
            o.pieceBytes = 100
            let s = try CSVSource(file: "w.csv.gz", options: o, expectation: nil, memory: Data(gz))
            let first = try s.read(from: 0, maxRows: 100)
            let rest = try s.read(from: 120, maxRows: 1000)  // skips 20 rows in the stream
            XCTAssertTrue(rest.isLast)
            assertSame(first.dataset, whole.slice(0..<100))
            assertSame(rest.dataset, whole.slice(120..<250))
            // Going back starts the stream again.
            assertSame(try s.read(from: 10, maxRows: 5).dataset, whole.slice(10..<15))
            XCTAssertTrue(s.notes.contains { $0.contains("missing value") && $0.contains("as 0") }, "\(s.notes)")
        }
    }

    /// Rows left out for missing values still count as data rows: a slice covers file rows.
    func testDroppedRowsCountAsRowsOfTheFile() throws {
        let t = text(rows: 120, blanks: false, missing: true, seed: 5)
        let options = CSVReadOptions(missing: .drop)
        let whole = try F.read(t, options: options).dataset
        let s = try source(t, options: options)
        let w = try s.read(from: 40, maxRows: 30)
        XCTAssertEqual(w.rows, 40..<70)
        // The ids (the id column's "cell <row>") say which file rows the slice kept.
        let kept = whole.ids.filter { (40..<70).contains(Int($0.filter(\.isNumber))!) }
        XCTAssertLessThan(w.dataset.sampleCount, 30)
        XCTAssertEqual(w.dataset.ids, kept)
    }

    func testPipesAreStreamed() throws {
        let dir = try F.directory(for: self)
        let fifo = dir.appendingPathComponent("rows.csv")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        let t = text(rows: 400)
        let writer = Thread {
            let h = FileHandle(forWritingAtPath: fifo.path)!
            h.write(Data(t.utf8))
            try? h.close()
        }
        writer.start()
        var options = CSVReadOptions()
        options.blockBytes = 256
        let read = try CSVDatasetReader.read(fifo, options: options)
        assertSame(read, try F.read(t).dataset)
    }

    /// A device or a binary stream is refused at once, not read without end.
    func testBinaryAndEndlessStreamsAreRefused() throws {
        XCTAssertThrowsError(try CSVDatasetReader.read(URL(fileURLWithPath: "/dev/zero"))) {
            XCTAssertTrue("\($0)".contains("binary data"), "\($0)")
        }
        let dir = try F.directory(for: self)
        let fifo = dir.appendingPathComponent("endless.csv")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        let writer = Thread {
            guard let h = FileHandle(forWritingAtPath: fifo.path) else { return }
            let line = Data(repeating: UInt8(ascii: "x"), count: 1 << 16)
            // A header that never ends: the reader stops at its limit and closes the pipe.
            for _ in 0..<100 { if (try? h.write(contentsOf: line)) == nil { break } }
            try? h.close()
        }
        signal(SIGPIPE, SIG_IGN)
        writer.start()
        var options = CSVReadOptions()
        options.blockBytes = 4096
        options.pipeRecordLimit = 1 << 20
        XCTAssertThrowsError(try CSVDatasetReader.read(fifo, options: options)) {
            XCTAssertTrue("\($0)".contains("found more than 1 MB without a line end"), "\($0)")
        }
    }

    /// A whole read that would not fit the memory budget (a gzip bomb: few compressed bytes,
    /// many rows) is refused with the way out; a window of it still reads.
    func testWholeReadsStayWithinTheMemoryBudget() throws {
        let t = text(rows: 2000, blanks: false)
        let gz = gzipCompress(Array(t.utf8))
        var options = F.tiny(piece: 4096, block: 4096)
        options.memory = MemoryBudget(bytes: 3 * 4 * 500)  // 500 rows of 3 features
        let s = try CSVSource(file: "bomb.csv.gz", options: options, expectation: nil, memory: Data(gz))
        XCTAssertThrowsError(try s.readAll()) {
            XCTAssertTrue("\($0)".contains("so far of 3 features"), "\($0)")
            XCTAssertTrue("\($0)".contains("--max-memory"), "\($0)")
        }
        XCTAssertEqual(try s.read(from: 100, maxRows: 300).dataset.sampleCount, 300)
        XCTAssertThrowsError(try source(t, options: options).readAll()) {
            XCTAssertTrue("\($0)".contains("found 2000 rows of 3 features, which need 23 KB"), "\($0)")
        }
        XCTAssertEqual(MemoryBudget("20G")?.bytes, 20 << 30)
        XCTAssertEqual(MemoryBudget("512m")?.bytes, 512 << 20)
        XCTAssertNil(MemoryBudget("lots"))
        XCTAssertNil(MemoryBudget("-1G"))
    }

    /// In windows, a column found to hold text only after the first window cannot be taken
    /// back: the message says what to do. Read whole, the file is read again and it works.
    func testLateTextColumnInWindows() throws {
        var t = "x,a,b\n"
        for i in 0..<300 { t += "\(i < 250 ? "\(i % 7)" : "t\(i)"),\(i),\(i * 2)\n" }
        let whole = try F.read(t).dataset
        XCTAssertEqual(whole.featureNames, ["a", "b"])
        let s = try source(t)
        _ = try s.read(from: 0, maxRows: 100)
        XCTAssertThrowsError(try s.read(from: 100, maxRows: 300)) {
            XCTAssertTrue("\($0)".contains("--features"), "\($0)")
        }
    }
}

/// `--part I/N`: the parts cover every row once; a CSV's rows are counted from its record ends.
final class RowPartTests: XCTestCase {
    func testPartsCoverEveryRowOnce() {
        for (n, parts) in [(178, 4), (5600, 4), (3, 5), (0, 2), (1_000_000_007, 20), (Int.max / 2, 7)] {
            var at = 0
            for i in 0..<parts {
                let r = RowPart(index: i, count: parts).range(of: n)
                XCTAssertEqual(r.lowerBound, at, "\(i)/\(parts) of \(n)")
                XCTAssertLessThanOrEqual(r.count, n / parts + 1)
                at = r.upperBound
            }
            XCTAssertEqual(at, n)
        }
        XCTAssertEqual(RowPart("2/4"), RowPart(index: 2, count: 4))
        XCTAssertEqual(RowPart("4/4")?.isValid, false)
        XCTAssertEqual(RowPart("-1/4")?.isValid, false)
        XCTAssertNil(RowPart("2"))
        XCTAssertNil(RowPart("a/b"))
    }

    func testCSVRowsAreCountedFromRecordEndsAndReadAfterwards() throws {
        var t = "id,a,b\n"
        for i in 0..<250 { t += (i % 50 == 7 ? "\n" : "") + "\"s\(i)\nline two\",\(i),\(i * 2)\n" }
        let s = try CSVSource(
            file: "count.csv", options: CSVFixture.tiny(CSVReadOptions(idColumn: "id"), piece: 64), expectation: nil,
            memory: Data(t.utf8))
        XCTAssertNil(s.rowCount)
        XCTAssertEqual(try s.countRows(), 250, "quoted line breaks and blank lines are not rows")
        let part = RowPart(index: 1, count: 4).range(of: 250)
        let w = try s.readAll(from: part.lowerBound, to: part.upperBound)
        XCTAssertEqual(w.ids.first, "s\(part.lowerBound)\nline two")
        XCTAssertEqual(try w.denseValues().storage.first, Float(part.lowerBound))
    }
}

/// The fast skip: in text without quotes, newlines counted many bytes at a time (blank lines
/// and CR LF included) land on the same rows as the record-by-record scan.
final class LineCounterTests: XCTestCase {
    func testCountsMatchAPlainLoop() {
        var rng = SplitMix64(seed: 9)
        for trial in 0..<40 {
            var bytes: [UInt8] = []
            let lines = rng.below(400)
            for _ in 0..<lines {
                switch rng.below(6) {
                case 0: bytes += [10]  // blank
                case 1: bytes += [13, 10]  // blank, CR LF
                default: bytes += Array(repeating: UInt8(ascii: "7"), count: rng.below(70)) + (rng.below(2) == 0 ? [10] : [13, 10])
                }
            }
            bytes += [1, 2]  // readable past the end
            let end = bytes.count - 2
            var records = 0, blanks = 0
            var start = 0
            for i in 0..<end where bytes[i] == 10 {
                records += 1
                if i == start || (i == start + 1 && bytes[start] == 13) { blanks += 1 }
                start = i + 1
            }
            // Both loops: Swift's eight bytes at a time, and AVX2's 64 where the CPU has it.
            for vectorized in Set([false, LineCounter.hasAVX2]) {
                let got = bytes.withUnsafeBufferPointer {
                    LineCounter.count($0.baseAddress!, from: 0, to: end, limit: bytes.count, vectorized: vectorized)
                }
                XCTAssertEqual(got, LineCounter.Count(records: records, blanks: blanks, quoted: false), "trial \(trial), \(vectorized)")
                if end > 20 {
                    for at in [end - 20, rng.below(end)] {
                        var withQuote = bytes
                        withQuote[at] = UInt8(ascii: "\"")
                        XCTAssertTrue(
                            withQuote.withUnsafeBufferPointer {
                                LineCounter.count($0.baseAddress!, from: 0, to: end, limit: withQuote.count, vectorized: vectorized)
                            }.quoted, "trial \(trial), quote at \(at), \(vectorized)")
                    }
                }
            }
        }
    }

    func testSlicesOfALargeUnquotedFileMatchTheWhole() throws {
        var t = "id,a,b\n"
        var i = 0
        while t.utf8.count < 5 << 20 {
            t += i % 997 == 5 ? "\n" : ""
            t += "s\(i),\(i % 1000),\(i % 7)\(i % 3 == 0 ? "\r\n" : "\n")"
            i += 1
        }
        let whole = try CSVFixture.read(t, options: CSVReadOptions(idColumn: "id")).dataset
        for a in [0, 1, 150_000, whole.sampleCount - 3] {
            let s = try CSVSource(file: "big.csv", options: CSVReadOptions(idColumn: "id"), expectation: nil, memory: Data(t.utf8))
            let slice = try s.readAll(from: a, to: min(a + 3, whole.sampleCount))
            XCTAssertEqual(slice.ids, Array(whole.ids[a..<min(a + 3, whole.sampleCount)]), "from \(a)")
        }
        let counter = try CSVSource(file: "big.csv", options: CSVReadOptions(), expectation: nil, memory: Data(t.utf8))
        XCTAssertEqual(try counter.countRows(), whole.sampleCount)
    }
}
