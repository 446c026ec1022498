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

    /// The stored values of rows `rows` (two reads of `indptr`).
    func entryCount(rows: Range<Int>) throws -> Int {
        let ends =
            try arrays.indptr.readInt64(rows.lowerBound..<(rows.lowerBound + 1))
            + arrays.indptr.readInt64(rows.upperBound..<(rows.upperBound + 1))
        return Int(clamping: max(0, ends[1] - ends[0]))
    }

    func read(rows: Range<Int>) throws -> SparseRowMatrix {
        let offsets = try SparseOffsets.read(arrays.indptr, rows.lowerBound..<(rows.upperBound + 1), limit: arrays.count)
        if features.isIdentity { return try readEveryColumn(rows: rows, offsets: offsets) }
        let lo = offsets.first!, hi = offsets.last!
        let slots = features.slots()
        let n = rows.count, d = fileColumnCount
        var rowStarts = [Int](), columns = [Int32](), values = [Float]()
        rowStarts.reserveCapacity(n + 1)
        rowStarts.append(0)
        // About the model's share of the stored values (grown as needed).
        let expected = Int(Double(hi - lo) * Double(features.count) / Double(max(d, 1)) * 1.1)
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
                let slot = slots[Int(c)]
                if slot < 0 { continue }
                var x = data[i]
                if !x.isFinite {
                    if x.isNaN && check.missing == .zero {
                        x = 0
                    } else {
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

    /// Every column is a feature, in file order: libhdf5 reads `indices` and `data` straight
    /// into the matrix's arrays (converting as needed), which are then checked in place.
    private func readEveryColumn(rows: Range<Int>, offsets: [Int]) throws -> SparseRowMatrix {
        let lo = offsets.first!, hi = offsets.last!, count = hi - lo, d = fileColumnCount
        let columns = try arrays.indices.readInt32(lo..<hi)
        var values = try arrays.data.readFloats(lo..<hi)
        // Entries from an int64 `indices` beyond Int32 were clamped by the conversion: still ≥ d.
        try columns.withUnsafeBufferPointer { c in
            var bad = false
            for i in 0..<count { bad = bad || c[i] < 0 || Int(c[i]) >= d }
            if bad, let i = (0..<count).first(where: { c[$0] < 0 || Int(c[$0]) >= d }) {
                let exact = try arrays.indices.readInt64((lo + i)..<(lo + i + 1))[0]
                throw check.fileError("\(arrays.indices.path)[\(lo + i)]", "found column \(exact), expected < \(d) (the matrix's columns)")
            }
        }
        try values.withUnsafeMutableBufferPointer { v in
            try check.check(v.baseAddress!, count) { i in ("\(arrays.data.path)[\(lo + i)]", Int(columns[i])) }
        }
        return SparseRowMatrix(
            rowCount: rows.count, columnCount: features.count, rowStarts: offsets.map { $0 - lo },
            columns: columns, values: values)
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
    static func forEach(
        _ arrays: AnnDataMatrix.SparseArrays, _ range: Range<Int>, blockEntries: Int,
        readData: Bool = true,
        _ body: (Int, [Int64], [Float]) throws -> Void
    ) throws {
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
