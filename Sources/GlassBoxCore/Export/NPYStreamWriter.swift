import Foundation

/// Writes a C-order `.npy` array of shape (rows, …) whose rows arrive in chunks, in any
/// order and from several threads: each chunk is written at its own offset (around the page
/// cache where possible, see `DirectFileWriter`), so nothing is buffered however large the
/// array. The number of rows need not be known up front: the file grows window by window
/// (`reserve`) and the header, which holds the shape, is written last (`finish`).
final class NPYStreamWriter: @unchecked Sendable {
    let output: DirectFileWriter
    let dtype: NPY.DType
    let rowShape: [Int]
    let rowBytes: Int
    /// A header of one disk block puts the data on block boundaries: then the engine's chunks
    /// (multiples of 96 rows) start and end on them too whenever 32 divides the elements per
    /// row (k·d; 2 × 2,000 does), and each goes to disk in one direct write, with no partial
    /// blocks to assemble — each of those was a separate small write. numpy reads any header
    /// padded to a multiple of 64; the shape's digits always fit in one block.
    static let headerSize = DirectFileWriter.blockSize
    private(set) var reservedRows = 0

    /// Rows of shape `rowShape` of `dtype`; `rows` reserves room for that many at once.
    init(file: PartialFile, dtype: NPY.DType, rowShape: [Int], rows: Int = 0) throws {
        self.dtype = dtype
        self.rowShape = rowShape
        rowBytes = rowShape.reduce(dtype.size, *)
        output = try DirectFileWriter(file: file, size: Self.headerSize)
        try reserve(rows: rows)
    }

    /// Makes room for `rows` rows in all (a no-op when there is room already).
    func reserve(rows: Int) throws {
        guard rows > reservedRows else { return }
        try output.grow(to: Self.headerSize + rows * rowBytes)
        reservedRows = rows
    }

    /// Writes rows `first ..< first + values.count / elementsPerRow` (indices within this array).
    func write<T: BLASScalar>(_ values: [T], firstRow: Int) throws {
        precondition(values.count * MemoryLayout<T>.size % rowBytes == 0)
        let rows = values.count * MemoryLayout<T>.size / rowBytes
        precondition(firstRow >= 0 && firstRow + rows <= reservedRows)
        try values.withUnsafeBytes { try output.write($0, at: Self.headerSize + firstRow * rowBytes) }
    }

    /// Writes the header for `rows` rows (every one of them written once) and what is still pending.
    func finish(rows: Int) throws {
        try output.shrink(to: Self.headerSize + rows * rowBytes)
        let header = NPY.header(dtype: dtype, shape: [rows] + rowShape, alignment: Self.headerSize)
        precondition(header.count == Self.headerSize)
        try header.withUnsafeBytes { try output.write($0, at: 0) }
        try output.finish()
    }
}
