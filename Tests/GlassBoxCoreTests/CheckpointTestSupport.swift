import Foundation
import XCTest
@testable import GlassBoxCore

/// Helpers for the checkpoint tests: fixture access, a stored-zip writer and a pickle
/// writer for crafting hostile files, and a plain Double forward pass for numeric checks.
enum CheckpointFixtures {
    static func url(_ name: String) throws -> URL {
        try XCTUnwrap(
            Bundle.module.url(forResource: "Fixtures/checkpoints/" + name, withExtension: nil),
            "missing fixture \(name)")
    }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: try url(name)) }

    /// `X`, the float64 reference `z`, and upstream's float32 `transform` when recorded.
    static func expected(_ name: String) throws -> (x: [[Double]], z: [[Double]], zTransform: [[Double]]?) {
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: try data(name + ".json")) as? [String: Any])
        func matrix(_ key: String) -> [[Double]]? {
            (json[key] as? [[NSNumber]])?.map { $0.map(\.doubleValue) }
        }
        return (try XCTUnwrap(matrix("X")), try XCTUnwrap(matrix("z")), matrix("z_transform"))
    }

    /// The entries of a fixture checkpoint, in path order, to rebuild it with changes.
    static func entries(_ name: String) throws -> [(String, [UInt8])] {
        let archive = try TorchArchive(data: try data(name), file: name)
        return try archive.entryPaths.map { ($0, try archive.entryBytes($0)) }
    }
}

/// Writes a zip with stored (uncompressed) entries, like PyTorch does.
enum StoredZip {
    static func make(_ entries: [(String, [UInt8])]) -> Data {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: Int, _ into: inout [UInt8]) { into += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func u32(_ v: UInt32, _ into: inout [UInt8]) { for i in 0..<4 { into.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
        for (name, data) in entries {
            let offset = UInt32(out.count)
            let crc = crc32(data)
            let nameBytes = Array(name.utf8)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out)
            u16(nameBytes.count, &out); u16(0, &out); out += nameBytes; out += data
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0x21, &central); u32(crc, &central); u32(UInt32(data.count), &central)
            u32(UInt32(data.count), &central); u16(nameBytes.count, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(0, &central); u32(offset, &central); central += nameBytes
        }
        let centralOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(central.count), &out); u32(centralOffset, &out); u16(0, &out)
        return Data(out)
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}

/// Emits pickle opcodes (protocol 2 unless told otherwise) for hand-made test files.
struct PickleWriter {
    var bytes: [UInt8]

    init(protocol version: UInt8 = 2) { bytes = [0x80, version] }

    mutating func op(_ code: UInt8) { bytes.append(code) }
    mutating func mark() { op(0x28) }
    mutating func stop() { op(0x2E) }
    mutating func none() { op(0x4E) }
    mutating func bool(_ b: Bool) { op(b ? 0x88 : 0x89) }
    mutating func emptyDict() { op(0x7D) }
    mutating func emptyList() { op(0x5D) }
    mutating func emptyTuple() { op(0x29) }
    mutating func tuple() { op(0x74) }
    mutating func setItem() { op(0x73) }
    mutating func setItems() { op(0x75) }
    mutating func append() { op(0x61) }
    mutating func reduce() { op(0x52) }
    mutating func build() { op(0x62) }
    mutating func newObj() { op(0x81) }
    mutating func persid() { op(0x51) }

    mutating func int(_ v: Int) {
        op(0x4A)
        let u = UInt32(bitPattern: Int32(v))
        for i in 0..<4 { bytes.append(UInt8((u >> (8 * UInt32(i))) & 0xFF)) }
    }

