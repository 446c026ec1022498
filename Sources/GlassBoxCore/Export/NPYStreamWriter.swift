import Foundation

/// Writes a C-order `.npy` array of shape (rows, …) whose rows arrive in chunks, in any
/// order and from several threads: the file is sized up front, then each chunk is written at
/// its own offset (`pwrite`), so nothing is buffered however large the array.
final class NPYStreamWriter: @unchecked Sendable {
    let file: PartialFile
    let headerSize: Int
    let rowBytes: Int
    let rowCount: Int
    private var rowsWritten = 0
    private let lock = NSLock()

    /// `shape[0]` rows of `shape[1...]` elements of `dtype`.
    init(file: PartialFile, dtype: NPY.DType, shape: [Int]) throws {
        self.file = file
        let header = NPY.header(dtype: dtype, shape: shape)
        headerSize = header.count
        rowCount = shape[0]
        rowBytes = shape.dropFirst().reduce(dtype.size, *)
        try header.withUnsafeBytes { try file.write($0, at: 0) }
        try file.resize(to: headerSize + rowCount * rowBytes)
    }

    /// Writes rows `first ..< first + values.count / elementsPerRow` (indices within this array).
    func write<T: BLASScalar>(_ values: [T], firstRow: Int) throws {
        precondition(values.count * MemoryLayout<T>.size % rowBytes == 0)
        let rows = values.count * MemoryLayout<T>.size / rowBytes
        precondition(firstRow >= 0 && firstRow + rows <= rowCount)
        try values.withUnsafeBytes { try file.write($0, at: headerSize + firstRow * rowBytes) }
        lock.lock()
        rowsWritten += rows
        lock.unlock()
    }

    /// Every row must have been written once.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        precondition(rowsWritten == rowCount, "\(file.name): \(rowsWritten) of \(rowCount) rows written")
    }
}
