#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where CSV text comes from, as a sequence of buffers the reader walks through: a whole
/// mapped file (one buffer, final), or a stream — gzip data or a pipe — seen through a buffer
/// that moves forward, keeping the unfinished record at its front.
final class CSVInput {
    /// Produces stream text: decompressed gzip or a pipe's bytes.
    protocol Producer: AnyObject {
        /// Fills up to `capacity` bytes; returns how many (fewer only at the end).
        func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int
        var finished: Bool { get }
    }

    let file: String
    private(set) var base: UnsafePointer<UInt8>
    private(set) var count: Int
    /// Nothing follows this buffer.
    private(set) var isFinal: Bool
    /// 1-based line of the buffer's first byte.
    private(set) var firstLine = 1
    /// Bytes of byte-order mark at the buffer's start (the first buffer only).
    var bomLength = 0
    /// Gives back the pages of a mapped file already read (offsets in the buffer).
    let release: ((Int, Int) -> Void)?
    /// Maps in the pages of a mapped file about to be scanned, in one call (offsets in the buffer).
    let populate: ((Int, Int) -> Void)?

    private let mapped: MappedFile?
    private let memory: OwnedBytes?
    private var buffer: TextBuffer?
    private let makeProducer: (() throws -> any Producer)?
    private var producer: (any Producer)?
    /// Longest record a stream may hold in its buffer: a newline-free stream (a device, a
    /// binary file) is refused at this size rather than read without end.
    let recordLimit: Int

    /// A mapped regular file, read in place.
    init(mapped file: MappedFile, name: String) {
        self.file = name
        mapped = file
        memory = nil
        base = file.base
        count = file.count
        isFinal = true
        release = file.release
        populate = file.populate
        makeProducer = nil
        recordLimit = Int.max
    }

    /// Text held in memory.
    init(memory: OwnedBytes, name: String) {
        file = name
        mapped = nil
        self.memory = memory
        base = UnsafePointer(memory.base)
        count = memory.count
        isFinal = true
        release = nil
        populate = nil
        makeProducer = nil
        recordLimit = Int.max
    }

    /// A stream of text from `producer` (made again to rewind, when it can be).
    init(
        stream name: String, blockBytes: Int, recordLimit: Int, producer: @escaping () throws -> any Producer,
        keep: MappedFile? = nil, keepBytes: OwnedBytes? = nil
    ) throws {
        file = name
        mapped = keep
        memory = keepBytes
        release = nil
        populate = nil
        makeProducer = producer
        self.recordLimit = recordLimit
        let b = TextBuffer(capacity: blockBytes)
        buffer = b
        base = UnsafePointer(b.base)
        count = 0
        isFinal = false
        try restart()
    }

    var isStream: Bool { makeProducer != nil }

    /// Back to the start of the text (a stream is produced again).
    func restart() throws {
        guard let makeProducer, let buffer else { return }
        producer = try makeProducer()
        buffer.clear()
        try buffer.fill(from: producer!)
        sync()
        firstLine = 1
    }

    /// Moves on in a stream: text before `keep` is done with; what follows moves to the front of
    /// the buffer and more is read after it. False when there is no more (the buffer is final).
    func advance(keepingFrom keep: Int) throws -> Bool {
        guard let buffer, let producer, !isFinal else { return false }
        firstLine += TextPosition(base: base, count: count, firstLine: 0, bomLength: 0).lines(upTo: keep)
        bomLength = 0
        let rest = buffer.count - keep
        if rest >= buffer.capacity / 2 {
            // One record fills half the buffer: make room, within the limit.
            guard buffer.capacity < recordLimit else {
                throw InputError(
                    file: file, line: firstLine, column: 1,
                    message: "found more than \(Self.megabytes(recordLimit)) without a line end, expected CSV text with one sample per line"
                )
            }
            buffer.grow()
        }
        buffer.shift(from: keep)
        try buffer.fill(from: producer)
        sync()
        return true
    }

    private func sync() {
        guard let buffer else { return }
        base = UnsafePointer(buffer.base)
        count = buffer.count
        isFinal = buffer.isFinal
    }

    static func megabytes(_ n: Int) -> String {
        n >= 1 << 20 ? "\(n >> 20) MB" : "\(n) bytes"
    }

    var position: TextPosition {
        TextPosition(base: base, count: count, firstLine: firstLine, bomLength: bomLength)
    }
}

/// Bytes copied into memory the reader owns (so pointers into them stay valid).
final class OwnedBytes: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int

    init(_ data: Data) {
        count = data.count
        base = .allocate(capacity: max(count, 1))
        data.copyBytes(to: base, count: count)
    }

    deinit { base.deallocate() }
}

/// A pipe or device read in blocks (`<(zcat …)`, /dev/stdin).
final class PipeReader: CSVInput.Producer {
    private let handle: FileHandle
    private(set) var finished = false
    let file: String

    init(url: URL, file: String) throws {
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw InputError(file: file, message: "found no readable file (\(describeOpenFailure(url.path))), expected a CSV file")
        }
        self.file = file
    }

    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        var written = 0
        while written < capacity && !finished {
            let n = systemRead(handle.fileDescriptor, destination + written, capacity - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(file: file, message: "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { finished = true } else { written += n }
        }
        return written
    }
}

/// Why opening `path` failed, in words (errno after the failed open).
func describeOpenFailure(_ path: String) -> String {
    let fd = open(path, O_RDONLY | O_NONBLOCK)
    if fd >= 0 { close(fd); return "it could not be opened" }
    return String(cString: strerror(errno))
}

extension GzipInflater: CSVInput.Producer {}

@inline(__always) private func systemRead(_ fd: Int32, _ p: UnsafeMutableRawPointer, _ n: Int) -> Int { read(fd, p, n) }
