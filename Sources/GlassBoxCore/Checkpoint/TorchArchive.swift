import Foundation
import ZIPFoundation

/// The zip container `torch.save` writes: `<name>/data.pkl` (the pickle), `<name>/data/<key>`
/// (raw little-endian storages), `<name>/byteorder`, and bookkeeping entries we ignore.
/// The zip's structure is checked by `ZipPreflight` before ZIPFoundation reads it; PyTorch
/// stores entries uncompressed, so compressed ones are refused rather than inflated, which
/// also rules out decompression bombs.
final class TorchArchive {
    /// Largest `data.pkl` accepted; real ones are a few KB plus the PCA arrays.
    static let maxPickleBytes = 512 << 20

    let file: String
    /// The single top folder, `<name>`.
    let folder: String
    let size: UInt64
    private let archive: Archive
    private var entries: [String: Entry] = [:]
    /// Entry sizes as validated by `ZipPreflight` (what ZIPFoundation will read).
    private var sizes: [String: Int] = [:]
    /// Entry CRC-32s as `ZipPreflight` found them, the same in every record that gives one.
    private var crcs: [String: UInt32] = [:]
    private var storageCache: [String: (ScalarType, [UInt8])] = [:]

    convenience init(url: URL, file: String) throws {
        guard url.isFileURL else { throw InputError(file: file, message: "only local files can be loaded") }
        // Not a FIFO or device: mapping one could block or never end.
        _ = try FileKind.regularFileSize(url.path, file: file, expected: "a model file")
        let mapped: Data
        do {
            mapped = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw InputError(file: file, message: "cannot read the file: \(error.localizedDescription)")
        }
        let layout = try ZipPreflight.check(mapped, file: file)
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw InputError(file: file, message: "not a zip archive (a PyTorch checkpoint is a zip file): \(error)")
        }
        try self.init(archive: archive, layout: layout, size: UInt64(mapped.count), file: file)
    }

    convenience init(data: Data, file: String) throws {
        let layout = try ZipPreflight.check(data, file: file)
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw InputError(file: file, message: "not a zip archive (a PyTorch checkpoint is a zip file): \(error)")
        }
        try self.init(archive: archive, layout: layout, size: UInt64(data.count), file: file)
    }

    private init(archive: Archive, layout: [ZipPreflight.Entry], size: UInt64, file: String) throws {
        self.archive = archive
        self.size = size
        self.file = file
        // ZIPFoundation yields the central directory in order; the preflight checked each record.
        var count = 0
        for entry in archive {
            guard count < layout.count else { break }
            defer { count += 1 }
            guard entry.type != .directory else { continue }
            guard entries[entry.path] == nil else {
                throw InputError(file: file, field: entry.path, message: "the zip holds this entry twice")
            }
            entries[entry.path] = entry
            sizes[entry.path] = layout[count].size
            crcs[entry.path] = layout[count].crc
        }
        guard count == layout.count else {
            throw InputError(
                file: file, message: "the zip's central directory lists \(layout.count) entries but only \(count) could be read")
        }
        let pickles = entries.keys.filter { path in
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1] == "data.pkl"
        }.sorted()
        guard let pickle = pickles.first else {
            throw InputError(
                file: file, field: "data.pkl",
                message: "the zip has no '<name>/data.pkl' entry, so it is not a PyTorch checkpoint")
        }
        guard pickles.count == 1 else {
            throw InputError(
                file: file, field: "data.pkl",
                message: "the zip has \(pickles.count) top folders with a data.pkl (\(pickles.joined(separator: ", "))); expected one")
        }
        folder = String(pickle.dropLast("/data.pkl".count))
        if entries[folder + "/byteorder"] != nil {
            let order = String(decoding: try read(folder + "/byteorder", limit: 64), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard order == "little" else {
                throw InputError(
                    file: file, field: folder + "/byteorder",
                    message: "storages are '\(order)'-endian; only little-endian checkpoints are supported")
            }
        }
    }

    var pickleField: String { folder + "/data.pkl" }

    func pickle() throws -> [UInt8] {
        try read(pickleField, limit: Self.maxPickleBytes)
    }

    /// Every entry's path, sorted (diagnostics and tests).
    var entryPaths: [String] { entries.keys.sorted() }

    /// Any entry's bytes, with the same checks as the rest.
    func entryBytes(_ path: String) throws -> [UInt8] {
        try read(path, limit: Int(clamping: size))
    }

    /// The raw bytes of a storage, checked to hold exactly `numel` elements of its type.
    func storageBytes(_ ref: StorageRef) throws -> [UInt8] {
        let path = folder + "/data/" + ref.key
        if let (type, bytes) = storageCache[ref.key] {
            guard type == ref.scalarType, bytes.count == ref.numel * type.byteCount else {
                throw InputError(file: file, field: path, message: "the storage is referenced with different types or sizes")
            }
            return bytes
        }
        guard entries[path] != nil else {
            throw InputError(
                file: file, field: path, message: "missing: a tensor refers to storage '\(ref.key)' but the zip has no such entry")
        }
        let expected = ref.numel * ref.scalarType.byteCount  // overflow excluded by the unpickler
        guard sizes[path] == expected else {
            throw InputError(
                file: file, field: path,
                message:
                    "the storage has \(sizes[path] ?? 0) bytes but should hold \(ref.numel) \(ref.scalarType.rawValue) elements (\(expected) bytes)"
            )
        }
        let bytes = try read(path, limit: expected)
        storageCache[ref.key] = (ref.scalarType, bytes)
        return bytes
    }

    /// Reads a stored entry whose offsets and size `ZipPreflight` has checked against the
    /// file, and checks its CRC.
    private func read(_ path: String, limit: Int) throws -> [UInt8] {
        guard let entry = entries[path], let count = sizes[path] else {
            throw InputError(file: file, field: path, message: "missing entry")
        }
        guard entry.type == .file else { throw InputError(file: file, field: path, message: "is not a regular file entry") }
        guard count <= limit else {
            throw InputError(file: file, field: path, message: "the entry has \(count) bytes, more than the \(limit) allowed")
        }
        guard entry.uncompressedSize == UInt64(count) else {
            throw InputError(
                file: file, field: path, message: "the zip gives the entry two different sizes (\(count) and \(entry.uncompressedSize))")
        }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        do {
            let crc = try archive.extract(entry, skipCRC32: false) { chunk in
                if chunk.isEmpty {
                    guard out.count == count else { throw InputError(file: file, field: path, message: "the entry is truncated") }
                    return
                }
                guard chunk.count <= count - out.count else {
                    throw InputError(file: file, field: path, message: "the entry holds more bytes than it declares")
                }
                out.append(contentsOf: chunk)
            }
            guard out.count == count else { throw InputError(file: file, field: path, message: "the entry is truncated") }
            guard crc == entry.checksum, crc == crcs[path] else {
                throw InputError(file: file, field: path, message: "CRC mismatch: the entry is corrupt")
            }
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: file, field: path, message: "cannot read the entry: \(error)")
        }
        return out
    }
}

