#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension PartialFile {
    /// Appends bytes `range` of `source` — in the kernel with `copy_file_range` where there is
    /// one (no copy through this process, and a reflink on file systems that share extents),
    /// else through one 8 MiB buffer. Either way no more than that is ever in memory.
    /// `token` is checked between pieces.
    func append(contentsOf source: URL, range: Range<Int>, file: String, token: CancellationToken?) throws {
        let input = open(source.path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw InputError(file: file, message: "cannot read: \(String(cString: strerror(errno)))") }
        defer { _ = systemClose(input) }
        var offset = range.lowerBound
        let piece = 64 << 20
        if let copy = FileRangeCopy.copyFileRange {
            while offset < range.upperBound {
                if token?.isCancelled == true { throw EngineCancelled() }
                var from = Int64(offset)
                let n = copy(input, &from, fd, nil, min(piece, range.upperBound - offset), 0)
                if n > 0 { offset += n; continue }
                if n < 0 && errno == EINTR { continue }
                if n == 0 { throw InputError(file: file, message: "ends at byte \(offset), expected \(range.upperBound) bytes") }
                // EXDEV, EINVAL, ENOSYS…: this pair of files needs the plain copy.
                break
            }
        }
        guard offset < range.upperBound else { return }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 8 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        while offset < range.upperBound {
            if token?.isCancelled == true { throw EngineCancelled() }
            let n = pread(input, buffer, min(8 << 20, range.upperBound - offset), off_t(offset))
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw InputError(file: file, message: "cannot read: \(String(cString: strerror(errno)))") }
            guard n > 0 else { throw InputError(file: file, message: "ends at byte \(offset), expected \(range.upperBound) bytes") }
            try append(UnsafeRawBufferPointer(start: buffer, count: n))
            offset += n
        }
    }
}

enum FileRangeCopy {
    typealias CopyFileRange = @convention(c) (Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32) -> Int
    /// Looked up at run time: Swift's Glibc module does not declare it (it needs _GNU_SOURCE).
    static let copyFileRange: CopyFileRange? = {
        #if os(Linux)
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "copy_file_range") else { return nil }
        return unsafeBitCast(symbol, to: CopyFileRange.self)
        #else
        return nil
        #endif
    }()
}
