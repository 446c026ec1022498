import Foundation
import XCTest
@testable import GlassBoxCore

/// The export's text: numbers written straight into memory must be byte-for-byte what Swift's
/// `description` gives, and the per-chunk tables what the field-by-field writer produced.
final class ExportTextTests: XCTestCase {
    /// The text `description` gives, as CSV writes it (non-finite values as pandas does).
    func reference<T: BinaryFloatingPoint & CustomStringConvertible>(_ value: T) -> String {
        value.isNaN ? "nan" : value.isInfinite ? (value < 0 ? "-inf" : "inf") : value.description
    }

    /// Edge values of a binary floating-point type, and values around the points where the
    /// text changes form (exponential below 1e-4 and above 2^significandBits, ".0" integers).
    func edges<T: BinaryFloatingPoint>(_: T.Type) -> [T] {
        var v: [T] = [
            0, -0.0, 1, -1, 0.1, 0.5, 2, 10, 0.015625, 1e-4, 1e-5, 9.999e-5, 1.0001e-4,
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
            .leastNormalMagnitude.nextDown, -.leastNonzeroMagnitude, -.greatestFiniteMagnitude,
            .pi, .ulpOfOne, 1 + .ulpOfOne, 1 - .ulpOfOne / 2,
        ]
        let integerLimit = T(sign: .plus, exponent: T.Exponent(T.significandBitCount + 1), significand: 1)
        v += [integerLimit, integerLimit.nextDown, integerLimit.nextUp, integerLimit * 4, integerLimit / 2 + 1]
        for e in -45...38 { v.append(T(Double("1e\(e)")!)) }  // powers of ten, both sides
        for e in stride(from: -149, through: 127, by: 1) { v.append(T(sign: .plus, exponent: T.Exponent(e), significand: 1)) }
        for i in 1...300 { v.append(T(i)); v.append(T(i) / 7); v.append(-T(i) * 1000.5) }
        return v + v.map { $0.nextUp } + v.map { $0.nextDown } + v.map { -$0 }
    }

