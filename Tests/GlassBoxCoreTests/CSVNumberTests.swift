import Foundation
import XCTest
@testable import GlassBoxCore
import GlassBoxTestSupport

/// Number parsing: correctly rounded Float32 from any decimal text.
final class CSVNumberTests: XCTestCase {
    typealias F = CSVFixture

    private func parse(_ s: String) -> Float? {
        let bytes = Array(s.utf8)
        return bytes.withUnsafeBufferPointer { b in
            let (v, next) = DecimalFloat.scan(b.baseAddress!, b.baseAddress! + b.count, DecimalFloat.powers)
            return next == b.baseAddress! + b.count ? v : nil
        }
    }

    /// Property: random matrices written with %.9g read back bit-exactly, through the whole
    /// reader, cut into parallel pieces and streamed through gzip.
    func testRandomMatricesRoundTripBitExactly() throws {
        var rng = SplitMix64(seed: 2024)
        for trial in 0..<6 {
            let rows = 1 + rng.below(60), cols = 1 + rng.below(12)
            var values: [Float] = []
            for _ in 0..<(rows * cols) {
                var f: Float
                repeat {
                    switch rng.below(4) {
                    case 0: f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))  // any finite, subnormals too
                    case 1: f = Float(Double(Int64(bitPattern: rng.next() >> 11)) / Double(1 << 52))  // moderate
                    case 2: f = Float(rng.below(2001) - 1000)  // integers
                    default:
                        f = Float(sign: .plus, exponent: rng.below(40) - 20, significand: 1 + Float(rng.below(1 << 23)) / Float(1 << 23))
                    }
                } while !f.isFinite
                values.append(f)
            }
            var text = (0..<cols).map { "f\($0)" }.joined(separator: ",") + "\n"
            for r in 0..<rows {
                text += (0..<cols).map { String(format: "%.9g", values[r * cols + $0]) }.joined(separator: ",") + "\n"
            }
            for options in [CSVReadOptions(), F.tiny(piece: 1 + trial * 13, block: 40 + trial * 30)] {
                let read = try F.read(text, options: options).dataset
                XCTAssertEqual(read.values.rows, rows)
                XCTAssertEqual(read.values.storage.map(\.bitPattern), values.map(\.bitPattern), "trial \(trial)")
                let gz = try F.read(bytes: gzipCompress(Array(text.utf8)), options: options).dataset
                XCTAssertEqual(gz.values.storage.map(\.bitPattern), values.map(\.bitPattern), "trial \(trial), gzip")
            }
        }
    }

    /// Every Float32 written with %.9g comes back bit-exactly (many random bit patterns).
    func testNineDigitsRoundTripForRandomBitPatterns() {
        var rng = SplitMix64(seed: 99)
        var checked = 0
        for _ in 0..<200_000 {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            guard f.isFinite else { continue }
            let s = String(format: "%.9g", f)
            guard let v = parse(s) else { return XCTFail("did not parse \(s)") }
            if v.bitPattern != f.bitPattern { return XCTFail("\(s) read as \(v), expected \(f)") }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 190_000)
    }

    /// Any decimal text parses to the correctly rounded Float32, as the C library's strtof gives.
    func testRandomDecimalsAgreeWithStrtof() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200_000 {
            var s = rng.below(2) == 0 ? "-" : ""
            let intDigits = rng.below(12)
            let fracDigits = rng.below(intDigits == 0 ? 24 : 24) + (intDigits == 0 ? 1 : 0)
            for _ in 0..<intDigits { s += String(rng.below(10)) }
            if fracDigits > 0 { s += "."; for _ in 0..<fracDigits { s += String(rng.below(10)) } }
            if rng.below(2) == 0 { s += "e\(rng.below(100) - 55)" }
            guard let v = parse(s) else { return XCTFail("did not parse \(s)") }
            let expected = Float(s)!
            if v.bitPattern != expected.bitPattern { return XCTFail("\(s) read as \(v), expected \(expected)") }
        }
    }

    /// Decimals exactly at, just below and just above Float32 rounding midpoints (where
    /// parsing to Double first would round twice).
    func testMidpointsRoundHalfEven() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<20_000 {
            let f = Float(bitPattern: UInt32(rng.below(0x7F00_0000)) + 0x0080_0000)
            let mid = (Double(f) + Double(f.nextUp)) / 2  // exact in Double
            let text = String(format: "%.40g", mid)  // enough digits to be exact
            let expected = Float(text)!
            XCTAssertEqual(parse(text)?.bitPattern, expected.bitPattern, text)
            for nudge in ["1", "9"] {
                // The midpoint with a digit appended after its last digit: just above it.
                var above = text
                if !above.contains("e") { if !above.contains(".") { above += "." }; above += "000000000000000000000" + nudge }
                XCTAssertEqual(parse(above)?.bitPattern, Float(above)!.bitPattern, above)
            }
        }
        // Known hard cases.
        for s in [
            "1.00000005960464477539062499", "1.000000059604644775390625", "1.00000005960464477539062501",
            "3.4028235677973366e38", "3.4028235677973362e38", "1.4012984643e-45", "7.006492321624085e-46",
            "7.006492321624086e-46", "1.1754942e-38", "0.000000000000000000000000000000000000011754943508222875",
            "340282346638528859811704183484516925440", "16777217", "33554434", "9007199254740993",
            "123456789012345678901234567890", "0.1", "0.2", "0.3", "1e-50", "1e50", "-0.0",
        ] {
            XCTAssertEqual(parse(s)?.bitPattern, Float(s)!.bitPattern, s)
        }
    }

    /// `plainCell` (the parser's branch-free path) for `text` followed by `after`, with 32 bytes of
    /// `filler` behind so that it reads what a real buffer would hold.
    private func plainCell(
        _ text: String, _ after: String = ",", filler: UInt8 = UInt8(ascii: "7"),
        terminator: UInt8 = UInt8(ascii: ",")
    ) -> (value: Float, length: Int)? {
        let bytes = Array(text.utf8) + Array(after.utf8) + [UInt8](repeating: filler, count: 32)
        return bytes.withUnsafeBufferPointer { DecimalFloat.plainCell($0.baseAddress!, terminator, DecimalFloat.powers) }
    }

    func testPlainCellTakesPlainNumbersOnly() {
        for text in [
            "0", "-0", "+0", "7", "007", "0.", ".5", "-.5", "+1.5", "1.", "0.150429487", "10.8618107",
            "-0.000123456789", "123456789012345", "-12345678901234", "9999999999999.9", "0.1",
        ] {
            for filler in [UInt8(ascii: "7"), UInt8(ascii: "."), UInt8(ascii: ",")] {
                guard let (v, length) = plainCell(text, filler: filler) else { XCTFail("declined \(text)"); continue }
                XCTAssertEqual(length, text.utf8.count, text)
                XCTAssertEqual(v.bitPattern, Float(text)!.bitPattern, text)
            }
        }
        // Not numbers, not ended by the delimiter, or longer than 15 bytes: left to the general path.
        for text in [
            "", ".", "-", "+", "-.", "+.", "1.2.3", "1e5", "1E5", "1e", "--1", "+-1", "1-", " 1", "1 ", "\"1\"",
            "1234567890123456", "-123456789012345", "0.000000000000001",
            "16777217" /* a rounding midpoint: strtof's */, "nan", "inf", "0x1", "1_0", "1/2", "1é",
        ] {
            XCTAssertNil(plainCell(text), text)
        }
        XCTAssertNil(plainCell("1.5", "\n"))
        XCTAssertNil(plainCell("1.5", "\r\n"))
        XCTAssertNil(plainCell("0", ";"))
        XCTAssertEqual(plainCell("1.5", "\t", terminator: 9)?.value, 1.5)
        XCTAssertEqual(plainCell("-0")?.value.sign, .minus)
        XCTAssertEqual(plainCell("0")?.value.sign, .plus)
    }

    /// For random cells of 1…25 bytes, `plainCell` either declines or agrees with `scan` to the bit,
    /// and it declines a plain number of ≤ 15 bytes only next to a rounding midpoint.
    func testPlainCellAgreesWithScan() {
        var rng = SplitMix64(seed: 31)
        let noise = Array("0123456789.-+eE;\n\r x\"".utf8)  // no delimiter: cells end where the test says
        var plain = 0, declined = 0
        for _ in 0..<300_000 {
            var cell: [UInt8] = []
            switch rng.below(3) {
            case 0: cell = (0..<(1 + rng.below(25))).map { _ in noise[rng.below(noise.count)] }
            default:
                if rng.below(4) == 0 { cell.append(rng.below(2) == 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")) }
                for _ in 0..<rng.below(10) { cell.append(UInt8(48 + rng.below(10))) }
                if rng.below(3) > 0 { cell.append(UInt8(ascii: ".")) }
                for _ in 0..<rng.below(12) { cell.append(UInt8(48 + rng.below(10))) }
                if rng.below(8) == 0 { cell.append(noise[rng.below(noise.count)]) }
                if cell.isEmpty || cell.count > 25 { continue }
            }
            let after = [UInt8(ascii: ","), 10, 13][rng.below(3)]
            let bytes = cell + [after] + (0..<32).map { _ in rng.below(4) == 0 ? UInt8(ascii: ",") : noise[rng.below(noise.count)] }
            let text = String(decoding: cell, as: UTF8.self)
            let isPlain =
                after == UInt8(ascii: ",") && cell.count <= 15
                && text.range(of: #"\A[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)\z"#, options: .regularExpression) != nil
            if isPlain { plain += 1 }
            bytes.withUnsafeBufferPointer { b in
                let p = b.baseAddress!
                guard let (v, length) = DecimalFloat.plainCell(p, UInt8(ascii: ","), DecimalFloat.powers) else {
                    guard isPlain else { return }
                    // Only for a value next to a Float32 rounding midpoint (ties such as 2^24 + 1 included).
                    declined += 1
                    let d = Double(text)!, f = Float(d)
                    let nearMidpoint = [f.nextDown, f.nextUp].contains { abs((Double(f) + Double($0)) / 2 - d) <= abs(d) * 0x1p-50 }
                    XCTAssertTrue(nearMidpoint, "declined \(text)")
                    return
                }
                let (expected, next) = DecimalFloat.scan(p, p + b.count, DecimalFloat.powers)
                XCTAssertTrue(isPlain, text)
                XCTAssertEqual(length, cell.count, text)
                XCTAssertEqual(next - p, length, text)
                XCTAssertEqual(v.bitPattern, expected.bitPattern, text)
            }
        }
        XCTAssertGreaterThan(plain, 50_000)
        XCTAssertLessThan(declined, plain / 50, "plain numbers declined")
    }

    func testClassifyCells() {
        func classify(_ s: String) -> DecimalFloat.Cell {
            let b = Array(s.utf8)
            return b.withUnsafeBufferPointer {
                DecimalFloat.classify(
                    $0.baseAddress ?? UnsafePointer(bitPattern: 1)!, ($0.baseAddress ?? UnsafePointer(bitPattern: 1)!) + $0.count)
            }
        }
        XCTAssertEqual(classify(""), .missing)
        XCTAssertEqual(classify("  "), .missing)
        XCTAssertEqual(classify("NA"), .missing)
        XCTAssertEqual(classify("NAN"), .missing)
        XCTAssertEqual(classify("-nan"), .missing)
        XCTAssertEqual(classify("Inf"), .number(.infinity))
        XCTAssertEqual(classify("-infinity"), .number(-.infinity))
        XCTAssertEqual(classify(" 2.5 "), .number(2.5))
        XCTAssertEqual(classify("1 2"), .text)
        XCTAssertEqual(classify("x"), .text)
        XCTAssertEqual(classify("1e"), .text)
        XCTAssertEqual(classify("."), .text)
        XCTAssertEqual(classify("-"), .text)
    }
}
