#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@preconcurrency import Crypto
import Foundation

/// A file's size and modification time: what identifies an input without reading it, so that
/// each task of a split export pays nothing for provenance beyond its own rows.
public struct FileStamp: Sendable, Equatable {
    public var size: Int
    /// UTC, ISO 8601 with nanoseconds: `2024-05-01T12:00:00.123456789Z`.
    public var modified: String

    public init(size: Int, modified: String) {
        self.size = size
        self.modified = modified
    }

    /// Stats `url` (following links); an `InputError` naming it when that fails.
    public init(of url: URL) throws {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            throw InputError(file: url.relativePath, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        size = Int(info.st_size)
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        var seconds = time_t(time.tv_sec), parts = tm()
        gmtime_r(&seconds, &parts)
        modified = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(time.tv_nsec))
    }
}

/// Digests that identify the data an export read, at the cost of the rows it read.
enum DataDigest {
    /// SHA-256 of the columns as matched to the model, one name per line (UTF-8, each line
    /// ending in `\n`): the id column, the label column (an empty line for either when there
    /// is none), then the feature names in the model's input order.
    static func columns(featureNames: [String], idColumn: String?, labelColumn: String?) -> String {
        var hasher = SHA256()
        for line in [idColumn ?? "", labelColumn ?? ""] + featureNames {
            hasher.update(Data((line + "\n").utf8))
        }
        return SHA256.hex(hasher.finalize())
    }
}

/// An additive hash of the samples read (AdHash): the sum, modulo 2²⁵⁶, of each sample's
/// SHA-256 read as a little-endian integer, taken over the sample's id (UTF-8: the id column's
/// text, or the 1-based data row number), a zero byte, and its feature values as little-endian
/// float32 in the model's input order. A sum needs no order, so chunks add in whatever order
/// they finish, and the parts of a split export add up to the hash of the whole. In Python, for
/// samples `ids`, `X`:
///
///     h = sum(int.from_bytes(hashlib.sha256(i.encode() + b"\0" + x.astype("<f4").tobytes()).digest(), "little")
///             for i, x in zip(ids, X)) % 2**256
///     h.to_bytes(32, "little").hex()
struct RowsHash: Equatable, Sendable {
    /// Little-endian 64-bit limbs.
    private(set) var limbs: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init() {}

    static func == (a: RowsHash, b: RowsHash) -> Bool { a.limbs == b.limbs }

    /// Adds samples whose values (`ids.count` × `width` Floats, row-major) start at `values`.
    mutating func add(rows values: UnsafePointer<Float>, ids: ArraySlice<String>, width: Int) {
        for (i, id) in ids.enumerated() {
            var hasher = Crypto.SHA256()
            var id = id
            id.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            hasher.update(data: [UInt8(0)])
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: values + i * width, count: width * MemoryLayout<Float>.size))
            hasher.finalize().withUnsafeBytes { add(digest: $0) }
        }
    }

    mutating func add(_ other: RowsHash) {
        add(other.limbs)
    }

    /// Adds a 32-byte digest read as a little-endian integer.
    private mutating func add(digest bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32)
        func limb(_ i: Int) -> UInt64 { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)) }
        add((limb(0), limb(1), limb(2), limb(3)))
    }

    private mutating func add(_ x: (UInt64, UInt64, UInt64, UInt64)) {
        func step(_ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
            let (s1, o1) = a.addingReportingOverflow(b)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
            return s2
        }
        var carry: UInt64 = 0
        limbs.0 = step(limbs.0, x.0, &carry)
        limbs.1 = step(limbs.1, x.1, &carry)
        limbs.2 = step(limbs.2, x.2, &carry)
        limbs.3 = step(limbs.3, x.3, &carry)  // the carry out of the top is the modulo
    }

    /// The sum's 32 bytes, little-endian, in hex.
    var hex: String {
        var bytes: [UInt8] = []
        for limb in [limbs.0, limbs.1, limbs.2, limbs.3] {
            for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: limb >> (8 * UInt64(i)))) }
        }
        return SHA256.hex(bytes)
    }

    /// Parses `hex`; nil unless it is 64 hex digits.
    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 {
            guard let hi = Self.nibble(digits[2 * i]), let lo = Self.nibble(digits[2 * i + 1]) else { return nil }
            bytes[i] = hi << 4 | lo
        }
        bytes.withUnsafeBytes { add(digest: $0) }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        default: return nil
        }
    }
}
