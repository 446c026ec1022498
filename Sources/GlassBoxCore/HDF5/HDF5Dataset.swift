import CHDF5

/// A filter of a chunked dataset's pipeline: libhdf5's id (`H5Z_FILTER_DEFLATE` …) and name.
struct HDF5Filter: Equatable {
    var id: H5Z_filter_t
    var name: String
}

/// An HDF5 dataset: its shape, element type and storage, and reads of hyperslabs converted by
/// libhdf5 into the memory type asked for.
final class HDF5Dataset: HDF5Object, @unchecked Sendable {
    enum Layout: Equatable {
        case contiguous
        /// Chunk dimensions, and the filters each chunk passes through, in the order they were
        /// applied when writing (gzip is `H5Z_FILTER_DEFLATE`).
        case chunked(chunk: [Int], filters: [HDF5Filter])
        case compact
        case other
    }

    let shape: [Int]
    let element: HDF5ElementType
    let layout: Layout
    /// The file datatype, kept open for string reads.
    let fileType: hid_t

    /// Chunks larger than this are refused: libhdf5 allocates a whole chunk to read any of it.
    static let maxChunkBytes = 512 << 20
    /// Most bytes a stored byte may expand to through a filter: deflate's limit is 1032:1.
    static let maxExpansion = 1100

    init(file: HDF5File, datasetID id: hid_t, path: String) throws {
        let type = H5Dget_type(id)
        guard type >= 0 else {
            H5Oclose(id)
            throw file.failure(path, "read the dataset's type")
        }
        fileType = type
        element = HDF5ElementType(type: type)
        // The object owns `id` from here on (closed in HDF5Object's deinit).
        var shape: [Int] = []
        var layout = Layout.other
        var problem: InputError?
        let space = H5Dget_space(id)
        if space < 0 {
            problem = file.failure(path, "read the dataset's shape")
        } else {
            let rank = Int(H5Sget_simple_extent_ndims(space))
            if rank < 0 || rank > 32 {
                problem = file.failure(path, "read the dataset's shape")
            } else {
                var dims = [hsize_t](repeating: 0, count: max(rank, 1))
                H5Sget_simple_extent_dims(space, &dims, nil)
                shape = dims.prefix(rank).map { Int(clamping: $0) }
            }
            H5Sclose(space)
        }
        let dcpl = H5Dget_create_plist(id)
        if dcpl >= 0 {
            switch H5Pget_layout(dcpl) {
            case H5D_CONTIGUOUS: layout = .contiguous
            case H5D_COMPACT: layout = .compact
            case H5D_CHUNKED:
                var dims = [hsize_t](repeating: 0, count: 32)
                let rank = Int(H5Pget_chunk(dcpl, 32, &dims))
                var filters: [HDF5Filter] = []
                let count = H5Pget_nfilters(dcpl)
                for i in 0..<max(count, 0) {
                    var name = [CChar](repeating: 0, count: 64)
                    let filter = glassbox_h5_filter(dcpl, UInt32(i), &name)
                    let label = name[0] == 0 ? "filter \(filter)" : String(cString: name)
                    if filter >= 0 && H5Zfilter_avail(filter) <= 0 {
                        problem =
                            problem
                            ?? file.error(
                                path,
                                "is compressed with '\(label)' (HDF5 filter \(filter)), which this libhdf5 lacks; expected gzip or no compression — re-save it in Python with anndata's write_h5ad(…, compression=\"gzip\")"
                            )
                    }
                    filters.append(HDF5Filter(id: filter, name: label))
                }
                layout = .chunked(chunk: dims.prefix(max(rank, 0)).map { Int(clamping: $0) }, filters: filters)
            default: layout = .other
            }
            H5Pclose(dcpl)
        }
        self.shape = shape
        self.layout = layout
        super.init(file: file, id: id, path: path)
        if let problem { throw problem }
        if case .chunked(let chunk, _) = layout {
            let bytes = chunk.reduce(max(Int(H5Tget_size(type)), 1)) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            if bytes > Self.maxChunkBytes {
                throw error("found chunks of \(bytes) bytes, expected at most \(Self.maxChunkBytes >> 20) MiB")
            }
        }
        if layout == .other {
            throw error("found a virtual or unknown storage layout, expected contiguous, chunked or compact data")
        }
    }

    deinit { H5Tclose(fileType) }

    /// Every element: the product of the shape (nil on overflow).
    var elementCount: Int? { TorchTensorView.elementCount(shape) }

    var elementBytes: Int { Int(H5Tget_size(fileType)) }

    /// Whether a filter (gzip) compresses the data.
    var isFiltered: Bool {
        if case .chunked(_, let filters) = layout {
            return filters.contains { $0.id != H5Z_FILTER_SHUFFLE && $0.id != H5Z_FILTER_FLETCHER32 }
        }
        return false
    }

