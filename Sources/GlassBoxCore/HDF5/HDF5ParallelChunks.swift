#if canImport(zlib)
import zlib
#elseif canImport(CZlib)
import CZlib
#endif
import CHDF5
import Dispatch
import Foundation

/// Rows of a 2-D, chunked, gzip-compressed (optionally byte-shuffled) little-endian float32
/// dataset, decompressed on every core: libhdf5 serializes its calls under one lock, so
/// `H5Dread` would inflate one chunk at a time; here libhdf5 only hands over each chunk's
/// stored bytes (`H5Dread_chunk`) and zlib inflates them in parallel. Measured on 50,000 ×
/// 2,000 gzip X (chunks of 782 × 32, as anndata writes them): the read took as long as the
/// whole computation through `H5Dread`.
struct HDF5ParallelChunks {
    let dataset: HDF5Dataset
    let chunk: (rows: Int, columns: Int)
    let shuffled: Bool
    let deflateIndex: Int
    let shuffleIndex: Int?

    /// Nil unless the dataset is one this reads (others go through `H5Dread`).
    init?(_ dataset: HDF5Dataset) {
        #if canImport(zlib) || canImport(CZlib)
        guard dataset.shape.count == 2, dataset.element == .float(bytes: 4), dataset.isLittleEndian,
            case .chunked(let dims, let filters) = dataset.layout, dims.count == 2, dims[0] > 0, dims[1] > 0,
            let deflate = filters.firstIndex(where: { $0.id == H5Z_FILTER_DEFLATE }),
            filters.allSatisfy({ $0.id == H5Z_FILTER_DEFLATE || $0.id == H5Z_FILTER_SHUFFLE }),
            filters.count <= 2
        else { return nil }
        let shuffle = filters.firstIndex { $0.id == H5Z_FILTER_SHUFFLE }
        if let shuffle, shuffle > deflate { return nil }  // shuffled after compression: not as h5py writes
        self.dataset = dataset
        chunk = (dims[0], dims[1])
        shuffled = shuffle != nil
        deflateIndex = deflate
        shuffleIndex = shuffle
        #else
        return nil
        #endif
    }

    /// Reads rows `rows`, every column, into `out` (rows.count × columns, row-major).
    func read(rows: Range<Int>, into out: UnsafeMutablePointer<Float>) throws {
        #if canImport(zlib) || canImport(CZlib)
        let d = dataset.shape[1]
        let chunkBytes = chunk.rows * chunk.columns * 4
        let chunkRows = (rows.lowerBound / chunk.rows)..<((rows.upperBound + chunk.rows - 1) / chunk.rows)
        let chunkColumns = 0..<((d + chunk.columns - 1) / chunk.columns)
        // Stored bytes of every chunk, read in file order under libhdf5's lock.
        var stored: [(row: Int, column: Int, bytes: [UInt8], mask: UInt32)] = []
        for ci in chunkRows {
            for cj in chunkColumns {
                let place = "\(dataset.path) chunk [\(ci * chunk.rows), \(cj * chunk.columns)]"
                stored.append(
                    try dataset.file.guarded(place) {
                        var offset: [hsize_t] = [hsize_t(ci * chunk.rows), hsize_t(cj * chunk.columns)]
                        var size: hsize_t = 0
                        guard H5Dget_chunk_storage_size(dataset.id, &offset, &size) >= 0 else {
                            throw dataset.file.failure(place, "find the chunk")
                        }
                        guard size > 0, size <= hsize_t(dataset.file.byteCount) else {
                            throw dataset.file.error(
                                place,
                                "found a chunk of \(size) stored bytes in a file of \(dataset.file.byteCount), expected the chunk's data (the file is damaged)"
                            )
                        }
                        var bytes = [UInt8](repeating: 0, count: Int(size))
                        var mask: UInt32 = 0
                        guard H5Dread_chunk(dataset.id, hid_t(H5P_DEFAULT), &offset, &mask, &bytes) >= 0 else {
                            throw dataset.file.failure(place, "read the chunk")
                        }
                        return (ci, cj, bytes, mask)
                    })
            }
        }
        // Inflate, unshuffle and place each chunk's part of the rows, in parallel.
        let failure = HDF5ChunkFailure()
        DispatchQueue.concurrentPerform(iterations: stored.count) { i in
            let s = stored[i]
            let place = "\(dataset.path) chunk [\(s.row * chunk.rows), \(s.column * chunk.columns)]"
            var plain = [UInt8](repeating: 0, count: chunkBytes)
            let compressed = s.mask & (1 << UInt32(deflateIndex)) == 0
            if compressed {
                var length = uLongf(chunkBytes)
                let status = s.bytes.withUnsafeBufferPointer { src in
                    plain.withUnsafeMutableBufferPointer { uncompress($0.baseAddress!, &length, src.baseAddress!, uLong(src.count)) }
                }
                guard status == Z_OK, Int(length) == chunkBytes else {
                    failure.set(
                        dataset.file.error(
                            place,
                            "cannot be decompressed (zlib status \(status), \(length) of \(chunkBytes) bytes), expected gzip data (the file is damaged)"
                        ))
                    return
                }
            } else {
                guard s.bytes.count == chunkBytes else {
                    failure.set(dataset.file.error(place, "found \(s.bytes.count) stored bytes, expected \(chunkBytes)"))
                    return
                }
                plain = s.bytes
            }
            if let shuffleIndex, s.mask & (1 << UInt32(shuffleIndex)) == 0 { plain = Self.unshuffle(plain, width: 4) }
            let r0 = max(rows.lowerBound, s.row * chunk.rows), r1 = min(rows.upperBound, (s.row + 1) * chunk.rows)
            let c0 = s.column * chunk.columns, c1 = min(d, c0 + chunk.columns)
            plain.withUnsafeBytes { raw in
                for r in r0..<r1 {
                    let src = raw.baseAddress! + ((r - s.row * chunk.rows) * chunk.columns) * 4
                    (out + (r - rows.lowerBound) * d + c0).update(from: src.assumingMemoryBound(to: Float.self), count: c1 - c0)
                }
            }
        }
        if let error = failure.error { throw error }
        #endif
    }

    /// Undoes HDF5's shuffle filter: byte k of every element was stored together.
    static func unshuffle(_ bytes: [UInt8], width: Int) -> [UInt8] {
        let n = bytes.count / width
        var out = bytes
        for k in 0..<width {
            for e in 0..<n { out[e * width + k] = bytes[k * n + e] }
        }
        return out
    }
}

/// The first error of a parallel pass.
final class HDF5ChunkFailure: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: InputError?

    func set(_ e: InputError) {
        lock.lock()
        if error == nil { error = e }
        lock.unlock()
    }
}
