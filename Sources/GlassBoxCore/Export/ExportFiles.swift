#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The files of one export, built in a staging directory beside the output directory and
/// swapped in whole by `commit()` (see `StagedOutput`): the output directory is always wholly
/// the previous export or wholly this one. `discard()` (on any error or cancellation, or from
/// a signal handler via `discardAll()`) deletes the staging directory.
public final class ExportFiles: @unchecked Sendable {
    /// The output directory.
    public let directory: URL
    private let output: StagedOutput
    private let lock = NSLock()
    private var files: [PartialFile] = []
    private var finished = false

    /// Every set not yet committed or discarded, for `discardAll()`.
    nonisolated(unsafe) private static var live: [ObjectIdentifier: ExportFiles] = [:]
    private static let liveLock = NSLock()

    /// Prepares to replace `directory` (created with its parents when missing). An existing
    /// directory is replaced only if it is empty or a glassbox export holding nothing but its
    /// own files, unless `force` (see `ExportManifest`).
    public init(directory: URL, force: Bool = false) throws {
        self.directory = directory
        let display = directory.relativePath
        try ExportManifest.checkReplaceable(directory, force: force, display: display)
        let parent = directory.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: parent.path) {
            do {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw InputError(file: display, message: "cannot create the output directory's parent: \(error.localizedDescription)")
            }
        }
        output = try StagedOutput(destination: directory, kind: .directory, display: display)
        Self.liveLock.lock()
        Self.live[ObjectIdentifier(self)] = self
        Self.liveLock.unlock()
    }

    /// Where the files are written until `commit()`.
    public var staging: URL { output.staging }

    /// Opens a new file that `commit()` will put in the output directory as `name`.
    public func create(_ name: String) throws -> PartialFile {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { throw EngineCancelled() }
        precondition(!files.contains { $0.name == name }, "\(name) created twice")
        let file = try PartialFile(staging: output.staging, directory: directory, name: name)
        files.append(file)
        return file
    }

    /// Closes every file and swaps the staging directory in place of the output directory.
    public func commit() throws {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { throw EngineCancelled() }
        for f in files { f.close() }
        finished = true
        Self.forget(self)
        KillPoint.reach("files-written")
        try output.commit()
    }

    /// Deletes the staging directory and everything in it; idempotent, callable from any thread.
    public func discard() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        for f in files { f.close() }
        finished = true
        Self.forget(self)
        output.discard()
    }

    /// Final names, in creation order.
    public var names: [String] {
        lock.lock(); defer { lock.unlock() }
        return files.map(\.name)
    }

    /// The files written so far with their sizes in bytes, in creation order.
    func sizes() throws -> [(name: String, size: Int)] {
        lock.lock(); defer { lock.unlock() }
        return try files.map { f in
            var info = stat()
            guard stat(f.partialURL.path, &info) == 0 else { throw f.failure("measure") }
            return (f.name, Int(info.st_size))
        }
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

/// One file of an export, written in its staging directory.
public final class PartialFile: @unchecked Sendable {
    public let name: String
    /// Where it will be once the export is committed (for messages).
    public let finalURL: URL
    /// Where it is written.
    public let partialURL: URL
    /// The open file (-1 once closed).
    private(set) var fd: Int32
    private let closeLock = NSLock()

    init(staging: URL, directory: URL, name: String) throws {
        self.name = name
        finalURL = directory.appendingPathComponent(name)
        partialURL = staging.appendingPathComponent(name)
        fd = open(partialURL.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            throw InputError(file: finalURL.relativePath, message: "cannot create: \(String(cString: strerror(errno)))")
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

// The unqualified names are shadowed by methods of the same name above (and in other types'
// extensions: PartialFile.append(contentsOf:), CSVRecordStream).
@inline(__always) func systemClose(_ fd: Int32) -> Int32 { close(fd) }
@inline(__always) private func systemWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
