import Foundation
import XCTest
@testable import GlassBoxCore

/// No byte of a file reaches the terminal as a control character (issue #12: a refused
/// global's name, a state-dict key, attrs['encoder_name'], the byteorder entry and attribute
/// keys in `inspect` were printed raw, ESC and OSC sequences included). Every message of the
/// malformed corpus and of the hostile cases below is scanned.
final class DisplaySafetyTests: XCTestCase {
    /// An OSC that retitles the window, a CSI that clears the screen, NUL, BEL, DEL and a C1 CSI.
    static let evil = "\u{1B}]0;pwned\u{7}\u{1B}[2J\u{0}\u{7F}\u{9B}31m"

    /// Every control character in `text`, except the line feeds of a report's lines.
    private func controls(_ text: String, allowingNewlines: Bool = false) -> [UInt32] {
        text.unicodeScalars.filter { DisplaySafe.isControl($0) && !(allowingNewlines && $0 == "\n") }.map(\.value)
    }

    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    private func assertSafe(
        _ text: String?, allowingNewlines: Bool = false, _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let text else { return XCTFail("\(what): no message", file: file, line: line) }
        XCTAssertEqual(controls(text, allowingNewlines: allowingNewlines), [], "\(what): \(text.debugDescription)", file: file, line: line)
    }

    func testEveryMessageOfTheMalformedCorpusIsDisplaySafe() throws {
        let corpus = try FormatsSupport.fixture("malformed")
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter {
            $0.hasPrefix("pt_") || $0.hasPrefix("st_") || $0.hasPrefix("dir_")
        }
        XCTAssertGreaterThanOrEqual(names.count, 30)
        for name in names.sorted() {
            assertSafe(message { _ = try ModelFile.load(corpus.appendingPathComponent(name)) }, name)
        }
    }

    func testHostileCheckpointTextIsEscapedInMessagesAndReports() throws {
        let evil = Self.evil
        // A refused global, named by the file.
        var p = PickleWriter()
        p.global("posix" + evil.replacingOccurrences(of: "\u{0}", with: ""), "system")
        assertSafe(message { _ = try Unpickler.load(p.bytes, file: "g.pt", field: "g/data.pkl") }, "refused global")

        func load(_ edit: (inout HandMadeCheckpoint) -> Void) throws -> GlassBoxModel {
            var ck = HandMadeCheckpoint()
            edit(&ck)
            return try TorchCheckpoint.load(data: ck.zip, fileName: "evil.pt")
        }
        // A state-dict key, under and outside encoder.
        for key in ["encoder.model.0" + evil + ".weight", "encoder.model.7.weight" + evil, evil] {
            assertSafe(
                message {
                    _ = try load {
                        $0.extraState = { p in
                            p.string(key); p.tensor(key: "0", numel: 6, size: [2, 3], stride: [3, 1])
                        }
                    }
                },
                "state-dict key \(key.debugDescription)")
        }
        // attrs['encoder_name'] in the message about the layout.
        assertSafe(
            message {
                _ = try load {
                    $0.extraAttrs = { p in
                        p.string("encoder_name"); p.string("mine" + evil)
                    }
                }
            }, "encoder_name")
        // The byteorder entry.
        assertSafe(message { _ = try load { $0.byteorder = "big" + evil } }, "byteorder")
        // Attribute keys and values load, and `inspect` shows them escaped.
        let model = try load {
            $0.extraAttrs = { p in
                p.string("key" + evil); p.string("value" + evil)
            }
        }
        let report = ModelReport(model: model, file: "evil" + evil + ".pt")
        assertSafe(report.text, allowingNewlines: true, "inspect text")
        assertSafe(report.json, "inspect --json")
        XCTAssertTrue(report.text.contains("key\\u{1b}]0;pwned\\u{7}"), report.text)
        // A zip entry's name.
        let pickle = HandMadeCheckpoint().pickle
        assertSafe(
            message {
                _ = try TorchCheckpoint.load(
                    data: StoredZip.make([("a" + evil + "/data.pkl", pickle), ("b/data.pkl", pickle)]), fileName: "z.pt")
            },
            "zip entry name")
    }

