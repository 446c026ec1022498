import Foundation
import XCTest
@testable import GlassBoxCore

/// Shared helpers for the portable-format tests.
enum FormatsSupport {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func fixture(_ path: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/" + path, withExtension: nil), "missing fixture \(path)")
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Every tensor of both models has the same dtype, shape and bit patterns (`==` on Double
    /// would let 0.0 and -0.0 pass).
    static func assertBitIdentical(
        _ a: GlassBoxModel, _ b: GlassBoxModel, _ context: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(a, b, context, file: file, line: line)
        let ta = Dictionary(uniqueKeysWithValues: EncoderDescription.tensors(of: a).map { ($0.name, $0.tensor) })
        let tb = Dictionary(uniqueKeysWithValues: EncoderDescription.tensors(of: b).map { ($0.name, $0.tensor) })
        XCTAssertEqual(Set(ta.keys), Set(tb.keys), context, file: file, line: line)
        for (name, x) in ta {
            guard let y = tb[name] else { continue }
            XCTAssertEqual(x.scalarType, y.scalarType, "\(context) \(name)", file: file, line: line)
            XCTAssertEqual(x.shape, y.shape, "\(context) \(name)", file: file, line: line)
            XCTAssertEqual(x.values.map(\.bitPattern), y.values.map(\.bitPattern), "\(context) \(name)", file: file, line: line)
        }
        XCTAssertEqual(a.encoder.layers.map(\.name), b.encoder.layers.map(\.name), context, file: file, line: line)
    }
}

final class FormatsRoundTripTests: XCTestCase {
    private var tmp: URL!

    override func setUpWithError() throws { tmp = try FormatsSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    private var sources: [URL] {
        get throws {
            try ["pbmc68k", "wine"].map { FormatsSupport.packageRoot.appendingPathComponent("SampleData/\($0)/model.pt") }
                + ["default_pca", "float16", "float64", "mixed_bfloat16", "residual", "one_hidden", "protocol4"]
                .map { try FormatsSupport.fixture("checkpoints/\($0).pt") }
        }
    }

    /// `.pt` → safetensors → directory → safetensors keeps every bit, and both safetensors
    /// files are byte-identical.
    func testPtToSafetensorsToDirectoryToSafetensorsIsBitExact() throws {
        for source in try sources {
            let name = source.deletingPathExtension().lastPathComponent + "-" + source.deletingLastPathComponent().lastPathComponent
            let original = try ModelFile.load(source)
            let st1 = tmp.appendingPathComponent("\(name).safetensors")
            let dir = tmp.appendingPathComponent("\(name)-dir")
            let st2 = tmp.appendingPathComponent("\(name)-2.safetensors")
            try ModelFile.save(original, to: st1, format: .safetensors)
            let fromST = try ModelFile.load(st1)
            FormatsSupport.assertBitIdentical(original, fromST, "\(name) safetensors")
            try ModelFile.save(fromST, to: dir, format: .directory)
            let fromDir = try ModelFile.load(dir)
            FormatsSupport.assertBitIdentical(original, fromDir, "\(name) directory")
            try ModelFile.save(fromDir, to: st2, format: .safetensors)
            FormatsSupport.assertBitIdentical(original, try ModelFile.load(st2), "\(name) safetensors again")
            XCTAssertEqual(try Data(contentsOf: st1), try Data(contentsOf: st2), name)
            // Loading `encoder.json` itself opens its directory.
            XCTAssertEqual(try ModelFile.load(dir.appendingPathComponent("encoder.json")), original)
        }
    }

    func testFeatureNamesAndAttributesSurviveRoundTrips() throws {
        var model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/default_pca.pt"))
        model.featureNames = (0..<model.featureCount).map { "gene \"\($0)\", ü\\/😀" }
        model.attributes.append(
            (
                "nested",
                .dict([
                    ("list", .list([.int(-3), .double(-0.0), .double(1e-300), .none, .bool(false)])),
                    ("big", .int(Int.max)), ("text", .string("tab\tquote\"é😀")),
                ])
            ))
        let st = tmp.appendingPathComponent("m.safetensors"), dir = tmp.appendingPathComponent("m")
        try ModelFile.save(model, to: st, format: .safetensors)
        try ModelFile.save(model, to: dir, format: .directory)
        for url in [st, dir] {
            let loaded = try ModelFile.load(url)
            FormatsSupport.assertBitIdentical(model, loaded, url.lastPathComponent)
            XCTAssertEqual(loaded.featureNames, model.featureNames)
            XCTAssertEqual(loaded.attribute("nested"), model.attribute("nested"))
            XCTAssertEqual(loaded.attribute("min_dist"), .double(0.1))
            XCTAssertEqual(loaded.attribute("n_neighbors"), .int(5))
        }
    }

    /// Files written by Python's `safetensors` (Fixtures/formats/make_formats.py, which builds
    /// tensors and description itself) load as the same models as the checkpoints.
    func testPythonWrittenSafetensorsLoad() throws {
        for name in ["default_pca", "mixed_bfloat16"] {
            let fromPython = try ModelFile.load(try FormatsSupport.fixture("formats/python_\(name).safetensors"))
            var checkpoint = try ModelFile.load(try FormatsSupport.fixture("checkpoints/\(name).pt"))
            checkpoint.featureNames = fromPython.featureNames
            FormatsSupport.assertBitIdentical(checkpoint, fromPython, name)
        }
        let named = try ModelFile.load(try FormatsSupport.fixture("formats/python_default_pca.safetensors"))
        XCTAssertEqual(named.featureNames, (0..<10).map { "gene\($0)" })
    }

    func testWrittenSafetensorsLayout() throws {
        let model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/mixed_bfloat16.pt"))
        let bytes = SafetensorsWriter.bytes(of: model)
        let n = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        XCTAssertEqual(n % 8, 0, "header padded to 8 bytes like Python's writer")
        let header = try bytes[8..<(8 + n)].withUnsafeBytes { try JSONParser.parse($0) }
        guard case .object(let items) = header else { return XCTFail("header is not an object") }
        XCTAssertEqual(items.first?.key, "__metadata__")
        XCTAssertEqual(Array(items.dropFirst().map(\.key)), EncoderDescription(model: model).tensorSpecs.map(\.name))
        XCTAssertEqual(header["encoder.model.0.weight"]?["dtype"], .string("BF16"))
        XCTAssertEqual(header["encoder.model.0.weight"]?["data_offsets"], .array([.int(0), .int(8 * 5 * 2)]))
        XCTAssertTrue(items.dropFirst().map(\.key).contains("preprocess.pca.components"))
        guard case .string(let description)? = header["__metadata__"]?["glassbox"] else { return XCTFail("no glassbox metadata") }
        let json = try JSONParser.parse(Data(description.utf8))
        XCTAssertEqual(json["format_version"], .int(1))
        XCTAssertEqual(json["n_components"], .int(2))
    }

    func testTensorCSVLayouts() throws {
        let dir = tmp.appendingPathComponent("w")
        let model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/default_pca.pt"))
        try ModelFile.save(model, to: dir, format: .directory)
        // 1-D tensors are written as a column…
        let meanCSV = try String(contentsOf: dir.appendingPathComponent("preprocess.mean.csv"), encoding: .utf8)
        XCTAssertEqual(meanCSV.split(separator: "\n").count, 10)
        XCTAssertFalse(meanCSV.contains(","))
        // …and read as a row too, with CRLF, spaces and trailing blank lines.
        let row = meanCSV.split(separator: "\n").joined(separator: " , ") + "\r\n\r\n"
        try row.write(to: dir.appendingPathComponent("preprocess.mean.csv"), atomically: true, encoding: .utf8)
        FormatsSupport.assertBitIdentical(model, try ModelFile.load(dir))
        // 2-D tensors are rows of comma-separated numbers.
        let weight = try String(contentsOf: dir.appendingPathComponent("encoder.model.0.weight.csv"), encoding: .utf8)
        XCTAssertEqual(weight.split(separator: "\n").map { $0.split(separator: ",").count }, Array(repeating: 5, count: 8))
    }

    func testTensorCSVErrorsPointAtLineAndColumn() {
        func error(_ text: String, _ spec: TensorSpec = TensorSpec(name: "w", scalarType: .float32, shape: [2, 3])) -> String {
            do {
                _ = try Array(text.utf8).withUnsafeBytes { try TensorCSV.read($0, spec: spec, file: "w.csv") }
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(error("1,2,3\n4,x,6\n"), "w.csv:2:3: expected a number, found 'x'")
        XCTAssertEqual(error("1,2,3\n4,5\n"), "w.csv:2:4: expected 3 numbers on this line, found 2: w has shape [2, 3]")
        XCTAssertEqual(error("1,2,3\n4,5,6,7\n"), "w.csv:2:7: more than 3 numbers on this line: w has shape [2, 3]")
        XCTAssertEqual(error("1,2,3\n"), "w.csv:2:1: the file ends after 1 lines, expected 2: w has shape [2, 3]")
        XCTAssertEqual(error("1,2,3\n\n4,5,6\n"), "w.csv:2:1: empty line inside the tensor; expected 2 lines of 3 numbers")
        XCTAssertEqual(error("1,2,3\n4,5,6\n7,8,9\n"), "w.csv:3:1: more than 2 lines: w has shape [2, 3]")
        XCTAssertEqual(
            error("1,2,3\n4,-Infinity,6\n"), "w.csv:2:3: '-Infinity' is not allowed: weights must be finite, or the embedding is undefined")
        XCTAssertEqual(error("1,2,3\n4,1e39,6\n"), "w.csv:2:3: '1e39' is out of range for F32")
        XCTAssertEqual(error("1,2,3\n4,,6\n"), "w.csv:2:3: expected a number, found an empty field")
        XCTAssertEqual(error("1,2,3\n4,0x1p3,6\n"), "w.csv:2:3: expected a number, found '0x1p3'")
        XCTAssertEqual(error(""), "w.csv:1:1: the file ends after 0 lines, expected 2: w has shape [2, 3]")
        XCTAssertEqual(error(" 1 ,\t2, +3.\r\n-.5,5e0,6E-0\n"), "no error")
        XCTAssertEqual(error("1,2,3\n4,5,6"), "no error", "no final newline")
        XCTAssertEqual(
            error("1\n2\n", TensorSpec(name: "v", scalarType: .float64, shape: [3])),
            "w.csv:3:1: the file ends after 2 lines, expected 3: v has shape [3]")
    }

    /// Hand-written values are rounded to the tensor's dtype, correctly.
    func testTensorCSVRoundsHandWrittenValuesToTheDtype() throws {
        func read(_ text: String, _ type: ScalarType) throws -> [Double] {
            try Array(text.utf8).withUnsafeBytes {
                try TensorCSV.read($0, spec: TensorSpec(name: "v", scalarType: type, shape: [1]), file: "v.csv")
            }
        }
        XCTAssertEqual(try read("0.1\n", .float64), [0.1])
        XCTAssertEqual(try read("0.1\n", .float32), [Double(Float(0.1))])
        XCTAssertEqual(try read("0.1\n", .float16), [0.0999755859375])
        XCTAssertEqual(try read("0.1\n", .bfloat16), [0.10009765625])
        XCTAssertThrowsError(try read("65520\n", .float16), "rounds to infinity in F16")
        XCTAssertEqual(try read("65519\n", .float16), [65504])
    }
}

final class FormatsCodecTests: XCTestCase {
    func testHalfAndBFloat16EncodingIsExactForEveryValue() {
        for bits in UInt16.min...UInt16.max {
            let h = TorchTensorView.halfToDouble(bits)
            if !h.isNaN { XCTAssertEqual(TensorCodec.halfBits(h), bits, "half \(String(bits, radix: 16))") }
            let b = TorchTensorView.bfloat16ToDouble(bits)
            if !b.isNaN { XCTAssertEqual(TensorCodec.bfloat16Bits(b), bits, "bf16 \(String(bits, radix: 16))") }
        }
        XCTAssertTrue(TorchTensorView.halfToDouble(TensorCodec.halfBits(.nan)).isNaN)
    }

    func testHalfRoundingToNearestEven() {
        let ulp1 = 1.0 / 1024  // ulp of 1.0 in Float16
        XCTAssertEqual(TensorCodec.halfBits(1 + ulp1 / 2), 0x3C00, "tie rounds to even")
        XCTAssertEqual(TensorCodec.halfBits(1 + 3 * ulp1 / 2), 0x3C02, "tie rounds to even")
        XCTAssertEqual(TensorCodec.halfBits(1 + ulp1 * 0.5000001), 0x3C01)
        XCTAssertEqual(TensorCodec.halfBits(65520), 0x7C00)
        XCTAssertEqual(TensorCodec.halfBits(-1e-9), 0x8000)
        XCTAssertEqual(TensorCodec.halfBits(Double(sign: .plus, exponent: -25, significand: 1.5)), 0x0001, "subnormal rounds up")
        XCTAssertEqual(
            TensorCodec.halfBits(Double(sign: .plus, exponent: -15, significand: 1.9995)), 0x0400, "rounds up to the least normal")
    }

    /// The text written for each dtype reads back to the same bits.
    func testTextRoundTripsBitForBit() {
        var generator = SystemRandomNumberGenerator()
        func check(_ v: Double, _ type: ScalarType) {
            let text = Array(TensorCodec.text(v, type).utf8)
            let back = text.withUnsafeBytes { TensorCodec.parse($0, type) }
            guard case .success(let w) = back else {
                return XCTFail("\(v) as \(type) → \(String(decoding: text, as: UTF8.self)) did not parse")
            }
            XCTAssertEqual(w.bitPattern, v.bitPattern, "\(type) \(String(decoding: text, as: UTF8.self))")
        }
        for bits in stride(from: UInt16.min, through: UInt16.max, by: 1) {
            let h = TorchTensorView.halfToDouble(bits), b = TorchTensorView.bfloat16ToDouble(bits)
            if h.isFinite { check(h, .float16) }
            if b.isFinite { check(b, .bfloat16) }
        }
        for _ in 0..<200_000 {
            let f = Float(bitPattern: UInt32.random(in: .min ... .max, using: &generator))
            if f.isFinite { check(Double(f), .float32) }
            let d = Double(bitPattern: UInt64.random(in: .min ... .max, using: &generator))
            if d.isFinite { check(d, .float64) }
        }
        for v in [0.0, -0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, 0.1, 0x1p-1030] { check(v, .float64) }  // the last subnormal
        for v: Float in [.leastNonzeroMagnitude, .greatestFiniteMagnitude, -0.0, .leastNormalMagnitude] { check(Double(v), .float32) }
    }
}

final class FormatsJSONTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Data(text.utf8)) }

    private func failure(_ text: String, maxDepth: Int = 64) -> String {
        var limits = JSONParser.Limits()
        limits.maxDepth = maxDepth
        do {
            _ = try JSONParser.parse(Data(text.utf8), limits: limits)
            return "no error"
        } catch let f as JSONParser.Failure {
            return "\(f.offset): \(f.message)"
        } catch { return "\(error)" }
    }

    func testValuesOrderAndTypes() throws {
        let v = try parse(
            #" {"b": [1, -2.5e3, true, false, null], "a": {"x": "y\u00e9\ud83d\ude00\n\"\\\/"}, "c": 1.0, "d": 9223372036854775808} "#)
        guard case .object(let items) = v else { return XCTFail() }
        XCTAssertEqual(items.map(\.key), ["b", "a", "c", "d"])
        XCTAssertEqual(v["b"], .array([.int(1), .double(-2500), .bool(true), .bool(false), .null]))
        XCTAssertEqual(v["a"]?["x"], .string("yé😀\n\"\\/"))
        XCTAssertEqual(v["c"], .double(1))
        XCTAssertEqual(v["d"], .double(9223372036854775808))
        XCTAssertEqual(try parse("[]"), .array([]))
        XCTAssertEqual(try parse("{}"), .object([]))
        XCTAssertEqual(try parse("[[],{},[[]]]"), .array([.array([]), .object([]), .array([.array([])])]))
    }

    func testMalformedJSONIsRefusedWithAnOffset() {
        XCTAssertEqual(failure(#"{"a": 1, "a": 2}"#), #"9: duplicate key "a""#)
        XCTAssertEqual(failure("[1, 2"), "5: unexpected end of JSON inside an array")
        XCTAssertEqual(failure("[1 2]"), "3: expected ',' or ']' in an array, found '2'")
        XCTAssertEqual(failure("{\"a\" 1}"), "5: expected ':' after an object key, found '1'")
        XCTAssertEqual(failure("[01]"), "1: numbers may not have leading zeros")
        XCTAssertEqual(failure("[1e999]"), "1: number 1e999 is out of range")
        XCTAssertEqual(failure("[-]"), "1: a number needs digits after '-'")
        XCTAssertEqual(failure("[1.]"), "1: a number needs digits after '.'")
        XCTAssertEqual(failure("\"a\tb\""), "2: unescaped control character byte 0x09 in a string")
        XCTAssertEqual(failure(#""\ud800""#), "7: unpaired UTF-16 surrogate in a \\u escape")
        XCTAssertEqual(failure(#""\x""#), "1: invalid escape '\\x'")
        XCTAssertEqual(failure("\"abc"), "0: unterminated string")
        XCTAssertEqual(failure("[] x"), "3: unexpected 'x' after the JSON value")
        XCTAssertEqual(failure("[NaN]"), "1: expected a JSON value, found 'N'")
        XCTAssertEqual(failure("tru"), "0: expected a JSON value, found 't'")
        XCTAssertEqual(failure(""), "0: unexpected end of JSON, expected a value")
        XCTAssertEqual(failure("[[1]]", maxDepth: 1), "1: JSON nests deeper than 1 levels")
        // Invalid UTF-8 inside a string.
        XCTAssertThrowsError(try JSONParser.parse(Data([0x22, 0xFF, 0xFE, 0x22])))
    }

    /// A million open brackets cost heap, not stack: refused at the depth limit, no crash.
    func testDeepNestingIsRefusedWithoutRecursion() {
        let deep = String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)
        XCTAssertEqual(failure(deep), "64: JSON nests deeper than 64 levels")
        let objects = String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        XCTAssertTrue(failure(objects).contains("nests deeper than 64 levels"))
        // Just under the limit parses (and is destroyed) fine.
        XCTAssertEqual(failure(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)), "no error")
    }

    func testValueCountIsCapped() {
        var limits = JSONParser.Limits()
        limits.maxValues = 100
        XCTAssertThrowsError(
            try JSONParser.parse(Data(("[" + Array(repeating: "0", count: 200).joined(separator: ",") + "]").utf8), limits: limits))
    }
}
