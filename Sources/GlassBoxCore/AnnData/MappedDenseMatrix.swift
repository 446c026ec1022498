#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The raw data of a contiguous, uncompressed dataset mapped read-only from the file: the page
/// cache holds it, nothing is copied in bulk.
final class MappedRegion: @unchecked Sendable {
    private let mapping: UnsafeMutableRawPointer
    private let mappedBytes: Int
    /// The dataset's first byte.
    let base: UnsafeRawPointer
    let byteCount: Int

    init(path: String, offset: Int, byteCount: Int, file: HDF5File, object: String) throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset / page * page
        let (end, overflow) = offset.addingReportingOverflow(byteCount)
        guard !overflow, end <= file.byteCount else {
            throw file.error(
                object,
                "claims \(byteCount) bytes from offset \(offset), past the end of the \(file.byteCount)-byte file (the file is truncated)")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw file.error(object, "cannot open the file to map it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        mappedBytes = max(end - start, 1)
        guard let m = mmap(nil, mappedBytes, PROT_READ, MAP_SHARED, fd, off_t(start)), m != MAP_FAILED else {
            throw file.error(object, "cannot map the data into memory: \(String(cString: strerror(errno)))")
        }
        mapping = m
        base = UnsafeRawPointer(m) + (offset - start)
        self.byteCount = byteCount
    }

    deinit { munmap(mapping, mappedBytes) }

    /// The whole pages of bytes `range` of the data (counted from `base`).
    private func pages(_ range: Range<Int>, outward: Bool) -> (UnsafeMutableRawPointer, Int)? {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = base - UnsafeRawPointer(mapping) + range.lowerBound
        let end = base - UnsafeRawPointer(mapping) + range.upperBound
        let lo = outward ? start / page * page : (start + page - 1) / page * page
        let hi = outward ? min((end + page - 1) / page * page, mappedBytes) : end / page * page
        return hi > lo ? (mapping + lo, hi - lo) : nil
    }

    /// Starts reading bytes `range` from disk in the background (a window about to be used).
    func willNeed(_ range: Range<Int>) {
        if let (p, n) = pages(range, outward: true) { madvise(p, n, MADV_WILLNEED) }
    }

    /// Hands the pages of bytes `range` back: they leave this process's resident set and stay
    /// in the page cache (a window done with).
    func release(_ range: Range<Int>) {
        if let (p, n) = pages(range, outward: false) { madvise(p, n, MADV_DONTNEED) }
    }
}

/// How a mapped dataset's elements become Float (little-endian, as h5py writes on every
/// platform it runs on; other byte orders are read through libhdf5 instead).
enum MappedElement: Sendable {
    case float32, float64, int8, uint8, int16, uint16, int32, uint32, int64, uint64

    init?(_ type: HDF5ElementType) {
        switch type {
        case .float(4): self = .float32
        case .float(8): self = .float64
        case .integer(1, true), .boolean: self = .int8
        case .integer(1, false): self = .uint8
        case .integer(2, true): self = .int16
        case .integer(2, false): self = .uint16
        case .integer(4, true): self = .int32
        case .integer(4, false): self = .uint32
        case .integer(8, true): self = .int64
        case .integer(8, false): self = .uint64
        default: return nil
        }
    }

