#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@preconcurrency import Crypto
import Foundation

/// Streaming SHA-256 for the provenance in verification.json (`sha256sum FILE` gives the same
/// digest). Backed by swift-crypto, whose BoringSSL code uses the CPU's SHA extensions: export
/// hashes hundreds of megabytes of input, and a portable Swift SHA-256 cost a third of its CPU.
public struct SHA256: Sendable {
    private var hasher = Crypto.SHA256()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    public mutating func update<D: DataProtocol>(_ data: D) {
        hasher.update(data: data)
    }

    public mutating func finalize() -> [UInt8] {
        Array(hasher.finalize())
    }

    public static func hex(_ digest: [UInt8]) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of a model given as an encoder directory: SHA-256 over each regular file,
    /// in name order, as `name NUL length NUL contents` — stable, and any change to any
    /// tensor file or `encoder.json` changes it. A plain file gets `hexDigest(ofFile:)`.
    public static func hexDigest(of url: URL) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return try hexDigest(ofFile: url)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
        var hasher = SHA256()
        for name in names {
            let file = url.appendingPathComponent(name)
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            let contents = try Data(contentsOf: file)
            hasher.update(Data("\(name)\u{0}\(contents.count)\u{0}".utf8))
            hasher.update(contents)
        }
        return hex(hasher.finalize())
    }

    /// The hex digest of a file. Regular files are mapped 8 MiB at a time (no copy, and the
    /// resident memory stays at one window); anything else is read in 4 MiB pieces.
    public static func hexDigest(ofFile url: URL) throws -> String {
        let fd = open(url.path, O_RDONLY)
        func failure() -> InputError {
            InputError(file: url.relativePath, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        guard fd >= 0 else { throw failure() }
        defer { close(fd) }
        var hasher = SHA256()
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            let size = Int(info.st_size), window = 8 << 20
            var offset = 0
            while offset < size {
                let length = min(window, size - offset)
                guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, off_t(offset)), base != MAP_FAILED else { break }
                madvise(base, length, MADV_SEQUENTIAL)
                hasher.update(UnsafeRawBufferPointer(start: base, count: length))
                munmap(base, length)
                offset += length
            }
            if offset >= size { return hex(hasher.finalize()) }
            // mmap refused: start over with read().
            hasher = SHA256()
            guard lseek(fd, 0, SEEK_SET) == 0 else { throw failure() }
        }
        let size = 4 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let got = read(fd, buffer, size)
            if got < 0 {
                if errno == EINTR { continue }
                throw failure()
            }
            if got == 0 { break }
            hasher.update(UnsafeRawBufferPointer(start: buffer, count: got))
        }
        return hex(hasher.finalize())
    }
}
