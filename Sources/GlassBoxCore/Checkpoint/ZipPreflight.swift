import Foundation

/// Checks a zip's structure before ZIPFoundation sees it.
///
/// Why: ZIPFoundation trusts the offsets and sizes in the file. A hostile zip can make it
/// trap (a 64-bit offset converted to `off_t`, a UInt64 addition that overflows), loop for
/// a very long time (a declared size far past the end of the file), or — for archives in
/// memory — read past the end of its buffer. This reads the same records ZIPFoundation will
/// read (the end record it finds, the ZIP64 end record it would use, every central directory
/// record and local header) and accepts only the plain layout PyTorch writes: stored,
/// unencrypted entries without ZIP64 per-entry fields, every byte range inside the file. After
/// that, every seek and read ZIPFoundation makes stays within the file.
enum ZipPreflight {
    struct Entry {
        var name: [UInt8]
        /// Bytes of the stored data (compressed size == uncompressed size).
        var size: Int
        /// The CRC-32 the central directory gives; the local header and data descriptor agree.
        var crc: UInt32
    }

    static let maxEntries = 100_000
    private static let endRecordSize = 22
    private static let maxCommentLength = 0xFFFF

    static func check(_ data: Data, file: String) throws -> [Entry] {
        try data.withUnsafeBytes { raw in try check(raw, file: file) }
    }

    static func check(_ raw: UnsafeRawBufferPointer, file: String) throws -> [Entry] {
        let size = raw.count
        func fail(_ message: String) -> InputError {
            InputError(file: file, message: message)
        }
        func u16(_ at: Int) -> Int { Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self))) }
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        /// `start + length` as an Int, if that range lies inside the file.
        func end(_ start: Int, _ length: Int) -> Int? {
            let (e, overflow) = start.addingReportingOverflow(length)
            return (!overflow && start >= 0 && length >= 0 && e <= size) ? e : nil
        }

        guard size >= 4, u32(0) == 0x0403_4B50 else {
            throw fail("not a zip archive (a PyTorch checkpoint is a zip file starting with 'PK\\3\\4')")
        }
        // End of central directory: ZIPFoundation takes the first signature found scanning
        // backwards from size−22; a valid one lies within the comment's reach of the end.
        guard size >= endRecordSize else { throw fail("not a zip archive: too short") }
        var eocd: Int? = nil
        var p = size - endRecordSize
        let lowest = max(0, size - endRecordSize - maxCommentLength)
        while p >= lowest {
            if u32(p) == 0x0605_4B50 { eocd = p; break }
            p -= 1
        }
        guard let eocd else { throw fail("not a zip archive: no end of central directory record") }
        guard end(eocd + endRecordSize, u16(eocd + 20)) != nil else {
            throw fail("corrupt zip: the archive comment runs past the end of the file")
        }

        // ZIPFoundation prefers a ZIP64 end record directly before the locator before the end record.
        var count = UInt64(u16(eocd + 10))
        var directorySize = UInt64(u32(eocd + 12))
        var directoryOffset = UInt64(u32(eocd + 16))
        if eocd > 20, eocd - 20 > 56 {
            let locator = eocd - 20, record = locator - 56
            if u32(locator) == 0x0706_4B50, u32(record) == 0x0606_4B50, u16(record + 14) >= 45 {
                count = u64(record + 32)
                directorySize = u64(record + 40)
                directoryOffset = u64(record + 48)
            }
        }
        guard count <= UInt64(maxEntries) else {
            throw fail("the zip declares \(count) entries; a model file has a few dozen")
        }
        guard directoryOffset <= UInt64(size), directorySize <= UInt64(size),
            end(Int(directoryOffset), Int(directorySize)) != nil
        else {
            throw fail("corrupt zip: the central directory lies outside the file")
        }

        var entries: [Entry] = []
        var at = Int(directoryOffset)
        for index in 0..<Int(count) {
            func bad(_ why: String) -> InputError { fail("corrupt or unsupported zip entry #\(index + 1): \(why)") }
            guard let fixed = end(at, 46), u32(at) == 0x0201_4B50 else {
                throw bad("no central directory record where one should be")
            }
            let nameLength = u16(at + 28), extraLength = u16(at + 30), commentLength = u16(at + 32)
            guard let next = end(fixed, nameLength + extraLength + commentLength) else {
                throw bad("the record runs past the end of the file")
            }
            let name = Array(UnsafeRawBufferPointer(rebasing: raw[fixed..<(fixed + nameLength)]))
            let label = String(decoding: name, as: UTF8.self)
            let versionNeeded = u16(at + 6) & 0xFF, flags = u16(at + 8), method = u16(at + 10)
            let compressed = u32(at + 20), uncompressed = u32(at + 24), localOffset = u32(at + 42)
            guard flags & 1 == 0 else { throw bad("'\(label)' is encrypted") }
            guard method == 0 else {
                throw bad("'\(label)' is compressed; PyTorch writes checkpoints uncompressed, so this file was altered")
            }
            guard versionNeeded < 45, compressed != .max, uncompressed != .max, localOffset != .max else {
                throw bad("'\(label)' uses ZIP64 fields; checkpoints over 4 GB are not supported")
            }
            guard compressed == uncompressed else { throw bad("'\(label)' has different stored and declared sizes") }
            // The local header: ZIPFoundation uses its name/extra lengths and its compression method.
            let local = Int(localOffset)
            guard let localFixed = end(local, 30), u32(local) == 0x0403_4B50 else {
                throw bad("'\(label)' has no local header at offset \(local)")
            }
            guard u16(local + 8) == 0 else { throw bad("'\(label)' is compressed (local header)") }
            guard let dataStart = end(localFixed, u16(local + 26) + u16(local + 28)),
                let dataEnd = end(dataStart, Int(uncompressed))
            else {
                throw bad("the data of '\(label)' runs past the end of the file")
            }
            // Three records may give the CRC: the central directory, the local header (zero when
            // a data descriptor follows the data, as PyTorch writes it) and that descriptor.
            // ZIPFoundation checks against the descriptor, Python's zipfile against the central
            // directory: they must agree, or an edited entry could pass one and not the other.
            let crc = u32(at + 16)
            let localCRC = u32(local + 14)
            if flags & 8 != 0 {
                guard localCRC == 0 || localCRC == crc else {
                    throw bad("'\(label)' has two different CRC-32s (local header and central directory)")
                }
                let signed = end(dataEnd, 4) != nil && u32(dataEnd) == 0x0807_4B50
                guard let at = end(dataEnd, signed ? 4 : 0), end(at, 4) != nil else {
                    throw bad("the data descriptor of '\(label)' runs past the end of the file")
                }
                guard u32(at) == crc else { throw bad("'\(label)' has two different CRC-32s (data descriptor and central directory)") }
            } else {
                guard localCRC == crc else { throw bad("'\(label)' has two different CRC-32s (local header and central directory)") }
            }
            entries.append(Entry(name: name, size: Int(uncompressed), crc: crc))
            at = next
        }
        return entries
    }
}