    var size: Int {
        switch self {
        case .int8, .uint8: return 1
        case .int16, .uint16: return 2
        case .float32, .int32, .uint32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// Converts `count` elements of the row at `p` to `out`: elements `columns[k]`, or the first
    /// `count` when `columns` is nil.
    func convert(row p: UnsafeRawPointer, columns: UnsafeBufferPointer<Int32>?, count: Int, into out: UnsafeMutablePointer<Float>) {
        @inline(__always) func each<T>(_: T.Type, _ f: (T) -> Float) {
            if let columns {
                for k in 0..<count { out[k] = f(p.loadUnaligned(fromByteOffset: Int(columns[k]) * MemoryLayout<T>.size, as: T.self)) }
            } else {
                for k in 0..<count { out[k] = f(p.loadUnaligned(fromByteOffset: k * MemoryLayout<T>.size, as: T.self)) }
            }
        }
        switch self {
        case .float32: each(Float.self) { $0 }
        case .float64: each(Double.self) { Float($0) }
        case .int8: each(Int8.self) { Float($0) }
        case .uint8: each(UInt8.self) { Float($0) }
        case .int16: each(Int16.self) { Float($0) }
        case .uint16: each(UInt16.self) { Float($0) }
        case .int32: each(Int32.self) { Float($0) }
        case .uint32: each(UInt32.self) { Float($0) }
        case .int64: each(Int64.self) { Float($0) }
        case .uint64: each(UInt64.self) { Float($0) }
        }
    }
}

/// Rows of a dense matrix mapped from an `.h5ad` file. When the file holds float32 and the
/// model takes every column in file order, `withRows` hands the engine a pointer into the
/// mapping itself; otherwise it converts and gathers the rows asked for into a buffer.
final class MappedDenseMatrix: SampleMatrix, @unchecked Sendable {
    let region: MappedRegion
    let element: MappedElement
    /// Columns per stored row.
    let fileColumnCount: Int
    /// The file column of each feature; nil when they are all, in order.
    let fileColumns: [Int32]?
    /// The file row of row 0.
    let firstRow: Int
    let rowCount: Int
    let columnCount: Int
    let check: AnnDataValueCheck

    init(
        region: MappedRegion, element: MappedElement, fileColumnCount: Int, fileColumns: [Int32]?,
        firstRow: Int, rowCount: Int, check: AnnDataValueCheck
    ) {
        self.region = region
        self.element = element
        self.fileColumnCount = fileColumnCount
        self.fileColumns = fileColumns
        self.firstRow = firstRow
        self.rowCount = rowCount
        self.columnCount = fileColumns?.count ?? fileColumnCount
        self.check = check
    }

    /// The same mapping, rows `rows` of this matrix, as a window: its pages are read ahead
    /// now and leave the resident set when the window goes (so an export of a file larger than
    /// memory holds about one window of it).
    func window(_ rows: Range<Int>) -> MappedDenseMatrix {
        let w = MappedDenseMatrix(
            region: region, element: element, fileColumnCount: fileColumnCount, fileColumns: fileColumns,
            firstRow: firstRow + rows.lowerBound, rowCount: rows.count, check: check)
        w.isWindow = true
        region.willNeed(w.byteRange)
        return w
    }

    private var isWindow = false

    /// The bytes of this matrix's rows in the mapped data.
    private var byteRange: Range<Int> {
        let rowBytes = fileColumnCount * element.size
        return (firstRow * rowBytes)..<((firstRow + rowCount) * rowBytes)
    }

    deinit {
        if isWindow { region.release(byteRange) }
    }

    private func rowPointer(_ r: Int) -> UnsafeRawPointer {
        region.base + (firstRow + r) * fileColumnCount * element.size
    }

    private func place(_ rows: Range<Int>) -> (Int) -> (object: String, feature: Int?) {
        { [self] i in
            let k = i % columnCount
            let column = fileColumns.map { Int($0[k]) } ?? k
            return ("\(check.path)[\(firstRow + rows.lowerBound + i / columnCount), \(column)]", k)
        }
    }

    func withRows<R>(_ rows: Range<Int>, _ body: (UnsafePointer<Float>) throws -> R) throws -> R {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= rowCount, "rows \(rows) of \(rowCount)")
        let d = columnCount, count = rows.count * d
        if element == .float32, fileColumns == nil, Int(bitPattern: region.base) % 4 == 0 {
            let p = rowPointer(rows.lowerBound).assumingMemoryBound(to: Float.self)
            if check.allFinite(p, count) { return try body(p) }
        }
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        defer { buffer.deallocate() }
        try fileColumns.withOptionalBuffer { columns in
            for (i, r) in rows.enumerated() {
                element.convert(row: rowPointer(r), columns: columns, count: d, into: buffer + i * d)
            }
        }
        try check.check(buffer, count, place: place(rows))
        return try body(buffer)
    }

    func column(_ c: Int) throws -> [Float] {
        let fileColumn = fileColumns.map { Int($0[c]) } ?? c
        var out = [Float](repeating: 0, count: rowCount)
        var one: Int32 = Int32(fileColumn)
        try withUnsafePointer(to: &one) { index in
            try out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rowCount {
                    element.convert(
                        row: rowPointer(r), columns: UnsafeBufferPointer(start: index, count: 1), count: 1, into: o.baseAddress! + r)
                }
                try check.check(o.baseAddress!, rowCount) { r in ("\(check.path)[\(firstRow + r), \(fileColumn)]", c) }
            }
        }
        return out
    }
}

extension Optional where Wrapped == [Int32] {
    /// Calls `body` with the array's buffer, or nil.
    func withOptionalBuffer<R>(_ body: (UnsafeBufferPointer<Int32>?) throws -> R) rethrows -> R {
        switch self {
        case .some(let a): return try a.withUnsafeBufferPointer { try body($0) }
        case .none: return try body(nil)
        }
    }
}
