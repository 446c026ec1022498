import Foundation
import XCTest
@testable import GlassBoxCore

/// Hostile and broken model files in all three formats. The committed corpus lives in
/// Fixtures/malformed (made by its make_malformed.py; expected.json maps each case to a
/// fragment of its message); the rest are built here.
final class FormatsMalformedTests: XCTestCase {
    private var tmp: URL!

    override func setUpWithError() throws { tmp = try FormatsSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    private func loadError(_ url: URL, file: StaticString = #filePath, line: UInt = #line) -> InputError? {
        do {
            _ = try ModelFile.load(url)
            XCTFail("\(url.lastPathComponent) loaded", file: file, line: line)
        } catch let error as InputError {
            return error
        } catch {
            XCTFail("\(url.lastPathComponent): not an InputError: \(error)", file: file, line: line)
        }
        return nil
    }

    func testMalformedCorpusGivesClearInputErrors() throws {
        let manifest = try FormatsSupport.fixture("malformed/expected.json")
        let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: String])
        XCTAssertGreaterThanOrEqual(expected.count, 30)
        for kind in ["truncated", "bitflip", "wrong_magic", "huge", "nan_weight", "shape_mismatch"] {
            for prefix in ["pt_", "st_", "dir_"] {
                XCTAssertTrue(expected.keys.contains { $0.hasPrefix(prefix + kind) }, "corpus lacks \(prefix)\(kind)")
            }
        }
        for (name, fragment) in expected.sorted(by: { $0.key < $1.key }) {
            let url = manifest.deletingLastPathComponent().appendingPathComponent(name)
            guard let error = loadError(url) else { continue }
            XCTAssertTrue(error.description.contains(fragment), "\(name): \(error)")
            XCTAssertTrue(error.file.contains(name.trimmingCharacters(in: ["/"])), "\(name): error names \(error.file)")
        }
    }

    // MARK: - Safetensors, built in memory

    private func safetensors(header: String, data: [UInt8] = []) -> Data {
        var out: [UInt8] = []
        let n = UInt64(header.utf8.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
        return Data(out + Array(header.utf8) + data)
    }

    private func safetensorsError(_ data: Data) -> String {
        do {
            _ = try SafetensorsReader.load(data: data, fileName: "m.safetensors")
            return "loaded"
        } catch { return "\(error)" }
    }

    func testSafetensorsHeaderChecks() {
        XCTAssertEqual(
            safetensorsError(Data([1, 2, 3])), "m.safetensors: too short for a safetensors file (3 bytes; the header length alone takes 8)")
        XCTAssertEqual(
            safetensorsError(Data([200, 0, 0, 0, 0, 0, 0, 0, 0x7B])),
            "m.safetensors: header: declares a 200-byte header but the file has only 1 bytes after the length (truncated?)")
        XCTAssertEqual(
            safetensorsError(Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B])),
            "m.safetensors: header: declares a 18446744073709551615-byte header, more than the 100000000 allowed (corrupt, or not a safetensors file)"
        )
        XCTAssertEqual(
            safetensorsError(safetensors(header: "[1]")), "m.safetensors: header: does not start with '{'; not a safetensors file")
        XCTAssertEqual(
            safetensorsError(safetensors(header: "{}")),
            "m.safetensors: __metadata__: missing: this safetensors file has no glassbox model description (make one with `glassbox convert`)"
        )
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"__metadata__": {"other": "x"}}"#)).contains("has no 'glassbox' entry"), true)
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"__metadata__": {"glassbox": 3}}"#)),
            "m.safetensors: __metadata__['glassbox']: expected a string (metadata maps strings to strings), found a number")
        // Every metadata value is a string, not only the one glassbox reads (as Python's safetensors checks).
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"__metadata__": {"glassbox": "{}", "n": null}}"#)),
            "m.safetensors: __metadata__['n']: expected a string (metadata maps strings to strings), found null")
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"__metadata__": {"a": {"b": "c"}, "glassbox": "{}"}}"#)),
            "m.safetensors: __metadata__['a']: expected a string (metadata maps strings to strings), found an object")
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"__metadata__": [1]}"#)),
            "m.safetensors: __metadata__: expected an object of strings, found an array")
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"__metadata__": {"glassbox": "{\"format\": 1"}}"#)),
            "m.safetensors: __metadata__['glassbox']: line 1, column 13: unexpected end of JSON inside an object")
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"t": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0])),
            "m.safetensors: header['t']: shape [2] of F32 needs 8 bytes but data_offsets [0, 4] span 4")
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"t": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0])),
            "m.safetensors: header['t']: 'shape' must hold non-negative integers")
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}"#, data: [0, 0, 0, 0])),
            "m.safetensors: header['t']: data_offsets [4, 0] lie outside the 4-byte data area (truncated or corrupt file)")
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4.5]}}"#, data: [0, 0, 0, 0])),
            "m.safetensors: header['t']: 'data_offsets' must be two integers [begin, end]")
        XCTAssertEqual(
            safetensorsError(
                safetensors(header: #"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0, 9])),
            "m.safetensors: header: the tensors end at byte 4 of the data area but the file has 5 bytes there")
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "t": {}}"#)).contains(
                "duplicate key"), true)
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"t": {"dtype": "F32", "shape": [9223372036854775807, 2], "data_offsets": [0, 4]}}"#)),
            "m.safetensors: header['t']: shape [9223372036854775807, 2] has more elements than can be counted")
        XCTAssertEqual(
            safetensorsError(safetensors(header: #"{"t": {"dtype": "F32", "shape": [4611686018427387904], "data_offsets": [0, 0]}}"#)),
            "m.safetensors: header['t']: shape [4611686018427387904] of F32 needs more than Int.max bytes but data_offsets [0, 0] span 0")
    }

    /// File text quoted in a message cannot carry terminal escape sequences.
    func testMessagesEscapeControlCharactersFromTheFile() {
        let message = safetensorsError(safetensors(header: "{\"\\u001b]0;owned\\u0007\u{9B}2J\": {\"dtype\": \"\\u001b[31m\"}}"))
        XCTAssertEqual(
            message,
            #"m.safetensors: header['\u{1b}]0;owned\u{7}\u{9b}2J']: dtype '\u{1b}[31m' is not supported; model weights must be F16, BF16, F32, F64"#
        )
        let csv: String
        do {
            _ = try Array("1,\u{1B}[2J\n".utf8).withUnsafeBytes {
                try TensorCSV.read($0, spec: TensorSpec(name: "w", scalarType: .float32, shape: [1, 2]), file: "w.csv")
            }
            csv = "loaded"
        } catch { csv = "\(error)" }
        XCTAssertEqual(csv, #"w.csv:1:3: expected a number, found '\u{1b}[2J'"#)
    }

    /// The description and the tensors must agree; tensors it does not mention are refused.
    func testSafetensorsDescriptionMustMatchTheTensors() throws {
        let model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/one_hidden.pt"))
        let good = SafetensorsWriter.bytes(of: model)
        let n = Int(good[0]) | Int(good[1]) << 8
        let header = String(decoding: good[8..<(8 + n)], as: UTF8.self)
        let data = Array(good[(8 + n)...])
        // An extra, undescribed tensor after the others.
        let extra =
            header.trimmingCharacters(in: .whitespaces).dropLast()
            + #", "extra": {"dtype": "F32", "shape": [1], "data_offsets": [\#(data.count), \#(data.count + 4)]}}"#
        XCTAssertTrue(
            safetensorsError(safetensors(header: String(extra), data: data + [0, 0, 0, 0])).contains(
                "holds tensor 'extra', which the glassbox description does not mention"))
        // A described tensor missing.
        let renamed = header.replacingOccurrences(of: #""preprocess.mean": {"#, with: #""preprocess.other": {"#)
        XCTAssertEqual(safetensorsError(safetensors(header: renamed, data: data)).contains("holds tensor 'preprocess.other'"), true)
        // A future format version.
        let future = header.replacingOccurrences(of: #"\"format_version\": 1"#, with: #"\"format_version\": 2"#)
        XCTAssertTrue(safetensorsError(safetensors(header: future, data: data)).contains("version 2 is not supported"), future)
    }

    // MARK: - Encoder descriptions

    private func descriptionError(_ edit: (inout [String: Any]) -> Void) throws -> String {
        let model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/default_pca.pt"))
        let dir = tmp.appendingPathComponent("d-\(UUID().uuidString)")
        try ModelFile.save(model, to: dir, format: .directory)
        let jsonURL = dir.appendingPathComponent("encoder.json")
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: jsonURL)) as? [String: Any])
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: jsonURL)
        do {
            _ = try ModelFile.load(dir)
            return "loaded"
        } catch { return "\(error)".replacingOccurrences(of: dir.path + "/", with: "") }
    }

    private func editLayer(_ index: Int, _ json: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var layers = json["layers"] as! [[String: Any]]
        edit(&layers[index])
        json["layers"] = layers
    }

    func testEncoderDescriptionChecks() throws {
        XCTAssertEqual(try descriptionError { $0["layers"] = [] }, "encoder.json: layers: expected a non-empty array of layers")
        XCTAssertEqual(
            try descriptionError { self.editLayer(1, &$0) { $0["type"] = "ReLU" } },
            "encoder.json: layers[1].type: unknown layer type 'ReLU'; expected Linear, PReLU, LayerNormDetached, Dropout or ResidualMLPBlock"
        )
        XCTAssertEqual(
            try descriptionError { self.editLayer(0, &$0) { $0["tensors"] = [:] as [String: Any] } },
            "encoder.json: layers[0].tensors: a Linear needs the tensor 'weight'")
        XCTAssertEqual(
            try descriptionError { self.editLayer(0, &$0) { $0["tensors"] = ["bias": ["dtype": "F32", "shape": [8]]] } },
            "encoder.json: layers[0].tensors['bias']: unexpected tensor 'bias'; expected 'weight'")
        XCTAssertEqual(
            try descriptionError { self.editLayer(0, &$0) { $0["tensors"] = ["weight": ["dtype": "I8", "shape": [8, 5]]] } },
            "encoder.json: layers[0].tensors['weight']: 'dtype' must be one of F16, BF16, F32, F64")
        XCTAssertEqual(
            try descriptionError { self.editLayer(3, &$0) { $0["name"] = "encoder.model.0" } },
            "encoder.json: layers[3]: two layers are named 'encoder.model.0'")
        XCTAssertEqual(
            try descriptionError { self.editLayer(3, &$0) { $0["name"] = "a/b" } }.contains("'name' must be a dotted module name"), true)
        XCTAssertEqual(
            try descriptionError { self.editLayer(2, &$0) { $0["eps"] = -1 } }, "encoder.json: layers[2].eps: must be ≥ 0, found -1.0")
        XCTAssertEqual(
            try descriptionError { self.editLayer(0, &$0) { $0["eps"] = 1e-5 } }, "encoder.json: layers[0].eps: a Linear has no eps")
        // Only PyTorch's spelling of a module index: "00" would be another name for module 0.
        XCTAssertEqual(
            try descriptionError { self.editLayer(3, &$0) { $0["name"] = "encoder.model.03" } },
            "encoder.json: layers[3]: 'name' \"encoder.model.03\" writes a module index with a leading zero; PyTorch writes indices as 0, 1, …, and another spelling could alias another layer"
        )
        XCTAssertEqual(
            try descriptionError { $0["n_components"] = 3 },
            "encoder.json: n_components: n_components is 3 but the encoder's last layer gives 2 values")
        XCTAssertEqual(
            try descriptionError { $0["input_dims"] = [6] },
            "encoder.json: input_dims: input_dims [6] has 6 values but the encoder takes 5 inputs")
        XCTAssertEqual(try descriptionError { $0["feature_names"] = ["a"] }, "encoder.json: feature_names: 1 feature names for 10 features")
        XCTAssertEqual(
            try descriptionError { $0["feature_names"] = Array(repeating: "a", count: 10) },
            "encoder.json: feature_names: feature name 'a' appears twice; names must identify columns")
        XCTAssertEqual(
            try descriptionError { $0["format_version"] = 2 },
            "encoder.json: format_version: version 2 is not supported; this glassbox reads version 1")
        XCTAssertEqual(
            try descriptionError { json in
                var pre = json["preprocess"] as! [String: Any]
                pre["pca.mean"] = nil
                json["preprocess"] = pre
            }, "encoder.json: preprocess: 'pca.components' and 'pca.mean' come together or not at all")
        XCTAssertEqual(
            try descriptionError { json in
                var pre = json["preprocess"] as! [String: Any]
                pre["mean"] = ["dtype": "F32", "shape": [2, 5]]
                json["preprocess"] = pre
            }, "preprocess.mean.csv:1:10: expected 5 numbers on this line, found 1: preprocess.mean has shape [2, 5]")
    }

    /// A tensor file the description does not list is refused, not ignored: beside
    /// `encoder.model.0.weight.csv`, an `encoder.model.00.weight.csv` is a second candidate.
    func testAnUndescribedTensorFileIsRefused() throws {
        let model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/one_hidden.pt"))
        let dir = tmp.appendingPathComponent("d")
        try ModelFile.save(model, to: dir, format: .directory)
        try FileManager.default.copyItem(
            at: dir.appendingPathComponent("encoder.model.0.weight.csv"),
            to: dir.appendingPathComponent("encoder.model.00.weight.csv"))
        try Data("notes".utf8).write(to: dir.appendingPathComponent("README.txt"))
        let error = try XCTUnwrap(loadError(dir))
        XCTAssertEqual(error.file, dir.relativePath + "/encoder.model.00.weight.csv")
        XCTAssertTrue(error.message.hasPrefix("unexpected tensor file: encoder.json does not describe it"), error.message)
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            files[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        XCTAssertThrowsError(try EncoderDirectory.load(files: files, directory: "mem"))
        files["encoder.model.00.weight.csv"] = nil
        XCTAssertEqual(try EncoderDirectory.load(files: files, directory: "mem"), model)
    }

    // MARK: - Files that are not what they seem

    func testSymlinksInsideAnEncoderDirectoryAreRefused() throws {
        let model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/default_pca.pt"))
        let dir = tmp.appendingPathComponent("d")
        try ModelFile.save(model, to: dir, format: .directory)
        let target = dir.appendingPathComponent("preprocess.mean.csv")
        let moved = tmp.appendingPathComponent("elsewhere.csv")
        try FileManager.default.moveItem(at: target, to: moved)
        try FileManager.default.createSymbolicLink(at: target, withDestinationURL: moved)
        let error = try XCTUnwrap(loadError(dir))
        XCTAssertTrue(error.description.contains("preprocess.mean.csv: is a symbolic link"), "\(error)")
    }

    func testFIFOsAreRefusedWithoutBlocking() throws {
        for name in ["model.pt", "model.safetensors", "encoder.json"] {
            let dir = tmp.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let fifo = dir.appendingPathComponent(name)
            XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
            let error = try XCTUnwrap(loadError(name == "encoder.json" ? dir : fifo))
            XCTAssertTrue(error.description.contains("is a FIFO (named pipe), expected a"), "\(name): \(error)")
        }
    }

    func testADirectoryWithoutEncoderJSONIsNotAModel() throws {
        let error = try XCTUnwrap(loadError(tmp))
        XCTAssertTrue(error.description.contains("is a directory without an encoder.json"), "\(error)")
    }

    // MARK: - Writing

    func testWritersRefuseToOverwriteWithoutForceAndReplaceAtomically() throws {
        let model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/one_hidden.pt"))
        let other = try ModelFile.load(try FormatsSupport.fixture("checkpoints/default_pca.pt"))
        for format in ModelFile.Format.allCases {
            let out = tmp.appendingPathComponent(format == .safetensors ? "m.safetensors" : "m")
            try ModelFile.save(model, to: out, format: format)
            XCTAssertThrowsError(try ModelFile.save(other, to: out, format: format)) { error in
                XCTAssertTrue("\(error)".contains("already exists; pass --force to replace it"), "\(error)")
            }
            XCTAssertEqual(try ModelFile.load(out), model)
            try ModelFile.save(other, to: out, format: format, force: true)
            XCTAssertEqual(try ModelFile.load(out), other)
        }
        // Only the two outputs remain: no temporary or backup files.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path).sorted(), ["m", "m.safetensors"])
    }

    /// Layer names from a `.pt` become file names: unsafe ones are refused, not written.
    func testUnsafeLayerNamesAreRefusedOnWrite() throws {
        var model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/one_hidden.pt"))
        model.encoder.layers[0].name = "encoder.a/../../b.0"
        for format in ModelFile.Format.allCases {
            XCTAssertThrowsError(try ModelFile.save(model, to: tmp.appendingPathComponent("x.\(format)"), format: format)) { error in
                XCTAssertTrue("\(error)".contains("encoder.a/../../b.0: this layer name cannot be stored"), "\(error)")
            }
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp.path), [])
    }

    /// Attribute dicts with keys that collide as JSON keep the first value.
    func testCollidingAttributeKeysAreWrittenOnce() throws {
        var model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/one_hidden.pt"))
        model.attributes.append(("d", .dict([("1", .int(1)), ("1", .string("one"))])))
        let url = tmp.appendingPathComponent("m.safetensors")
        try ModelFile.save(model, to: url, format: .safetensors)
        XCTAssertEqual(try ModelFile.load(url).attribute("d"), .dict([("1", .int(1))]))
    }

    func testForceNeverReplacesAnUnrelatedDirectory() throws {
        let model = try ModelFile.load(try FormatsSupport.fixture("checkpoints/one_hidden.pt"))
        let precious = tmp.appendingPathComponent("precious")
        try FileManager.default.createDirectory(at: precious, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: precious.appendingPathComponent("notes.txt"))
        XCTAssertThrowsError(try ModelFile.save(model, to: precious, format: .directory, force: true)) { error in
            XCTAssertTrue("\(error)".contains("not an encoder directory"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: precious.appendingPathComponent("notes.txt"), encoding: .utf8), "keep")
    }

    func testFeatureNamesFile() throws {
        func read(_ text: String, _ count: Int) -> String {
            let url = tmp.appendingPathComponent("names-\(UUID().uuidString).txt")
            try? Data(text.utf8).write(to: url)
            do { return try FeatureNames.read(url, expecting: count).joined(separator: "|") } catch {
                return "\(error)".replacingOccurrences(of: url.path, with: "names.txt")
            }
        }
        XCTAssertEqual(read("\u{FEFF}a\r\n b \nc\n\n", 3), "a|b|c")
        XCTAssertEqual(read("a\nb\n", 3), "names.txt: lists 2 feature names but the model has 3 features")
        XCTAssertEqual(read("a\n\nb\n", 2), "names.txt:2:1: empty line; expected one feature name per line")
        XCTAssertEqual(read("a\na\n", 2), "names.txt: feature name 'a' appears twice; names must identify columns")
        XCTAssertEqual(read("a\nb\u{1B}]0;pwned\u{7}\n", 2), "names.txt: feature name #2 contains a control character")
    }
}