    func testHostilePortableFilesAndDataAreEscaped() throws {
        let evil = Self.evil
        func safetensors(_ header: String) -> Data {
            let n = UInt64(header.utf8.count)
            return Data((0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + Array(header.utf8))
        }
        let quoted = JSONText.quote(evil)
        for header in [
            #"{"t\#(quoted.dropFirst().dropLast())": {"dtype": "F32", "shape": [0], "data_offsets": [0, 0]}}"#,
            #"{"__metadata__": {"glassbox": "{\"format\": \#(JSONText.quote(quoted).dropFirst().dropLast())}"}}"#,
            #"{"__metadata__": {"k\#(quoted.dropFirst().dropLast())": 1}}"#,
            #"{"a\#(quoted.dropFirst().dropLast())": 1, "a\#(quoted.dropFirst().dropLast())": 2}"#,
        ] {
            assertSafe(message { _ = try SafetensorsReader.load(data: safetensors(header), fileName: "m.safetensors") }, header)
        }
        // encoder.json: a layer type and a tensor key.
        let model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/one_hidden.pt"))
        var files: [String: Data] = [:]
        let json = EncoderDescription(model: model).json
        for (original, replacement) in [("\"type\": \"PReLU\"", "\"type\": \(quoted)"), ("\"weight\"", quoted)] {
            files["encoder.json"] = Data(json.replacingOccurrences(of: original, with: replacement).utf8)
            assertSafe(message { _ = try EncoderDirectory.load(files: files, directory: "d") }, replacement)
        }
        files["encoder.json"] = Data(json.utf8)
        files[evil + ".csv"] = Data()
        assertSafe(message { _ = try EncoderDirectory.load(files: files, directory: "d") }, "tensor file name")
        // CSV: a column name, a cell, and ids in the verification report.
        assertSafe(
            CSVFixture.error("a,b\n1,x\(evil)\n", expecting: FeatureExpectation(count: 2, names: ["a", "b"]))?.description, "CSV cell")
        assertSafe(
            CSVFixture.error("a\(evil),b\n1,2\n", expecting: FeatureExpectation(count: 2, names: ["a", "b"]))?.description, "CSV column")
        let (wine, data) = try ExportSupport.load(ExportSupport.wine)
        var dataset = data
        dataset.ids = dataset.ids.map { $0 + evil }
        dataset.values.storage[3] = 3e38  // a non-finite sample, named in the report
        let result = try Exporter.run(model: wine, dataset: dataset, options: ExportOptions(directory: nil))
        XCTAssertEqual(result.report.verification.nonFiniteRows, [0])
        assertSafe(result.report.text, allowingNewlines: true, "verify text")
        assertSafe(result.report.json, "verify --json")
    }

    func testJSONTextEscapesEveryControlCharacter() throws {
        let quoted = JSONText.quote("a\u{7F}b\u{85}c\u{1B}d")
        XCTAssertEqual(quoted, #""a\u007fb\u0085c\u001bd""#)
        XCTAssertEqual(try JSONParser.parse(Data(quoted.utf8)), .string("a\u{7F}b\u{85}c\u{1B}d"))
    }

    /// A file's text is quoted in messages only as an excerpt, with its length when cut (issue
    /// #12: a 10 MB header cell came back whole in the error).
    func testQuotedExcerptsAreCapped() throws {
        let huge = String(repeating: "x", count: 10_000_000)
        var messages: [(String, String?)] = [
            ("header cell", CSVFixture.error("a,\(huge)\n1,2\n", expecting: FeatureExpectation(count: 13))?.description),
            ("data cell", CSVFixture.error("a,b\n1,\(huge)\n", expecting: FeatureExpectation(count: 2, names: ["a", "b"]))?.description),
            ("missing named column", CSVFixture.error("a,b\n1,2\n", expecting: FeatureExpectation(count: 1, names: [huge]))?.description),
        ]
        var p = PickleWriter()
        p.string("posix"); p.string(huge); p.op(0x93)  // STACK_GLOBAL
        messages.append(("refused global", message { _ = try Unpickler.load(p.bytes, file: "g.pt", field: "g/data.pkl") }))
        messages.append(("JSON key", message { _ = try JSONParser.parse(Data("{\"\(huge)\": 1, \"\(huge)\": 2}".utf8)) }))
        var ck = HandMadeCheckpoint()
        ck.extraState = { p in
            p.string("encoder.model.0." + huge); p.tensor(key: "0", numel: 6, size: [2, 3], stride: [3, 1])
        }
        messages.append(("state-dict key", message { _ = try TorchCheckpoint.load(data: ck.zip, fileName: "k.pt") }))
        for (what, text) in messages {
            let text = try XCTUnwrap(text, what)
            XCTAssertLessThan(text.utf8.count, 5000, "\(what): \(text.prefix(300))")
            XCTAssertTrue(text.contains("bytes)"), "\(what): \(text.prefix(300))")
        }
        XCTAssertTrue(messages[0].1?.contains("'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… (10000000 bytes)'") ?? false, messages[0].1 ?? "")
        XCTAssertEqual(
            DisplaySafe.excerpt("é" + String(repeating: "a", count: 40)), "é" + String(repeating: "a", count: 39) + "… (42 bytes)")
        XCTAssertEqual(DisplaySafe.excerpt("short"), "short")
    }
}
