#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a path names, as `stat(2)` sees it (symbolic links followed), so that a message can
/// say what the user gave — a FIFO, a device, a symlink loop — instead of a generic failure.
/// Readers check it before opening: opening a FIFO blocks, and a device never ends.
enum FileKind: Equatable {
    case regular(size: Int64)
    case directory
    case fifo
    case characterDevice
    case blockDevice
    case socket
    case other
    /// `stat` failed: why, e.g. "no such file", "too many levels of symbolic links".
    case unreachable(String)

    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            self = .unreachable(Self.reason(errno))
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .regular(size: Int64(info.st_size))
        case S_IFDIR: self = .directory
        case S_IFIFO: self = .fifo
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFSOCK: self = .socket
        default: self = .other
        }
    }

    /// strerror's text, lower-cased as our messages are; ENOENT in the words used throughout.
    static func reason(_ code: Int32) -> String {
        if code == ENOENT { return "no such file" }
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }

    /// "is a FIFO (named pipe)", "no such file", … — the start of a message about the path.
    var description: String {
        switch self {
        case .regular: return "is a regular file"
        case .directory: return "is a directory"
        case .fifo: return "is a FIFO (named pipe)"
        case .characterDevice: return "is a character device"
        case .blockDevice: return "is a block device"
        case .socket: return "is a socket"
        case .other: return "is not a regular file"
        case .unreachable(let why): return why
        }
    }

    /// The size of the regular file at `path`; otherwise an error saying what the path is
    /// and that `expected` (e.g. "a regular file") was wanted.
    static func regularFileSize(_ path: String, file: String, expected: String = "a regular file") throws -> Int64 {
        let kind = FileKind(path: path)
        switch kind {
        case .regular(let size): return size
        case .unreachable: throw InputError(file: file, message: kind.description)
        default: throw InputError(file: file, message: "\(kind.description), expected \(expected)")
        }
    }
}
