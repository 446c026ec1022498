#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Fills a file of known size at arbitrary offsets, from several threads, bypassing the page
/// cache (Linux `O_DIRECT`) where the file system allows it.
///
/// Why: an export writes hundreds of megabytes of `.npy`, and a buffered `pwrite` makes the
/// kernel copy every byte into freshly allocated page-cache pages — measured at a quarter of
/// an export's CPU time on a 2-core machine (and more under memory pressure), while direct
/// writes cost almost none: the device reads our buffers itself.
///
/// Direct I/O needs block-aligned offsets, lengths and memory, but chunks of rows end anywhere.
/// So the aligned interior of each write is copied into reused aligned staging buffers, and the
/// partial blocks at its two ends are assembled here (each byte of the file is written exactly
/// once, so a block is complete when its byte count is) and written when complete. The last
/// block is written whole and the file cut back to its size by `finish()`.
/// Where `O_DIRECT` is missing or refused, every write is an ordinary `pwrite`.
final class DirectFileWriter: @unchecked Sendable {
    static let blockSize = 4096
    /// Bytes per direct write: a whole chunk of contributions at once (each direct write waits
    /// for the device, ~1–2 ms at least on a busy VM, so fewer and larger is faster).
    static let stagingSize = 8 << 20
    /// Smaller files go through the page cache: copying a few MB costs less than waiting for
    /// many small direct writes (pca_contributions.npy took 0.27 s of worker time direct).
    static let directMinimum = 64 << 20

    let file: PartialFile
    /// The file's size; it may grow (`grow`) while being written.
    private(set) var size: Int
    /// The file opened a second time with `O_DIRECT`, or -1.
    private var directFD: Int32 = -1
    private let directMinimum: Int
    /// Set when the file system refused a direct write: the rest goes through the page cache.
    private var refused = false
    private let lock = NSLock()
    /// Partial blocks: block index → (aligned buffer, bytes filled so far).
    private var edges: [Int: (buffer: UnsafeMutableRawPointer, filled: Int)] = [:]
    private var staging: [UnsafeMutableRawPointer] = []
    private var bytesWritten = 0

    /// Sizes `file` to `size` bytes (its contents are then written with `write(_:at:)`).
    /// A file under `directMinimum` bytes goes through the page cache (tests set it).
    init(file: PartialFile, size: Int, directMinimum: Int = DirectFileWriter.directMinimum) throws {
        self.file = file
        self.size = 0
        self.directMinimum = directMinimum
        try grow(to: size)
    }

    /// Makes the file `size` bytes long, to be written too. (Once it reaches `directMinimum`,
    /// writes go around the page cache.)
    func grow(to size: Int) throws {
        lock.lock()
        defer { lock.unlock() }
        guard size > self.size else { return }
        try file.resize(to: size)
        self.size = size
        #if os(Linux)
        if directFD < 0 && size >= directMinimum { directFD = open(file.partialURL.path, O_WRONLY | O_DIRECT | O_CLOEXEC) }
        #endif
    }

    /// Gives up the room past `size` (nothing may have been written there).
    func shrink(to size: Int) throws {
        lock.lock()
        defer { lock.unlock() }
        precondition(size <= self.size)
        self.size = size
    }

    deinit {
        if directFD >= 0 { close(directFD) }
        for (_, e) in edges { free(e.buffer) }
        for b in staging { free(b) }
    }

    /// Whether writes go around the page cache (for tests and profiling).
    var isDirect: Bool {
        lock.lock(); defer { lock.unlock() }
        return directFD >= 0 && !refused
    }

