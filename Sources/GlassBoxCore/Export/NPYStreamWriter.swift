import Foundation

/// Writes a C-order `.npy` array of shape (rows, …) whose rows arrive in chunks, in any
/// order and from several threads: the file is sized up front, then each chunk is written at
/// its own offset (around the page cache where possible, see `DirectFileWriter`), so nothing
/// is buffered however large the array.
final class NPYStreamWriter: @unchecked Sendable {
    let output: DirectFileWriter
    let headerSize: Int
    let rowBytes: Int
    let rowCount: Int

    /// `shape[0]` rows of `shape[1...]` elements of `dtype`.
    init(file: PartialFile, dtype: NPY.DType, shape: [Int]) throws {
        // A header of one disk block puts the data on block boundaries: then the engine's chunks
        // (multiples of 96 rows) start and end on them too whenever 32 divides the elements per
        // row (k·d; 2 × 2,000 does), and each goes to disk in one direct write, with no partial
        // blocks to assemble — each of those was a separate small write. numpy reads any header
        // padded to a multiple of 64.
        let header = NPY.header(dtype: dtype, shape: shape, alignment: DirectFileWriter.blockSize)
        headerSize = header.count
        rowCount = shape[0]
        rowBytes = shape.dropFirst().reduce(dtype.size, *)
        output = try DirectFileWriter(file: file, size: headerSize + rowCount * rowBytes)
        try header.withUnsafeBytes { try output.write($0, at: 0) }
    }

    /// Writes rows `first ..< first + values.count / elementsPerRow` (indices within this array).
    func write<T: BLASScalar>(_ values: [T], firstRow: Int) throws {
        precondition(values.count * MemoryLayout<T>.size % rowBytes == 0)
        let rows = values.count * MemoryLayout<T>.size / rowBytes
        precondition(firstRow >= 0 && firstRow + rows <= rowCount)
        try values.withUnsafeBytes { try output.write($0, at: headerSize + firstRow * rowBytes) }
    }

    /// Writes what is still pending; every row must have been written once.
    func finish() throws {
        try output.finish()
    }
}
