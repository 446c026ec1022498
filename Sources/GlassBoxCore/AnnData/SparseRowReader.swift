/// Reads rows of a sparse matrix stored by rows (`csr_matrix`) into a `SparseRowMatrix` over
/// the model's columns: only those rows' part of `indptr`, `indices` and `data` is read (a row
/// range costs its own entries), in blocks, checking the structure as it goes.
struct SparseRowReader {
    let arrays: AnnDataMatrix.SparseArrays
    /// Columns per row in the file (`indices` must stay below).
    let fileColumnCount: Int
    let features: AnnDataFeatures
    let check: AnnDataValueCheck
    /// Entries read at a time.
    var blockEntries = 1 << 20

    func read(rows: Range<Int>) throws -> SparseRowMatrix {
        let offsets = try SparseOffsets.read(arrays.indptr, rows.lowerBound..<(rows.upperBound + 1), limit: arrays.count)
        let lo = offsets.first!, hi = offsets.last!
        let slots = features.isIdentity ? nil : features.slots()
        let n = rows.count, d = fileColumnCount
        var rowStarts = [Int](), columns = [Int32](), values = [Float]()
        rowStarts.reserveCapacity(n + 1)
        rowStarts.append(0)
        let expected = slots == nil ? hi - lo : Int(Double(hi - lo) * Double(features.count) / Double(max(d, 1)) * 1.1)
        columns.reserveCapacity(expected)
        values.reserveCapacity(expected)
        var row = 0
        try SparseBlocks.forEach(arrays, lo..<hi, blockEntries: blockEntries) { start, indices, data in
            for (i, c) in indices.enumerated() {
                let e = start + i
                while e >= offsets[row + 1] { rowStarts.append(columns.count); row += 1 }
                guard c >= 0 && c < d else {
                    throw check.fileError("\(arrays.indices.path)[\(e)]", "found column \(c), expected < \(d) (the matrix's columns)")
                }
                let slot = slots.map { $0[Int(c)] } ?? Int32(c)
                if slot < 0 { continue }
                var x = data[i]
                if !x.isFinite {
                    if x.isNaN && check.missing == .zero { x = 0 } else {
                        throw check.error(x, at: ("\(arrays.data.path)[\(e)]", Int(slot)))
                    }
                }
                columns.append(slot)
                values.append(x)
            }
        }
        while row < n { rowStarts.append(columns.count); row += 1 }
        return SparseRowMatrix(rowCount: n, columnCount: features.count, rowStarts: rowStarts, columns: columns, values: values)
    }
}

/// A stretch of `indptr`, checked: non-decreasing, from ≥ 0, up to at most `limit` entries.
enum SparseOffsets {
    static func read(_ indptr: HDF5Dataset, _ range: Range<Int>, limit: Int) throws -> [Int] {
        let raw = try indptr.readInt64(range)
        var out = [Int](repeating: 0, count: raw.count)
        var previous: Int64 = 0
        for (i, v) in raw.enumerated() {
            let place = "\(indptr.path)[\(range.lowerBound + i)]"
            guard v >= previous || i == 0 else {
                throw indptr.file.error(place, "found \(v), less than the \(previous) before it, expected non-decreasing offsets")
            }
            guard v >= 0 && v <= Int64(limit) else {
                throw indptr.file.error(place, "found \(v), expected an offset from 0 to \(limit) (the number of stored values)")
            }
            out[i] = Int(v)
            previous = v
        }
        return out
    }
}

/// Walks entries `range` of a sparse matrix's `indices` and `data` in blocks.
enum SparseBlocks {
    /// Calls `body` with each block's first entry, its indices (as Int64) and values (as Float).
    static func forEach(_ arrays: AnnDataMatrix.SparseArrays, _ range: Range<Int>, blockEntries: Int,
                        readData: Bool = true,
                        _ body: (Int, [Int64], [Float]) throws -> Void) throws {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + blockEntries, range.upperBound)
            let indices = try arrays.indices.readInt64(start..<end)
            let data = readData ? try arrays.data.readFloats(start..<end) : []
            try body(start, indices, data)
            start = end
        }
    }
}

extension AnnDataValueCheck {
    func fileError(_ object: String, _ message: String) -> InputError {
        InputError(file: file, field: object, message: message)
    }
}