    /// Writes `bytes` at `offset`. Every byte of the file must be written exactly once.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        lock.lock()
        let size = self.size
        lock.unlock()
        precondition(offset >= 0 && offset + bytes.count <= size, "write past the end of \(file.name)")
        guard bytes.count > 0 else { return }
        let block = Self.blockSize
        let end = offset + bytes.count
        let interiorStart = (offset + block - 1) / block * block
        let interiorEnd = end / block * block
        if interiorStart >= interiorEnd {
            // Within one or two blocks.
            var p = offset
            while p < end {
                let q = min(end, (p / block + 1) * block)
                try assemble(bytes.baseAddress! + (p - offset), count: q - p, at: p)
                p = q
            }
        } else {
            if offset < interiorStart { try assemble(bytes.baseAddress!, count: interiorStart - offset, at: offset) }
            try writeInterior(bytes.baseAddress! + (interiorStart - offset), count: interiorEnd - interiorStart, at: interiorStart)
            if interiorEnd < end { try assemble(bytes.baseAddress! + (interiorEnd - offset), count: end - interiorEnd, at: interiorEnd) }
        }
        lock.lock()
        bytesWritten += bytes.count
        lock.unlock()
    }

    /// Writes the blocks still assembling (only the file's last one, when every byte was
    /// written) and cuts the file back to its size.
    func finish() throws {
        lock.lock()
        let written = bytesWritten
        let pending = edges.sorted { $0.key < $1.key }
        edges = [:]
        lock.unlock()
        precondition(written == size, "\(file.name): \(written) of \(size) bytes written")
        for (index, e) in pending {
            defer { free(e.buffer) }
            try writeBlocks(e.buffer, count: Self.blockSize, at: index * Self.blockSize)
        }
        try file.resize(to: size)
    }

    /// Bytes within one block: merged into that block's buffer, which is written once full.
    private func assemble(_ source: UnsafeRawPointer, count: Int, at offset: Int) throws {
        let block = Self.blockSize
        let index = offset / block
        lock.lock()
        var entry = edges[index] ?? (Self.allocate(block, zeroed: true), 0)
        memcpy(entry.buffer + (offset - index * block), source, count)
        entry.filled += count
        // The file's last block, when short, never fills: `finish()` writes it.
        let full = entry.filled == block
        edges[index] = full ? nil : entry
        lock.unlock()
        guard full else { return }
        defer { free(entry.buffer) }
        try writeBlocks(entry.buffer, count: block, at: index * block)
    }

    /// Whole blocks, through staging buffers (or straight from the source when it is aligned).
    private func writeInterior(_ source: UnsafeRawPointer, count: Int, at offset: Int) throws {
        if Int(bitPattern: source) % Self.blockSize == 0 || !isDirect {
            try writeBlocks(source, count: count, at: offset)
            return
        }
        let buffer = takeStaging()
        defer { returnStaging(buffer) }
        var done = 0
        while done < count {
            let n = min(Self.stagingSize, count - done)
            memcpy(buffer, source + done, n)
            try writeBlocks(UnsafeRawPointer(buffer), count: n, at: offset + done)
            done += n
        }
    }

    /// Aligned bytes at an aligned offset: a direct write, or an ordinary one when direct I/O
    /// is unavailable or refused (then for good: the kernel keeps both kinds coherent).
    private func writeBlocks(_ source: UnsafeRawPointer, count: Int, at offset: Int) throws {
        if isDirect {
            let fd = directFD
            var done = 0
            while done < count {
                let n = pwrite(fd, source + done, count - done, off_t(offset + done))
                if n > 0 && n % Self.blockSize == 0 { done += n; continue }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && errno != EINVAL { throw file.failure("write") }
                // EINVAL (alignment this file system will not take) or a short, unaligned
                // write: finish this piece and everything after through the page cache.
                if n > 0 { done += n }
                lock.lock()
                refused = true
                lock.unlock()
                break
            }
            if done == count { return }
            try file.write(UnsafeRawBufferPointer(start: source + done, count: count - done), at: offset + done)
            return
        }
        try file.write(UnsafeRawBufferPointer(start: source, count: count), at: offset)
    }

    private func takeStaging() -> UnsafeMutableRawPointer {
        lock.lock()
        defer { lock.unlock() }
        return staging.popLast() ?? Self.allocate(Self.stagingSize, zeroed: false)
    }

    private func returnStaging(_ buffer: UnsafeMutableRawPointer) {
        lock.lock()
        staging.append(buffer)
        lock.unlock()
    }

    private static func allocate(_ count: Int, zeroed: Bool) -> UnsafeMutableRawPointer {
        var p: UnsafeMutableRawPointer?
        guard posix_memalign(&p, blockSize, count) == 0, let p else { fatalError("out of memory (\(count) bytes)") }
        if zeroed { memset(p, 0, count) }
        return p
    }
}

#if os(Linux)
// Glibc declares O_DIRECT only under `_GNU_SOURCE`, which Swift's Glibc module does not set;
// the values are the kernel's ABI (asm-generic/fcntl.h, and arm64's own asm/fcntl.h).
#if arch(arm64)
let O_DIRECT: Int32 = 0o200000
#else
let O_DIRECT: Int32 = 0o40000
#endif
#endif
