import CHDF5

/// Rows of a dense dataset read through libhdf5 (chunked or compressed X, or byte orders the
/// mapping does not read): converted to Float by libhdf5, the model's columns gathered.
enum HDF5DenseRows {
    /// Rows `rows` as a rows.count × features.count matrix. Read in row blocks of about 32 MB,
    /// cut at chunk boundaries, so each chunk is decompressed once.
    static func read(
        _ dataset: HDF5Dataset, rows: Range<Int>, features: AnnDataFeatures,
        check: AnnDataValueCheck
    ) throws -> Matrix<Float> {
        let d = features.count, fileD = dataset.shape[1]
        var chunkRows = 1
        if case .chunked(let chunk, _) = dataset.layout, chunk.count == 2 { chunkRows = max(chunk[0], 1) }
        let budgetRows = max(1, (32 << 20) / max(fileD * 4, 1))
        let blockRows = max(chunkRows, budgetRows / chunkRows * chunkRows)
        let columns = features.isIdentity ? nil : features.fileColumns
        let parallel = HDF5ParallelChunks(dataset)
        func fill(_ start: Int, _ end: Int, _ target: UnsafeMutablePointer<Float>, _ place: String) throws {
            if let parallel {
                try parallel.read(rows: start..<end, into: target)
            } else {
                try dataset.read(glassbox_h5t_native_float(), start: [start, 0], count: [end - start, fileD], into: target, place: place)
            }
        }
        let storage = try [Float](unsafeUninitializedCapacity: rows.count * d) { out, initialized in
            let scratch = columns == nil ? nil : UnsafeMutablePointer<Float>.allocate(capacity: min(blockRows, rows.count) * fileD)
            defer { scratch?.deallocate() }
            var start = rows.lowerBound
            while start < rows.upperBound {
                let end = min((start / blockRows + 1) * blockRows, rows.upperBound)
                let target = out.baseAddress! + (start - rows.lowerBound) * d
                let place = "\(dataset.path)[\(start)..<\(end), :]"
                if let columns, let scratch {
                    try fill(start, end, scratch, place)
                    for i in 0..<(end - start) {
                        let src = scratch + i * fileD, dst = target + i * d
                        for k in 0..<d { dst[k] = src[columns[k]] }
                    }
                } else {
                    try fill(start, end, target, place)
                }
                let first = start
                try check.check(target, (end - start) * d) { i in
                    let k = i % d
                    return ("\(dataset.path)[\(first + i / d), \(columns?[k] ?? k)]", k)
                }
                start = end
            }
            initialized = rows.count * d
        }
        return Matrix(rows: rows.count, cols: d, storage: storage)
    }
}
