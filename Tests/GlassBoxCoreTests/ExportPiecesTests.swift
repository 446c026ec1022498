import Foundation
import XCTest
@testable import GlassBoxCore

/// The export's building blocks: SHA-256, CSV text, row selection and ordering, top-K.
final class ExportPiecesTests: XCTestCase {
    func digest(_ bytes: [UInt8]) -> String {
        var h = SHA256()
        bytes.withUnsafeBytes { h.update($0) }
        return SHA256.hex(h.finalize())
    }

    func testSHA256KnownAnswers() {
        // FIPS 180-4 examples.
        XCTAssertEqual(digest([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(digest(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testSHA256IsTheSameHoweverTheInputIsSplit() throws {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let whole = digest(bytes)
        for piece in [1, 3, 63, 64, 65, 1000] {
            var h = SHA256()
            var i = 0
            while i < bytes.count {
                let j = min(i + piece, bytes.count)
                bytes[i..<j].withUnsafeBytes { h.update($0) }
                i = j
            }
            XCTAssertEqual(SHA256.hex(h.finalize()), whole, "pieces of \(piece)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-sha-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertEqual(try SHA256.hexDigest(ofFile: file), whole)
        XCTAssertEqual(try FileDigest(file).hex(), whole)
        XCTAssertThrowsError(try FileDigest(file.appendingPathExtension("missing")).hex())
    }

    func testCSVFieldsAreQuotedPerRFC4180() {
        var t = CSVText()
        t.row(["plain", "a,b", "say \"hi\"", "two\nlines", " padded", "tab\there", ""])
        XCTAssertEqual(
            String(decoding: t.bytes, as: UTF8.self),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",tab\there,\n")
        XCTAssertEqual(
            ExportSupport.parseCSV(String(decoding: t.bytes, as: UTF8.self)),
            [["plain", "a,b", "say \"hi\"", "two\nlines", " padded", "tab\there", ""]])
    }

    func testNumbersAreShortestRoundTripText() {
        var rng = SystemRandomNumberGenerator()
        var t = CSVText()
        var floats: [Float] = [0, -0.0, 1, 0.1, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -3.4028235e38, .leastNormalMagnitude]
        floats += (0..<2000).map { _ in Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng)) }.filter(\.isFinite)
        for f in floats { t.number(f) }
        t.number(Double.pi)
        t.number(Float.nan); t.number(-Float.infinity); t.number(Double.infinity)
        t.endLine()
        let fields = String(decoding: t.bytes, as: UTF8.self).dropLast().split(separator: ",").map(String.init)
        for (f, text) in zip(floats, fields) {
            XCTAssertEqual(Float(text)!.bitPattern, f.bitPattern, text)
        }
        XCTAssertEqual(fields[floats.count], "3.141592653589793")
        XCTAssertEqual(Array(fields.suffix(3)), ["nan", "-inf", "inf"])
    }

    func testRowSpans() throws {
        XCTAssertEqual(RowSpan("0:10"), RowSpan(start: 0, end: 10))
        XCTAssertEqual(RowSpan("5:"), RowSpan(start: 5, end: nil))
        XCTAssertEqual(RowSpan(":7"), RowSpan(start: nil, end: 7))
        for bad in ["", "5", "a:b", "1:2:3", "1-2"] { XCTAssertNil(RowSpan(bad), bad) }
        XCTAssertEqual(try RowSpan("5:")!.range(sampleCount: 9), 5..<9)
        XCTAssertEqual(try RowSpan("0:9")!.range(sampleCount: 9), 0..<9)
        for bad in ["-1:3", "0:10", "4:4", "5:2", "9:"] {
            XCTAssertThrowsError(try RowSpan(bad)!.range(sampleCount: 9), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("--rows: "), "\(error)")
            }
        }
    }

    func testRowOrderReleasesChunksInOrder() {
        var order = RowOrder<String>(start: 10)
        XCTAssertEqual(order.add(20..<30, "b"), [])
        XCTAssertEqual(order.add(30..<35, "c"), [])
        XCTAssertEqual(order.waitingCount, 2)
        XCTAssertEqual(order.add(10..<20, "a"), ["a", "b", "c"])
        XCTAssertEqual(order.add(35..<40, "d"), ["d"])
        XCTAssertEqual(order.next, 40)
        XCTAssertEqual(order.waitingCount, 0)
    }

    /// The order TopK promises, by a full sort: largest first, ties to the lower index, NaN last.
    func sortedReference<V: BinaryFloatingPoint>(_ values: [V], k: Int) -> [Int] {
        let keyed = values.enumerated().map { (i, v) in (v.isNaN ? -V.infinity : v, i) }
        return Array(keyed.sorted { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.prefix(k).map(\.1))
    }

    func testLargestMatchesASortIncludingTiesAndNaN() {
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<200 {
            let d = Int.random(in: 1...60, using: &rng)
            // Few distinct values, so ties are common; some NaN.
            var values = (0..<d).map { _ in Double(Int.random(in: 0...5, using: &rng)) }
            if trial % 3 == 0 { values[Int.random(in: 0..<d, using: &rng)] = .nan }
            let k = Int.random(in: 0...25, using: &rng)
            var best: [(value: Double, index: Int)] = []
            values.withUnsafeBufferPointer { TopK.largest($0, k, into: &best) }
            XCTAssertEqual(best.map(\.index), sortedReference(values, k: k), "\(values) k=\(k)")
            XCTAssertEqual(TopK.indices(of: values, k: k), sortedReference(values, k: k))
        }
    }

    func testLargestOfManyValuesMatchesASort() {
        // Enough values for the lower-bound path (≥ 32k), with many ties, NaN, ±∞ and all-equal runs.
        var rng = SystemRandomNumberGenerator()
        for trial in 0..<400 {
            let d = Int.random(in: 16...2500, using: &rng)
            let k = Int.random(in: 0...40, using: &rng)
            let distinct = [1, 3, 50, 0][trial % 4]
            var values = (0..<d).map { _ in
                distinct == 0 ? Double.random(in: 0...1, using: &rng) : Double(Int.random(in: 0..<distinct, using: &rng))
            }
            if trial % 5 == 0 { for _ in 0..<Int.random(in: 1...d, using: &rng) { values[Int.random(in: 0..<d, using: &rng)] = .nan } }
            if trial % 7 == 0 { values[Int.random(in: 0..<d, using: &rng)] = .infinity }
            if trial % 9 == 0 {
                for _ in 0..<Int.random(in: 1...d, using: &rng) { values[Int.random(in: 0..<d, using: &rng)] = -.infinity }
            }
            if trial % 13 == 0 { values = values.sorted() }  // the largest last: the bound comes from one group
            let expected = sortedReference(values, k: k)
            var best: [(value: Double, index: Int)] = []
            values.withUnsafeBufferPointer { TopK.largest($0, k, into: &best) }
            XCTAssertEqual(best.map(\.index), expected, "d=\(d) k=\(k) trial \(trial)")
            let floats = values.map(Float.init)
            var floatBest: [(value: Float, index: Int)] = []
            floats.withUnsafeBufferPointer { TopK.largest($0, k, into: &floatBest) }
            XCTAssertEqual(floatBest.map(\.index), sortedReference(floats, k: k), "d=\(d) k=\(k) trial \(trial)")
        }
    }

    func testChunkAnalysisMatchesPerSampleReference() {
        var rng = SystemRandomNumberGenerator()
        let m = 2, d = 900, b = 40, k = 20
        let rows = 10..<(10 + b)
        let codes = (0..<rows.upperBound).map { _ in Int32.random(in: 0..<3, using: &rng) }
        let c = (0..<(b * m * d)).map { _ in Float.random(in: -1...1, using: &rng) * (Bool.random(using: &rng) ? 1e-3 : 1) }
        let chunk = ContributionChunk<Float>(
            rows: rows, outputCount: m, encoderInputCount: d, featureCount: d, encoderInput: [],
            embedding: [Float](repeating: 0, count: b * m), jacobian: [], reconstruction: [],
            contributions: c, pcaContributions: nil)
        let a = ChunkAnalysis(chunk, keep: k, codes: codes)
        var sums: [Int: (count: Int, l2: [Double], signed: [Double])] = [:]
        for i in 0..<b {
            let sample = Array(c[(i * m * d)..<((i + 1) * m * d)])
            var l2 = [Float](repeating: 0, count: d)
            sample.withUnsafeBufferPointer { s in
                l2.withUnsafeMutableBufferPointer { featureNorms(s.baseAddress!, m: m, d: d, into: $0.baseAddress!) }
            }
            let top = TopK.indices(of: l2, k: k)
            XCTAssertEqual(a.topFeatures[(i * k)..<((i + 1) * k)].map(Int.init), top, "sample \(i)")
            XCTAssertEqual(Array(a.topL2[(i * k)..<((i + 1) * k)]), top.map { l2[$0] })
            XCTAssertEqual(Array(a.topSigned[(i * k * m)..<((i + 1) * k * m)]), top.flatMap { f in (0..<m).map { sample[$0 * d + f] } })
            let g = Int(codes[rows.lowerBound + i])
            var s = sums[g] ?? (0, [Double](repeating: 0, count: d), [Double](repeating: 0, count: m * d))
            s.count += 1
            for f in 0..<d { s.l2[f] += Double(l2[f]) }
            for e in 0..<(m * d) { s.signed[e] += Double(sample[e]) }
            sums[g] = s
        }
        XCTAssertEqual(Set(a.groups.keys), Set(sums.keys))
        for (g, s) in sums {
            XCTAssertEqual(a.groups[g]?.count, s.count)
            XCTAssertEqual(a.groups[g]?.l2, s.l2, "group \(g): sums in sample order, bit for bit")
            XCTAssertEqual(a.groups[g]?.signed, s.signed, "group \(g)")
        }
    }

    func testWorstSamplesMatchesTopK() {
        var rng = SystemRandomNumberGenerator()
        let errors = (0..<500).map { _ in Double(Int.random(in: 0...20, using: &rng)) * 1e-7 }
        var worst = WorstSamples(limit: 5)
        for (row, e) in errors.enumerated().reversed() { worst.add(row: row, error: e) }
        XCTAssertEqual(worst.entries.map(\.row), TopK.indices(of: errors, k: 5))
    }
}

/// The one number format of panels and pictures.
final class SignificantDigitsTests: XCTestCase {
    func testFormats() {
        let f = { SignificantDigits.format($0) }
        XCTAssertEqual(
            [0.42391, 1, -12.345, 1234.5, 0.000123, 0, 9.996, 0.0009996, 99_999.4, 123_456].map(f),
            ["0.424", "1.00", "-12.3", "1235", "1.23e-04", "0", "10.0", "0.00100", "99999", "1.23e+05"])
        XCTAssertEqual(SignificantDigits.format(0.5, trimmed: true), "0.5")
        XCTAssertEqual(SignificantDigits.format(2, trimmed: true), "2")
        XCTAssertEqual(SignificantDigits.format(0.25, signed: true), "+0.250")
        XCTAssertEqual(SignificantDigits.format(-0.0001, digits: 2), "-1.0e-04")
        XCTAssertEqual(SignificantDigits.format(.nan), "nan")
        XCTAssertEqual(SignificantDigits.format(-.infinity), "-inf")
        XCTAssertEqual(SignificantDigits.scientific(9.999e-5, digits: 2), "1.0e-04")
    }
}
