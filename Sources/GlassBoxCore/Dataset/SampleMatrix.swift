/// The samples' feature values (n × d, columns in the model's input order), however they are
/// held: in memory (CSV), mapped from a file, sparse, or read from HDF5 chunks. The engine never
/// sees the storage: it asks for blocks of rows, dense and row-major, as it computes them —
/// so sparse data is densified (and file data read) one chunk at a time.
public protocol SampleMatrix: AnyObject, Sendable {
    var rowCount: Int { get }
    var columnCount: Int { get }
    /// Calls `body` with rows `rows` (0-based within this matrix) dense and row-major
    /// (rows.count × columnCount values). Dense in-memory storage passes a pointer into itself;
    /// other kinds fill a buffer. Throws an `InputError` for data found unreadable only now (a
    /// corrupt compressed chunk). Called from several threads at once.
    func withRows<R>(_ rows: Range<Int>, _ body: (UnsafePointer<Float>) throws -> R) throws -> R
    /// Column `c` for every row.
    func column(_ c: Int) throws -> [Float]
}

extension SampleMatrix {
    /// Copies `rows` (any order, repeats allowed), densely, to `out` (rows.count × columnCount):
    /// runs of consecutive rows are read together.
    public func gather(_ rows: some Collection<Int32>, into out: UnsafeMutablePointer<Float>) throws {
        let d = columnCount
        var at = 0
        var i = rows.startIndex
        while i != rows.endIndex {
            let start = Int(rows[i])
            var end = start + 1
            var j = rows.index(after: i)
            while j != rows.endIndex, Int(rows[j]) == end { end += 1; j = rows.index(after: j) }
            try withRows(start..<end) { (out + at * d).update(from: $0, count: (end - start) * d) }
            at += end - start
            i = j
        }
    }

    /// Every row as one dense matrix: a copy of the whole data, for small data and tests.
    public func dense() throws -> Matrix<Float> {
        let n = rowCount, d = columnCount
        let storage = try [Float](unsafeUninitializedCapacity: n * d) { out, initialized in
            if n * d > 0 { try withRows(0..<n) { out.baseAddress!.update(from: $0, count: n * d) } }
            initialized = n * d
        }
        return Matrix(rows: n, cols: d, storage: storage)
    }

    /// One row, copied.
    public func row(_ i: Int) throws -> [Float] {
        try withRows(i..<(i + 1)) { Array(UnsafeBufferPointer(start: $0, count: columnCount)) }
    }
}

/// Values held in one dense row-major array (what the CSV reader produces).
public final class DenseMatrix: SampleMatrix {
    public let matrix: Matrix<Float>

    public init(_ matrix: Matrix<Float>) {
        self.matrix = matrix
    }

    public var rowCount: Int { matrix.rows }
    public var columnCount: Int { matrix.cols }

    public func withRows<R>(_ rows: Range<Int>, _ body: (UnsafePointer<Float>) throws -> R) throws -> R {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= matrix.rows, "rows \(rows) of \(matrix.rows)")
        return try matrix.storage.withUnsafeBufferPointer { try body($0.baseAddress! + rows.lowerBound * matrix.cols) }
    }

    public func column(_ c: Int) throws -> [Float] {
        let n = matrix.rows, d = matrix.cols
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            matrix.storage.withUnsafeBufferPointer { x in
                for i in 0..<n { out[i] = x[i * d + c] }
            }
            initialized = n
        }
    }
}

/// Compressed sparse rows (scipy's CSR): row i's nonzeros are `values[rowStarts[i]..<rowStarts[i+1]]`
/// at columns `columns[…]`, already mapped to the model's input order. Held sparse; rows are
/// densified only when the engine asks for them.
public final class SparseRowMatrix: SampleMatrix {
    public let rowCount: Int
    public let columnCount: Int
    /// rowCount + 1 offsets into `columns` and `values`, non-decreasing, from 0.
    public let rowStarts: [Int]
    public let columns: [Int32]
    public let values: [Float]

    /// The caller has checked the structure (offsets non-decreasing and within `values`,
    /// columns < `columnCount`); preconditions guard the cheap invariants.
    public init(rowCount: Int, columnCount: Int, rowStarts: [Int], columns: [Int32], values: [Float]) {
        precondition(
            rowStarts.count == rowCount + 1 && rowStarts.first == 0 && rowStarts.last == values.count && columns.count == values.count)
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowStarts = rowStarts
        self.columns = columns
        self.values = values
    }

    public var nonzeroCount: Int { values.count }

    public func withRows<R>(_ rows: Range<Int>, _ body: (UnsafePointer<Float>) throws -> R) throws -> R {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= rowCount, "rows \(rows) of \(rowCount)")
        let d = columnCount
        let count = rows.count * d
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: count)
        columns.withUnsafeBufferPointer { cols in
            values.withUnsafeBufferPointer { vals in
                for (i, r) in rows.enumerated() {
                    let row = buffer + i * d
                    for e in rowStarts[r]..<rowStarts[r + 1] { row[Int(cols[e])] += vals[e] }  // duplicates add up, as in scipy
                }
            }
        }
        return try body(buffer)
    }

    public func column(_ c: Int) throws -> [Float] {
        var out = [Float](repeating: 0, count: rowCount)
        let target = Int32(c)
        columns.withUnsafeBufferPointer { cols in
            values.withUnsafeBufferPointer { vals in
                for r in 0..<rowCount {
                    for e in rowStarts[r]..<rowStarts[r + 1] where cols[e] == target { out[r] += vals[e] }
                }
            }
        }
        return out
    }
}