    func testShortestTextMatchesDescriptionForFloat() {
        var rng = SystemRandomNumberGenerator()
        var values = edges(Float.self)
        values += (0..<200_000).map { _ in Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &rng)) }
        // Subnormals and the export's typical magnitudes (contributions of 1e-7…1).
        values += (0..<20_000).map { _ in Float(bitPattern: UInt32.random(in: 1..<0x0080_0000, using: &rng)) }
        values += (0..<20_000).map { _ in Float.random(in: -1...1, using: &rng) * .random(in: 1e-7...1, using: &rng) }
        var cursorText = TextCursor.lines(capacity: values.count * (1 + ShortestText.maxFloat)) { t in
            for v in values {
                t.number(v)
                t.byte(UInt8(ascii: ","))
            }
        }
        var t = CSVText()
        for v in values { t.number(v) }
        t.endLine()
        cursorText.removeLast()  // the trailing separator
        let fields = String(decoding: t.bytes.dropLast(), as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
        let cursorFields = String(decoding: cursorText, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(fields.count, values.count)
        XCTAssertEqual(cursorFields.count, values.count)
        var failures = 0
        for (i, v) in values.enumerated() where failures < 10 {
            let expected = reference(v)
            if fields[i] != expected || cursorFields[i] != expected {
                failures += 1
                XCTFail("bits \(String(v.bitPattern, radix: 16)): \(fields[i]) / \(cursorFields[i]), expected \(expected)")
            }
            if v.isFinite { XCTAssertLessThanOrEqual(expected.utf8.count, ShortestText.maxFloat) }
        }
    }

    func testShortestTextMatchesDescriptionForDouble() {
        var rng = SystemRandomNumberGenerator()
        var values = edges(Double.self)
        values += [Double.leastNonzeroMagnitude, 2.2250738585072014e-308, 1.7976931348623157e308, 0x1p53, 0x1p53 + 2]
        values += (0..<200_000).map { _ in Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng)) }
        values += (0..<20_000).map { _ in Double(bitPattern: UInt64.random(in: 1..<(1 << 52), using: &rng)) }
        values += (0..<20_000).map { _ in Double(Float.random(in: -1...1, using: &rng)) / 3 }
        let text = TextCursor.lines(capacity: values.count * (1 + ShortestText.maxDouble)) { t in
            for v in values {
                t.number(v)
                t.byte(10)
            }
        }
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, values.count)
        var failures = 0
        for (line, v) in zip(lines, values) where failures < 10 {
            let expected = reference(v)
            if line != expected {
                failures += 1
                XCTFail("bits \(String(v.bitPattern, radix: 16)): \(line), expected \(expected)")
            }
            if v.isFinite { XCTAssertLessThanOrEqual(expected.utf8.count, ShortestText.maxDouble) }
        }
    }

    func testCursorFieldsAndIntegersMatchCSVText() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab ,\"\n\r\té😀x1")
        var texts = ["", " ", "plain", "a,b", "\"", " lead", "trail ", "two\nlines", "cr\r", "ünï", "😀,\""]
        texts += (0..<500).map { _ in String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
        let integers =
            [0, 1, 9, 10, 11, 99, 100, 12345, 1_000_000, Int(Int32.max), Int.max]
            + (0..<200).map { _ in Int.random(in: 0...Int.max, using: &rng) >> Int.random(in: 0...62, using: &rng) }
        var expected = CSVText()
        for s in texts { expected.field(s) }
        for i in integers { expected.integer(i) }
        expected.endLine()
        let capacity = texts.map(TextCursor.fieldBound).reduce(0, +) + 21 * (texts.count + integers.count)
        let written = TextCursor.lines(capacity: capacity) { t in
            for (n, s) in texts.enumerated() {
                if n > 0 { t.byte(UInt8(ascii: ",")) }
                t.field(s)
            }
            for i in integers {
                t.byte(UInt8(ascii: ","))
                t.integer(i)
            }
            t.byte(10)
        }
        XCTAssertEqual(String(decoding: written, as: UTF8.self), String(decoding: expected.bytes, as: UTF8.self))
        XCTAssertEqual(String(decoding: CSVText.quoted("say \"hi\", ok"), as: UTF8.self), "\"say \"\"hi\"\", ok\"")
    }

    // MARK: The per-chunk tables against a field-by-field reference

    /// RFC 4180 quoting as documented on `CSVText.field`, written independently.
    func quote(_ s: String) -> String {
        let special =
            s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || s.hasPrefix(" ") || s.hasSuffix(" ")
        return special ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    struct Case<T: BLASScalar> {
        var tables: ExportTables
        var chunk: ContributionChunk<T>
        var ids: [String], codes: [Int32]?, labels: [String]?, names: [String]
    }

    func makeCase<T: BLASScalar>(_: T.Type, labelled: Bool, rows: Range<Int>, m: Int, d: Int, pca: Int?) -> Case<T> {
        var rng = SystemRandomNumberGenerator()
        let n = rows.upperBound
        let ids = (0..<n).map { i in i % 7 == 3 ? "id \(i), \"q\"" : i % 11 == 5 ? " s\(i)" : "s\(i)" }
        let labels = labelled ? ["a", "b,c", "d \"e\""] : nil
        let codes = labelled ? (0..<n).map { _ in Int32.random(in: 0..<3, using: &rng) } : nil
        let names = (0..<d).map { f in f % 5 == 2 ? "gene,\(f)" : "f\(f)" }
        func random() -> T {
            // Some exact zeros, repeated values, and a spread of magnitudes.
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: return 0
            case 1: return 0.25
            default: return T(Float.random(in: -1...1, using: &rng) * .random(in: 1e-6...10, using: &rng))
            }
        }
        let b = rows.count
        let chunk = ContributionChunk<T>(
            rows: rows, outputCount: m, encoderInputCount: pca ?? d, featureCount: d,
            encoderInput: [], embedding: (0..<(b * m)).map { _ in random() },
            jacobian: [], reconstruction: [],
            contributions: (0..<(b * m * d)).map { _ in random() },
            pcaContributions: pca.map { k in (0..<(b * m * k)).map { _ in random() } })
        let tables = ExportTables(ids: ids, codes: codes, labels: labels, featureNames: names, outputCount: m, pcaCount: pca)
        return Case(tables: tables, chunk: chunk, ids: ids, codes: codes, labels: labels, names: names)
    }

    func prefix<T>(_ c: Case<T>, _ row: Int) -> String {
        var p = quote(c.ids[row])
        if let labels = c.labels, let codes = c.codes { p += "," + quote(labels[Int(codes[row])]) }
        return p
    }

    func check<T: BLASScalar & CustomStringConvertible>(_: T.Type, labelled: Bool, m: Int, d: Int, k: Int) {
        let c = makeCase(T.self, labelled: labelled, rows: 5..<37, m: m, d: d, pca: 3)
        let chunk = c.chunk, b = chunk.count

        var embedding = ""
        for i in 0..<b {
            embedding +=
                ([prefix(c, chunk.rows.lowerBound + i)] + (0..<m).map { reference(chunk.embedding[i * m + $0]) }).joined(separator: ",")
                + "\n"
        }
        XCTAssertEqual(String(decoding: c.tables.embeddingLines(chunk), as: UTF8.self), embedding)

        let analysis = ChunkAnalysis(chunk, keep: k, codes: c.codes)
        var top = ""
        for i in 0..<b {
            for r in 0..<analysis.keep {
                let slot = i * analysis.keep + r
                var fields = [
                    prefix(c, chunk.rows.lowerBound + i), String(r + 1), quote(c.names[Int(analysis.topFeatures[slot])]),
                    reference(analysis.topL2[slot]),
                ]
                fields += (0..<m).map { reference(analysis.topSigned[slot * m + $0]) }
                top += fields.joined(separator: ",") + "\n"
            }
        }
        XCTAssertEqual(String(decoding: c.tables.topFeatureLines(analysis, outputCount: m), as: UTF8.self), top)

        for (values, names) in [(chunk.contributions!, c.names.map(quote)), (chunk.pcaContributions!, ["PC1", "PC2", "PC3"])] {
            var long = ""
            let width = names.count
            for i in 0..<b {
                for j in 0..<m {
                    for f in 0..<width {
                        long +=
                            [quote(c.ids[chunk.rows.lowerBound + i]), "z\(j + 1)", names[f], reference(values[(i * m + j) * width + f])]
                            .joined(separator: ",") + "\n"
                    }
                }
            }
            let tableNames = width == d ? c.tables.features : c.tables.pcs
            XCTAssertEqual(
                String(decoding: c.tables.longLines(values, rows: chunk.rows, outputCount: m, names: tableNames), as: UTF8.self), long)
        }
    }

    func testChunkTablesMatchFieldByFieldText() {
        check(Float.self, labelled: true, m: 2, d: 50, k: 7)
        check(Float.self, labelled: false, m: 1, d: 9, k: 20)
        check(Double.self, labelled: true, m: 3, d: 700, k: 20)
        check(Double.self, labelled: false, m: 2, d: 40, k: 0)
    }
}
