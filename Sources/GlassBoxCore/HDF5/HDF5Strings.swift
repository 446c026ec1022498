import CHDF5

/// Reads text elements (variable-length or fixed-size, ASCII or UTF-8) into Swift strings.
enum HDF5Strings {
    /// Reads `count` strings stored as `fileType`; `read` fills a buffer laid out as the memory
    /// type it is given. Text that is not UTF-8 is refused.
    static func read(
        count: Int, fileType: hid_t, place: String, file: HDF5File,
        _ read: (hid_t, UnsafeMutableRawPointer) -> herr_t
    ) throws -> [String] {
        glassbox_h5_quiet()
        let memType = H5Tcopy(glassbox_h5t_c_s1())
        guard memType >= 0 else { throw file.failure(place, "describe text") }
        defer { H5Tclose(memType) }
        H5Tset_cset(memType, H5Tget_cset(fileType))
        var strings: [String] = []
        strings.reserveCapacity(count)
        func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) throws -> String {
            guard let s = String(validating: bytes, as: UTF8.self) else {
                throw file.error(place, "element \(i) is not UTF-8 text")
            }
            return s
        }
        if H5Tis_variable_str(fileType) > 0 {
            H5Tset_size(memType, -1)  // H5T_VARIABLE, (size_t)-1
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            let status = pointers.withUnsafeMutableBytes { read(memType, $0.baseAddress!) }
            guard status >= 0 else { throw file.failure(place, "read the text") }
            defer {
                var n = hsize_t(count)
                let space = H5Screate_simple(1, &n, nil)
                pointers.withUnsafeMutableBytes { _ = glassbox_h5_reclaim(memType, space, $0.baseAddress!) }
                H5Sclose(space)
            }
            for (i, p) in pointers.enumerated() {
                guard let p else { strings.append(""); continue }
                let length = strlen(p)
                strings.append(
                    try p.withMemoryRebound(to: UInt8.self, capacity: length) {
                        try decode(UnsafeBufferPointer(start: $0, count: length), i)
                    })
            }
            return strings
        }
        let size = Int(H5Tget_size(fileType))
        guard size > 0, !count.multipliedReportingOverflow(by: size).overflow else {
            throw file.error(place, "found text elements of \(size) bytes, expected a usable size")
        }
        H5Tset_size(memType, size)
        H5Tset_strpad(memType, H5Tget_strpad(fileType))
        var bytes = [UInt8](repeating: 0, count: count * size)
        let status = bytes.withUnsafeMutableBytes { read(memType, $0.baseAddress!) }
        guard status >= 0 else { throw file.failure(place, "read the text") }
        let spacePadded = H5Tget_strpad(fileType) == H5T_STR_SPACEPAD
        try bytes.withUnsafeBufferPointer { all in
            for i in 0..<count {
                let element = UnsafeBufferPointer(rebasing: all[(i * size)..<((i + 1) * size)])
                var end = element.firstIndex(of: 0) ?? size
                if spacePadded { while end > 0 && element[end - 1] == 0x20 { end -= 1 } }
                strings.append(try decode(UnsafeBufferPointer(rebasing: element[0..<end]), i))
            }
        }
        return strings
    }
}