    /// LONG1 with 8 bytes: any Int, including those past BININT's 32 bits.
    mutating func long(_ v: Int) {
        bytes += [0x8A, 8]
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * i))) }
    }

    mutating func float(_ v: Double) {
        op(0x47)
        let u = v.bitPattern
        for i in (0..<8).reversed() { bytes.append(UInt8((u >> (8 * UInt64(i))) & 0xFF)) }
    }

    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        op(0x58)
        let n = UInt32(utf8.count)
        for i in 0..<4 { bytes.append(UInt8((n >> (8 * UInt32(i))) & 0xFF)) }
        bytes += utf8
    }

    mutating func rawBytes(_ b: [UInt8]) {
        op(0x42)
        let n = UInt32(b.count)
        for i in 0..<4 { bytes.append(UInt8((n >> (8 * UInt32(i))) & 0xFF)) }
        bytes += b
    }

    mutating func global(_ module: String, _ name: String) {
        op(0x63)
        bytes += Array("\(module)\n\(name)\n".utf8)
    }

    mutating func put(_ key: UInt8) { bytes += [0x71, key] }
    mutating func get(_ key: UInt8) { bytes += [0x68, key] }

    mutating func intTuple(_ values: [Int]) {
        mark()
        for v in values { int(v) }
        tuple()
    }

    /// `_rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, size, stride, False, OrderedDict())`.
    mutating func tensor(key: String, numel: Int, size: [Int], stride: [Int], offset: Int = 0, storage: String = "FloatStorage") {
        global("torch._utils", "_rebuild_tensor_v2")
        mark()
        mark(); string("storage"); global("torch", storage); string(key); string("cpu"); int(numel); tuple()
        persid()
        int(offset)
        intTuple(size)
        intTuple(stride)
        bool(false)
        global("collections", "OrderedDict"); emptyTuple(); reduce()
        tuple()
        reduce()
    }

    /// A float32 numpy array as numpy pickles it: `_reconstruct` + BUILD with raw bytes.
    mutating func ndarray(_ values: [Float], shape: [Int], fortran: Bool = false) {
        global("numpy._core.multiarray", "_reconstruct")
        global("numpy", "ndarray"); intTuple([0]); rawBytes(Array("b".utf8)); op(0x87); reduce()
        mark()
        int(1)
        intTuple(shape)
        global("numpy", "dtype"); string("f4"); bool(false); bool(true); op(0x87); reduce()
        mark(); int(3); string("<"); none(); none(); none(); int(-1); int(-1); int(0); tuple(); build()
        bool(fortran)
        rawBytes(values.flatMap { v in (0..<4).map { UInt8((v.bitPattern >> (8 * UInt32($0))) & 0xFF) } })
        tuple()
        build()
    }
}

/// A small hand-made checkpoint: 3 features, no PCA, DeepPReLUNet with one hidden layer of 2
/// (Linear 2×3, PReLU, Dropout, Linear 2×2). Parts can be overridden to make it hostile.
struct HandMadeCheckpoint {
    var w0: [Float] = [1, 2, 3, -1, 0.5, 0.25]
    var slope: [Float] = [0.1]
    var w3: [Float] = [1, 0, 0.5, -2]
    var mean: [Float] = [0.5, -0.5, 1]
    /// Overrides the first weight's view (numel, size, stride, offset).
    var w0View: (numel: Int, size: [Int], stride: [Int], offset: Int) = (6, [2, 3], [3, 1], 0)
    var storage0: [UInt8]? = nil
    var byteorder = "little"
    var inputDims = [3]
    var extraAttrs: ((inout PickleWriter) -> Void)? = nil
    /// Entries written before the state dict's own.
    var extraState: ((inout PickleWriter) -> Void)? = nil
    var pca: ((inout PickleWriter) -> Void)? = nil

    static func floats(_ v: [Float]) -> [UInt8] {
        v.flatMap { x in (0..<4).map { UInt8((x.bitPattern >> (8 * UInt32($0))) & 0xFF) } }
    }

