// zlib comes with ZIPFoundation on Linux (its `CZlib` system module, which links libz) and with
// the SDK on Apple platforms. Without either, `.gz` input is refused with a message.
#if canImport(zlib)
import zlib
#elseif canImport(CZlib)
import CZlib
#endif

#if canImport(zlib) || canImport(CZlib)

/// Streaming gzip decompression of an in-memory (mapped) `.gz` file, concatenated members included.
final class GzipInflater: @unchecked Sendable {
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafePointer<UInt8>
    private let inputCount: Int
    private let file: String
    private var fed = 0
    private(set) var finished = false
    /// Called with compressed byte ranges already consumed (a mapped file gives their pages back).
    var release: ((Int, Int) -> Void)?
    private var released = 0

    static func isGzip(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        count >= 2 && p[0] == 0x1F && p[1] == 0x8B
    }

    init(input: UnsafePointer<UInt8>, count: Int, file: String) throws {
        self.input = input
        self.inputCount = count
        self.file = file
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: gzip wrapper only.
        let rc = inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deallocate()
            throw InputError(file: file, message: "cannot start gzip decompression (zlib error \(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    private var compressedOffset: Int { fed - Int(stream.pointee.avail_in) }

    /// Decompresses into `[destination, destination + capacity)`; returns the bytes written
    /// (fewer than `capacity` only at the end, after which `finished` is true).
    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        var written = 0
        while written < capacity && !finished {
            if stream.pointee.avail_in == 0 {
                guard fed < inputCount else {
                    throw InputError(
                        file: file,
                        message:
                            "found the end of the file inside the compressed data (\(inputCount) bytes), expected the rest of the gzip stream; is the file truncated?"
                    )
                }
                if fed > released {
                    release?(released, fed)
                    released = fed
                }
                let n = min(inputCount - fed, 4 << 20)
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input + fed)
                stream.pointee.avail_in = UInt32(n)
                fed += n
            }
            let room = min(capacity - written, 1 << 30)
            stream.pointee.next_out = destination + written
            stream.pointee.avail_out = UInt32(room)
            let rc = inflate(stream, Z_NO_FLUSH)
            written += room - Int(stream.pointee.avail_out)
            switch rc {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                // Another gzip member may follow (as `cat a.gz b.gz` or bgzip write), or NUL
                // padding (tape blocks); anything else is not gzip data, and Python's gzip and
                // pandas refuse it too rather than drop it unseen.
                let at = compressedOffset
                if at + 2 <= inputCount && input[at] == 0x1F && input[at + 1] == 0x8B {
                    inflateReset(stream)
                } else if let garbage = (at..<inputCount).first(where: { input[$0] != 0 }) {
                    let n = inputCount - garbage
                    throw InputError(
                        file: file,
                        message:
                            "found \(n) byte\(n == 1 ? "" : "s") that \(n == 1 ? "is" : "are") not gzip data after the compressed stream (from compressed byte \(garbage)), expected the end of the file or another gzip member"
                    )
                } else {
                    finished = true
                }
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                throw InputError(
                    file: file,
                    message: "found corrupt gzip data near compressed byte \(compressedOffset) (\(detail)), expected a valid .gz file")
            }
        }
        return written
    }
}

/// gzip-compresses `data` (for tests and fixtures; the reader only decompresses).
func gzipCompress(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
    // zlib keeps the stream's address: it must not move.
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer { stream.deallocate() }
    guard
        deflateInit2_(
            stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { return [] }
    defer { deflateEnd(stream) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(data.count))) + 64)
    var input = data
    let written: Int = input.withUnsafeMutableBufferPointer { inp in
        out.withUnsafeMutableBufferPointer { outp in
            stream.pointee.next_in = inp.baseAddress
            stream.pointee.avail_in = UInt32(inp.count)
            stream.pointee.next_out = outp.baseAddress
            stream.pointee.avail_out = UInt32(outp.count)
            _ = deflate(stream, Z_FINISH)
            return outp.count - Int(stream.pointee.avail_out)
        }
    }
    return Array(out.prefix(written))
}

#else

final class GzipInflater: @unchecked Sendable {
    static func isGzip(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        count >= 2 && p[0] == 0x1F && p[1] == 0x8B
    }

    private(set) var finished = true
    var release: ((Int, Int) -> Void)?

    init(input: UnsafePointer<UInt8>, count: Int, file: String) throws {
        throw InputError(file: file, message: "found gzip data, expected plain text: this build has no zlib (decompress the file first)")
    }

    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int { 0 }
}

func gzipCompress(_ data: [UInt8], level: Int32 = 6) -> [UInt8] { [] }

#endif