    /// Refuses a dataset whose shape claims more data than its storage in the file can hold
    /// (at most `maxExpansion`:1 through gzip): before anything is allocated for it.
    func requireStoredData() throws {
        glassbox_h5_quiet()
        guard let count = elementCount, !count.multipliedReportingOverflow(by: max(elementBytes, 1)).overflow else {
            throw error("found the shape \(shapeDescription), whose size overflows, expected a real dataset")
        }
        let needed = count * max(elementBytes, 1)
        let stored = Int(clamping: file.guarded(path) { H5Dget_storage_size(id) })
        let (limit, overflow) = stored.multipliedReportingOverflow(by: isFiltered ? Self.maxExpansion : 1)
        if !overflow && needed > limit {
            throw error(
                "claims \(shapeDescription) × \(element.description) (\(needed) bytes) but the file stores only \(stored) bytes of it; expected a complete dataset (the file is damaged)"
            )
        }
        if !isFiltered && stored > file.byteCount {
            throw error("claims \(stored) bytes of storage in a file of \(file.byteCount) bytes (the file is truncated)")
        }
    }

    var shapeDescription: String { "(" + shape.map(String.init).joined(separator: ", ") + ")" }

    /// The file offset of the raw data when it lies in one contiguous, unfiltered extent
    /// inside the file (so it can be mapped), else nil.
    var contiguousOffset: Int? {
        guard layout == .contiguous else { return nil }
        glassbox_h5_quiet()
        let offset = file.guarded(path) { H5Dget_offset(id) }
        if offset == haddr_t.max {  // HADDR_UNDEF: not allocated
            H5Eclear2(hid_t(H5E_DEFAULT))
            return nil
        }
        return Int(clamping: offset)
    }

    /// Whether elements are little-endian IEEE floats or two's-complement integers (mappable as is).
    var isLittleEndian: Bool { H5Tget_order(fileType) == H5T_ORDER_LE }

    /// Reads the hyperslab `start` + `count` (one entry per dimension) into `buffer`, converted
    /// to `memType`, row-major.
    func read(_ memType: hid_t, start: [Int], count: [Int], into buffer: UnsafeMutableRawPointer, place: String? = nil) throws {
        precondition(start.count == shape.count && count.count == shape.count)
        if count.contains(0) { return }
        try file.guarded(place ?? path) { try readUnguarded(memType, start: start, count: count, into: buffer, place: place) }
    }

    private func readUnguarded(_ memType: hid_t, start: [Int], count: [Int], into buffer: UnsafeMutableRawPointer, place: String?) throws {
        let space = H5Dget_space(id)
        guard space >= 0 else { throw file.failure(place ?? path, "read the dataset's shape") }
        defer { H5Sclose(space) }
        let s = start.map { hsize_t($0) }, c = count.map { hsize_t($0) }
        guard H5Sselect_hyperslab(space, H5S_SELECT_SET, s, nil, c, nil) >= 0 else {
            throw file.failure(place ?? path, "select the elements to read")
        }
        let memory = H5Screate_simple(Int32(c.count), c, nil)
        guard memory >= 0 else { throw file.failure(place ?? path, "describe the read") }
        defer { H5Sclose(memory) }
        guard H5Dread(id, memType, memory, space, hid_t(H5P_DEFAULT), buffer) >= 0 else {
            throw file.failure(place ?? path, "read the data")
        }
    }

    /// Elements `range` of a 1-D dataset, converted to `T` (which `memType` must describe).
    func read<T>(_ range: Range<Int>, as memType: hid_t, _ zero: T) throws -> [T] {
        try requireOneDimension()
        let place = "\(path)[\(range.lowerBound)..<\(range.upperBound)]"
        return try [T](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            if !range.isEmpty {
                try read(memType, start: [range.lowerBound], count: [range.count], into: buffer.baseAddress!, place: place)
            }
            initialized = range.count
        }
    }

    func readInt64(_ range: Range<Int>) throws -> [Int64] { try read(range, as: glassbox_h5t_native_int64(), 0) }
    func readInt32(_ range: Range<Int>) throws -> [Int32] { try read(range, as: glassbox_h5t_native_int32(), 0) }
    func readDoubles(_ range: Range<Int>) throws -> [Double] { try read(range, as: glassbox_h5t_native_double(), 0) }
    func readFloats(_ range: Range<Int>) throws -> [Float] { try read(range, as: glassbox_h5t_native_float(), 0) }

    /// Elements `range` of a 1-D text dataset.
    func readStrings(_ range: Range<Int>) throws -> [String] {
        try requireOneDimension()
        guard case .string = element else { throw error("found \(element.description), expected text") }
        var out: [String] = []
        out.reserveCapacity(range.count)
        // In blocks: libhdf5 allocates every variable-length string of a read at once.
        let block = 1 << 16
        for start in stride(from: range.lowerBound, to: range.upperBound, by: block) {
            let count = min(block, range.upperBound - start)
            let place = "\(path)[\(start)..<\(start + count)]"
            out += try file.guarded(place) {
                try HDF5Strings.read(count: count, fileType: fileType, place: place, file: file) { memType, buffer in
                    let space = H5Dget_space(id)
                    guard space >= 0 else { return -1 }
                    defer { H5Sclose(space) }
                    var s = hsize_t(start), c = hsize_t(count)
                    guard H5Sselect_hyperslab(space, H5S_SELECT_SET, &s, nil, &c, nil) >= 0 else { return -1 }
                    let memory = H5Screate_simple(1, &c, nil)
                    guard memory >= 0 else { return -1 }
                    defer { H5Sclose(memory) }
                    return H5Dread(id, memType, memory, space, hid_t(H5P_DEFAULT), buffer)
                }
            }
        }
        return out
    }

    func requireOneDimension() throws {
        guard shape.count == 1 else { throw error("found the shape \(shapeDescription), expected one dimension") }
    }
}
