#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The records of a CSV file an export wrote (RFC 4180 as `CSVText` writes it: a field with a
/// comma, quote or line break is quoted, quotes doubled; lines end in `\n`), read a buffer at a
/// time, so a file of any size costs one buffer of memory (more only for a longer record).
final class CSVRecordStream {
    let file: String
    private let fd: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Unread bytes are buffer[start..<end].
    private var start = 0, end = 0
    private var atEnd = false
    /// The file offset of `buffer[0]`.
    private var bufferOffset = 0

    init(_ url: URL, file: String, bufferSize: Int = 1 << 16) throws {
        self.file = file
        fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(file: file, message: "cannot read: \(String(cString: strerror(errno)))") }
        capacity = bufferSize
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        _ = systemClose(fd)
        buffer.deallocate()
    }

    /// The file offset just past the last record returned.
    var offset: Int { bufferOffset + start }

    /// Moves the unread bytes to the front (growing the buffer when they fill it) and reads
    /// more after them; false at the end of the file.
    private func refill() throws -> Bool {
        guard !atEnd else { return false }
        if start > 0 {
            memmove(buffer, buffer + start, end - start)
            bufferOffset += start
            end -= start
            start = 0
        }
        if end == capacity {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * capacity)
            larger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = larger
            capacity *= 2
        }
        var got = 0
        repeat { got = read(fd, buffer + end, capacity - end) } while got < 0 && errno == EINTR
        guard got >= 0 else { throw InputError(file: file, message: "cannot read: \(String(cString: strerror(errno)))") }
        end += got
        atEnd = got == 0
        return got > 0
    }

    /// The next record's fields (unquoted), or nil at the end of the file.
    func next() throws -> [String]? {
        // Find the record's end first (a newline outside quotes), reading more as needed.
        var i = start, quoted = false
        while true {
            if i == end {
                let scanned = i - start
                guard try refill() else {
                    if scanned == 0 { return nil }
                    throw InputError(
                        file: file, message: "ends inside a record (at byte \(bufferOffset + end)); expected each line to end in a newline")
                }
                i = start + scanned
                continue
            }
            let b = buffer[i]
            if b == UInt8(ascii: "\"") { quoted.toggle() } else if b == 10 && !quoted { break }
            i += 1
        }
        // Then split it: a doubled quote inside quotes is one quote, and toggling twice leaves
        // the quoting as it was, so the scan above found the right end.
        var fields: [String] = []
        var p = start
        while true {
            let fieldEnd: Int
            if p < i && buffer[p] == UInt8(ascii: "\"") {
                var bytes: [UInt8] = []
                var q = p + 1
                while q < i {
                    if buffer[q] == UInt8(ascii: "\"") {
                        if q + 1 < i && buffer[q + 1] == UInt8(ascii: "\"") { bytes.append(UInt8(ascii: "\"")); q += 2; continue }
                        q += 1
                        break
                    }
                    bytes.append(buffer[q])
                    q += 1
                }
                var e = q
                while e < i && buffer[e] != UInt8(ascii: ",") { e += 1 }
                fields.append(String(decoding: bytes, as: UTF8.self))
                fieldEnd = e
            } else {
                var e = p
                while e < i && buffer[e] != UInt8(ascii: ",") { e += 1 }
                fields.append(String(decoding: UnsafeBufferPointer(start: buffer + p, count: e - p), as: UTF8.self))
                fieldEnd = e
            }
            if fieldEnd >= i { break }
            p = fieldEnd + 1
        }
        start = i + 1
        return fields
    }
}
