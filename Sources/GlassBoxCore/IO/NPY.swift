import Foundation

/// numpy's `.npy` format (version 1.0 header, little-endian, C order) — what `numpy.load`
/// reads directly. Hand-written because it is a 10-line header; no Swift library does it well.
public enum NPY {
    public enum DType: String, Sendable {
        case float32 = "<f4"
        case float64 = "<f8"
        var size: Int { self == .float32 ? 4 : 8 }
    }

    /// The header bytes for an array of `shape`, padded so the data starts 64-byte aligned.
    /// The header, padded with spaces to a multiple of `alignment` bytes (numpy pads to 64;
    /// the format allows any multiple of 64 up to 65,535).
    public static func header(dtype: DType, shape: [Int], alignment: Int = 64) -> Data {
        precondition(alignment % 64 == 0 && alignment <= 65_536)
        let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var dict = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': (\(dims)), }"
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (alignment - unpadded % alignment) % alignment) + "\n"
        var data = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        let len = UInt16(dict.utf8.count)
        data.append(contentsOf: [UInt8(len & 0xff), UInt8(len >> 8)])
        data.append(Data(dict.utf8))
        return data
    }

    /// A parsed array: shape and values widened to Double.
    public struct Array: Sendable {
        public var shape: [Int]
        public var dtype: DType
        public var values: [Double]
    }

    /// Reads a float32/float64 C-order `.npy` file.
    public static func read(_ url: URL) throws -> Array {
        let data = try Data(contentsOf: url)
        return try parse(data, file: url.path)
    }

    /// What a `.npy` header says: the array's dtype and shape, and where its data begins.
    public struct Header: Equatable, Sendable {
        public var dtype: DType
        public var shape: [Int]
        public var dataOffset: Int

        /// Elements in all.
        public var count: Int { shape.reduce(1, *) }
    }

    /// Reads only the header of a float32/float64 C-order `.npy` file (for streaming its data).
    public static func header(ofFile url: URL, file: String) throws -> Header {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw InputError(file: file, message: "cannot read: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        func read(_ count: Int) throws -> [UInt8] {
            do {
                try handle.seek(toOffset: 0)
                return [UInt8](try handle.read(upToCount: count) ?? Data())
            } catch {
                throw InputError(file: file, message: "cannot read: \(error.localizedDescription)")
            }
        }
        // Magic (6), version (2), then the header's length: 2 bytes in version 1, 4 in 2 and 3.
        let prefix = try read(12)
        guard prefix.count >= 10 else { return try parseHeader(prefix, file: file) }
        var length = Int(prefix[8]) | Int(prefix[9]) << 8
        if prefix[6] != 1 && prefix.count == 12 { length |= Int(prefix[10]) << 16 | Int(prefix[11]) << 24 }
        guard length <= 1 << 20 else { throw InputError(file: file, message: "a .npy header of \(length) bytes; refusing more than 1 MiB") }
        return try parseHeader(read((prefix[6] == 1 ? 10 : 12) + length), file: file)
    }

    static func parseHeader(_ bytes: [UInt8], file: String) throws -> Header {
        func fail(_ m: String) -> InputError { InputError(file: file, message: m) }
        guard bytes.count >= 10, bytes[0] == 0x93, Swift.Array(bytes[1..<6]) == Swift.Array("NUMPY".utf8) else {
            throw fail("not a .npy file (bad magic)")
        }
        let major = bytes[6]
        let headerLen: Int, start: Int
        if major == 1 {
            headerLen = Int(bytes[8]) | Int(bytes[9]) << 8
            start = 10
        } else if major == 2 || major == 3, bytes.count >= 12 {
            headerLen = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            start = 12
        } else {
            throw fail("unsupported .npy version \(major)")
        }
        guard start + headerLen <= bytes.count, let header = String(bytes: bytes[start..<(start + headerLen)], encoding: .utf8) else {
            throw fail("truncated .npy header")
        }
        guard let dtype = [DType.float32, .float64].first(where: { header.contains("'\($0.rawValue)'") }) else {
            throw fail("only little-endian float32/float64 arrays are supported, header: \(header)")
        }
        guard header.contains("'fortran_order': False") else { throw fail("Fortran-order arrays are not supported") }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw fail("no shape in header")
        }
        let shape = try header[open.upperBound..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.map { s -> Int in
                guard let v = Int(s), v >= 0 else { throw fail("bad shape entry '\(s)'") }
                return v
            }
        var count = dtype.size
        for s in shape {
            let (p, o) = count.multipliedReportingOverflow(by: s)
            guard !o else { throw fail("shape \(shape) overflows") }
            count = p
        }
        return Header(dtype: dtype, shape: shape, dataOffset: start + headerLen)
    }

    public static func parse(_ data: Data, file: String) throws -> Array {
        let bytes = [UInt8](data)
        func fail(_ m: String) -> InputError { InputError(file: file, message: m) }
        let header = try parseHeader(bytes, file: file)
        let (dtype, shape, body, count) = (header.dtype, header.shape, header.dataOffset, header.count)
        guard bytes.count - body == count * dtype.size else {
            throw fail("expected \(count * dtype.size) data bytes for shape \(shape), found \(bytes.count - body)")
        }
        var values = [Double](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for i in 0..<count {
                let off = body + i * dtype.size
                if dtype == .float32 {
                    values[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: off, as: UInt32.self))))
                } else {
                    values[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: off, as: UInt64.self)))
                }
            }
        }
        return Array(shape: shape, dtype: dtype, values: values)
    }

    /// Writes a whole array (used by tests and small outputs; export streams with `NPYStreamWriter`).
    public static func write<T: BLASScalar>(_ values: [T], shape: [Int], to url: URL) throws {
        let dtype: DType = T.self == Float.self ? .float32 : .float64
        var data = header(dtype: dtype, shape: shape)
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        try data.write(to: url, options: .atomic)
    }
}