/// Strided tensor views over storages, and the element encodings of the four float types.
enum TorchTensorView {
    /// Element count of a shape, or nil on overflow.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for n in shape {
            let (c, overflow) = count.multipliedReportingOverflow(by: n)
            if overflow { return nil }
            count = c
        }
        return count
    }

    /// Why a view does not fit in its storage, or nil when it does.
    static func boundsProblem(_ view: TensorRef) -> String? {
        guard let count = elementCount(view.size) else { return "tensor size \(view.size) overflows" }
        if count == 0 { return nil }
        var last = view.offset
        for (n, s) in zip(view.size, view.stride) {
            let (step, o1) = (n - 1).multipliedReportingOverflow(by: s)
            let (sum, o2) = last.addingReportingOverflow(step)
            if o1 || o2 { return "tensor view (offset \(view.offset), size \(view.size), stride \(view.stride)) overflows" }
            last = sum
        }
        guard last < view.storage.numel else {
            return "tensor view (offset \(view.offset), size \(view.size), stride \(view.stride)) reaches element \(last), "
                + "past the end of its storage of \(view.storage.numel) elements"
        }
        return nil
    }

    /// The view's elements in row-major order. `bytes` must hold the whole storage and the
    /// view must have passed `boundsProblem`. Contiguous views are read as one range; other
    /// strides (e.g. a transposed weight) are gathered element by element.
    static func values(_ view: TensorRef, storage bytes: [UInt8]) -> [Double] {
        let count = elementCount(view.size)!
        let type = view.storage.scalarType
        var out = [Double](repeating: 0, count: count)
        if count == 0 { return out }
        bytes.withUnsafeBytes { raw in
            var expected = 1
            var contiguous = true
            for (n, s) in zip(view.size, view.stride).reversed() {
                if n != 1 && s != expected { contiguous = false }
                expected &*= n
            }
            if contiguous {
                for i in 0..<count { out[i] = element(raw, view.offset + i, type) }
                return
            }
            var index = [Int](repeating: 0, count: view.size.count)
            var position = view.offset
            for i in 0..<count {
                out[i] = element(raw, position, type)
                var d = view.size.count - 1
                while d >= 0 {  // odometer increment, last dimension fastest
                    index[d] += 1
                    position += view.stride[d]
                    if index[d] < view.size[d] { break }
                    position -= view.stride[d] * view.size[d]
                    index[d] = 0
                    d -= 1
                }
            }
        }
        return out
    }

    @inline(__always)
    static func element(_ raw: UnsafeRawBufferPointer, _ i: Int, _ type: ScalarType) -> Double {
        switch type {
        case .float32:
            return Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))))
        case .float64:
            return Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
        case .float16:
            return halfToDouble(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
        case .bfloat16:
            return bfloat16ToDouble(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
        }
    }

    /// IEEE binary16 → Double, exactly. Decoded by hand because `Float16` is unavailable on
    /// Intel macOS.
    static func halfToDouble(_ bits: UInt16) -> Double {
        let sign: FloatingPointSign = bits & 0x8000 != 0 ? .minus : .plus
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return Double(sign: sign, exponent: -24, significand: fraction)  // zero / subnormal
        case 31: return fraction == 0 ? (sign == .minus ? -.infinity : .infinity) : .nan
        default: return Double(sign: sign, exponent: exponent - 25, significand: 1024 + fraction)
        }
    }

    /// bfloat16 is the top half of a Float32.
    static func bfloat16ToDouble(_ bits: UInt16) -> Double {
        Double(Float(bitPattern: UInt32(bits) << 16))
    }
}
