/// Turns a sparse matrix stored by columns (`csc_matrix`) into rows, a span of rows at a time,
/// without ever holding the whole matrix both ways: a first pass over the model's columns
/// counts each row's entries (kept, n + 1 offsets), then each span is one more pass that
/// places the span's entries.
final class SparseColumnConverter: @unchecked Sendable {
    let arrays: AnnDataMatrix.SparseArrays
    let rowCount: Int
    let features: AnnDataFeatures
    let check: AnnDataValueCheck
    var blockEntries = 1 << 20
    /// `indptr`, checked.
    private let columnStarts: [Int]
    /// Per row, where its entries start among all rows' kept entries (rowCount + 1).
    private var rowStarts: [Int]?

    init(arrays: AnnDataMatrix.SparseArrays, rowCount: Int, features: AnnDataFeatures, check: AnnDataValueCheck) throws {
        self.arrays = arrays
        self.rowCount = rowCount
        self.features = features
        self.check = check
        columnStarts = try SparseOffsets.read(arrays.indptr, 0..<arrays.indptr.shape[0], limit: arrays.count)
    }

    /// Entries of a row span in all: for choosing spans of bounded memory.
    func entryCount(rows: Range<Int>) throws -> Int {
        let starts = try offsets()
        return starts[rows.upperBound] - starts[rows.lowerBound]
    }

    /// Calls `body(entry, row, file column, value)` for every kept entry, column by column.
    private func walk(readData: Bool, _ body: (Int, Int, Int, Float) throws -> Void) throws {
        for j in features.fileColumns.sorted() {
            let entries = columnStarts[j]..<columnStarts[j + 1]
            try SparseBlocks.forEach(arrays, entries, blockEntries: blockEntries, readData: readData) { start, indices, data in
                for (i, r) in indices.enumerated() {
                    guard r >= 0 && r < rowCount else {
                        throw check.fileError(
                            "\(arrays.indices.path)[\(start + i)]", "found row \(r), expected < \(rowCount) (the matrix's rows)")
                    }
                    try body(start + i, Int(r), j, readData ? data[i] : 0)
                }
            }
        }
    }

    private func offsets() throws -> [Int] {
        if let rowStarts { return rowStarts }
        var counts = [Int](repeating: 0, count: rowCount + 1)
        try walk(readData: false) { _, r, _, _ in counts[r + 1] += 1 }
        for r in 0..<rowCount { counts[r + 1] += counts[r] }
        rowStarts = counts
        return counts
    }

    /// Rows `rows` as sparse rows over the model's columns.
    func read(rows: Range<Int>) throws -> SparseRowMatrix {
        let all = try offsets()
        let base = all[rows.lowerBound], total = all[rows.upperBound] - base
        let starts = all[rows.lowerBound...rows.upperBound].map { $0 - base }
        var cursor = Array(starts.dropLast())
        let slots = features.slots()
        var columns = [Int32](repeating: 0, count: total), values = [Float](repeating: 0, count: total)
        try columns.withUnsafeMutableBufferPointer { cols in
            try values.withUnsafeMutableBufferPointer { vals in
                try walk(readData: true) { e, r, j, v in
                    guard rows.contains(r) else { return }
                    var x = v
                    if !x.isFinite {
                        if x.isNaN && check.missing == .zero {
                            x = 0
                        } else {
                            throw check.error(x, at: ("\(arrays.data.path)[\(e)]", Int(slots[j])))
                        }
                    }
                    let at = cursor[r - rows.lowerBound]
                    cols[at] = slots[j]
                    vals[at] = x
                    cursor[r - rows.lowerBound] = at + 1
                }
            }
        }
        return SparseRowMatrix(
            rowCount: rows.count, columnCount: features.count, rowStarts: Array(starts), columns: columns, values: values)
    }
}