    var pickle: [UInt8] {
        var p = PickleWriter()
        p.emptyDict()
        p.mark()
        p.string("attrs"); p.emptyDict(); p.mark()
        p.string("encoder_name"); p.string("default")
        p.string("checkpoint_dir"); p.global("pathlib", "PosixPath"); p.mark(); p.string("/"); p.string("tmp"); p.string("ck"); p.tuple();
        p.reduce()
        extraAttrs?(&p)
        p.setItems()
        p.string("state_dict"); p.global("collections", "OrderedDict"); p.emptyTuple(); p.reduce(); p.mark()
        extraState?(&p)
        p.string("encoder.model.0.weight");
        p.tensor(key: "0", numel: w0View.numel, size: w0View.size, stride: w0View.stride, offset: w0View.offset)
        p.string("encoder.model.1.weight"); p.tensor(key: "1", numel: 1, size: [1], stride: [1])
        p.string("encoder.model.3.weight"); p.tensor(key: "2", numel: 4, size: [2, 2], stride: [2, 1])
        p.setItems()
        p.string("input_dims"); p.mark(); for n in inputDims { p.long(n) }; p.tuple()
        p.string("pca")
        if let pca { pca(&p) } else { p.none() }
        p.string("mean"); p.ndarray(mean, shape: [3])
        p.setItems()
        p.stop()
        return p.bytes
    }

    var zip: Data {
        StoredZip.make([
            ("ck/data.pkl", pickle),
            ("ck/byteorder", Array(byteorder.utf8)),
            ("ck/data/0", storage0 ?? Self.floats(w0)),
            ("ck/data/1", Self.floats(slope)),
            ("ck/data/2", Self.floats(w3)),
        ])
    }
}

/// Upstream's forward pass in Double, written out plainly for the numeric checks.
enum CheckpointForward {
    static func embed(_ model: GlassBoxModel, _ x: [Double]) -> [Double] {
        let xc = zip(x, model.preprocessing.mean.values).map { $0 - $1 }
        var h = xc
        if let pca = model.preprocessing.pca {
            let d = pca.components.shape[1]
            let centered = zip(xc, pca.mean.values).map { $0 - $1 }
            h = (0..<pca.components.shape[0]).map { i in
                (0..<d).reduce(0.0) { $0 + pca.components.values[i * d + $1] * centered[$1] }
            }
        }
        for named in model.encoder.layers { h = apply(named.layer, h) }
        return h
    }

    static func apply(_ layer: Layer, _ h: [Double]) -> [Double] {
        switch layer {
        case .linear(let w): return linear(w, h)
        case .prelu(let a): return prelu(a, h)
        case .layerNorm(let s, let eps): return layerNorm(s, eps, h)
        case .dropout: return h
        case .residual(let b):
            var t = linear(b.fc1, h)
            if let n1 = b.norm1 { t = layerNorm(n1, b.eps, t) }
            t = prelu(b.act, t)
            t = linear(b.fc2, t)
            if let n2 = b.norm2 { t = layerNorm(n2, b.eps, t) }
            return zip(h, t).map { $0 + $1 }
        }
    }

    static func linear(_ w: Tensor, _ h: [Double]) -> [Double] {
        let cols = w.shape[1]
        return (0..<w.shape[0]).map { i in (0..<cols).reduce(0.0) { $0 + w.values[i * cols + $1] * h[$1] } }
    }

    static func prelu(_ a: Tensor, _ h: [Double]) -> [Double] {
        h.indices.map { i in h[i] > 0 ? h[i] : a.values[a.count == 1 ? 0 : i] * h[i] }
    }

    static func layerNorm(_ s: Tensor, _ eps: Double, _ h: [Double]) -> [Double] {
        let n = Double(h.count)
        let mean = h.reduce(0, +) / n
        let variance = h.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        return h.indices.map { s.values[$0] * (h[$0] - mean) / (variance + eps).squareRoot() }
    }
}

/// Asserts that `body` throws an `InputError` whose text contains every fragment.
func assertCheckpointError(
    _ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> Void
) {
    do {
        try body()
        XCTFail("expected an InputError containing \(fragments)", file: file, line: line)
    } catch let error as InputError {
        for fragment in fragments where !error.description.contains(fragment) {
            XCTFail("error \"\(error)\" does not contain \"\(fragment)\"", file: file, line: line)
        }
    } catch {
        XCTFail("expected an InputError, got \(type(of: error)): \(error)", file: file, line: line)
    }
}
