#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The files of one export. Each is written as `NAME.partial-XXXXXX` in the output directory
/// and renamed to NAME only by `commit()`, once every file is complete; `discard()` (on any
/// error or cancellation, or from a signal handler via `discardAll()`) deletes the partial
/// files. So an interrupted or failed export never leaves a file under a final name.
///
/// No fsync before the renames: the promise is about interrupted processes, and flushing
/// gigabytes to disk would cost more than the whole computation.
public final class ExportFiles: @unchecked Sendable {
    public let directory: URL
    private let lock = NSLock()
    private var files: [PartialFile] = []
    private var finished = false

    /// Every set not yet committed or discarded, for `discardAll()`.
    nonisolated(unsafe) private static var live: [ObjectIdentifier: ExportFiles] = [:]
    private static let liveLock = NSLock()

    /// Creates `directory` (and its parents) when missing.
    public init(directory: URL) throws {
        self.directory = directory
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw InputError(file: directory.relativePath, message: "exists and is not a directory, expected an output directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw InputError(file: directory.relativePath, message: "cannot create the output directory: \(error.localizedDescription)")
            }
        }
        Self.liveLock.lock()
        Self.live[ObjectIdentifier(self)] = self
        Self.liveLock.unlock()
    }

    /// Opens a new partial file that `commit()` will rename to `name`.
    public func create(_ name: String) throws -> PartialFile {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { throw EngineCancelled() }
        let file = try PartialFile(directory: directory, name: name)
        files.append(file)
        return file
    }

    /// Renames every partial file to its final name, in the order they were created (so the
    /// last one created — verification.json — appears last).
    public func commit() throws {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { throw EngineCancelled() }
        for (i, f) in files.enumerated() {
            f.close()
            if rename(f.partialURL.path, f.finalURL.path) != 0 {
                let message = String(cString: strerror(errno))
                // Take back what was already renamed: a half-committed set must not look complete.
                for g in files[..<i] { unlink(g.finalURL.path) }
                for g in files[i...] { g.close(); unlink(g.partialURL.path) }
                finished = true
                Self.forget(self)
                throw InputError(file: f.finalURL.relativePath, message: "cannot rename the finished file into place: \(message)")
            }
        }
        finished = true
        Self.forget(self)
    }

    /// Deletes every partial file; idempotent, callable from any thread.
    public func discard() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        for f in files {
            f.close()
            unlink(f.partialURL.path)
        }
        finished = true
        Self.forget(self)
    }

    /// Final names, in creation order.
    public var names: [String] {
        lock.lock(); defer { lock.unlock() }
        return files.map(\.name)
    }

    /// Discards every export in progress in this process — for SIGINT/SIGTERM handlers.
    public static func discardAll() {
        liveLock.lock()
        let sets = Array(live.values)
        liveLock.unlock()
        for s in sets { s.discard() }
    }

    private static func forget(_ set: ExportFiles) {
        liveLock.lock()
        live[ObjectIdentifier(set)] = nil
        liveLock.unlock()
    }
}

/// One file being written under a temporary name.
public final class PartialFile: @unchecked Sendable {
    public let name: String
    public let finalURL: URL
    public let partialURL: URL
    private var fd: Int32
    private let closeLock = NSLock()

    init(directory: URL, name: String) throws {
        self.name = name
        finalURL = directory.appendingPathComponent(name)
        var attempt = 0
        while true {
            let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
            let url = directory.appendingPathComponent("\(name).partial-\(suffix)")
            let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                self.fd = fd
                partialURL = url
                return
            }
            attempt += 1
            if errno != EEXIST || attempt > 100 {
                throw InputError(file: url.relativePath, message: "cannot create: \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit { close() }

    func close() {
        closeLock.lock()
        if fd >= 0 { _ = systemClose(fd) }
        fd = -1
        closeLock.unlock()
    }

    func failure(_ what: String) -> InputError {
        InputError(file: finalURL.relativePath, message: "cannot \(what): \(String(cString: strerror(errno)))")
    }

    /// Sets the file's size (a pre-sized file is then filled with `write(_:at:)`).
    public func resize(to size: Int) throws {
        if ftruncate(fd, off_t(size)) != 0 { throw failure("size") }
    }

    /// Appends `bytes` at the current position.
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            done += n
        }
    }

    public func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Writes `bytes` at `offset`, independently of the current position.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            done += n
        }
    }
}

// The unqualified names are shadowed by methods of the same name above.
@inline(__always) private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
@inline(__always) private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
