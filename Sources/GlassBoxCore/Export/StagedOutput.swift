#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An output — a directory of files, or one file — built under a hidden name beside its
/// destination and swapped into place whole: whatever moment the process dies at, the
/// destination is wholly the old output or wholly the new one, never a mix.
///
/// Beside DEST (in its parent directory) a run uses `.DEST.glassbox-TOKEN` (the new output while
/// it is built; after the swap, the old one until it is deleted) and `.DEST.glassbox-TOKEN.lock`,
/// a file it holds an exclusive `flock` on from before the staging exists until both are gone.
/// A later run that can take such a lock knows its owner died (the kernel drops the locks of a
/// dead process) and deletes what it left: `sweep`.
///
/// The swap is one `renameat2(RENAME_EXCHANGE)` on Linux (`renamex_np(RENAME_SWAP)` on macOS).
/// Where the file system lacks it, the old output is first renamed aside — DEST is then briefly
/// absent, never mixed — and a run that finds it aside with no DEST puts it back.
///
/// No fsync: the promise is about interrupted processes, and flushing gigabytes to disk would
/// cost more than the whole computation.
public final class StagedOutput: @unchecked Sendable {
    public enum Kind: Sendable { case file, directory }

    /// Where the output ends up (a final symbolic link resolved: the link's target is replaced).
    public let destination: URL
    /// Where it is built.
    public let staging: URL
    public let kind: Kind
    /// How messages name the destination.
    let display: String
    private let lockURL: URL
    private var lockFD: Int32
    private let stateLock = NSLock()
    private var finished = false

    /// Sweeps what dead runs left beside `destination`, then takes a lock and creates the
    /// staging directory (for `.file`, `staging` is the path to create the file at).
    public init(destination: URL, kind: Kind, display: String) throws {
        self.kind = kind
        self.display = display
        let destination = Self.resolvingFinalLink(destination)
        self.destination = destination
        let parent = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: display, message: "cannot write: the folder \(parent.path) does not exist")
        }
        Self.sweep(beside: destination)

        // Lock first, staging second (and deleted in the reverse order): a staging directory
        // without its lock file is always a dead run's.
        var attempt = 0
        while true {
            attempt += 1
            let base = Self.prefix(of: destination) + Self.newToken()
            let lock = parent.appendingPathComponent(base + ".lock")
            let fd = open(lock.path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST && attempt < 100 { continue }
                throw InputError(
                    file: display,
                    message: "cannot create \(lock.lastPathComponent) in \(parent.path) (glassbox builds its output "
                        + "beside the destination, then swaps it in): \(String(cString: strerror(errno)))")
            }
            // A concurrent sweep may have taken this fresh lock before us and deleted the file:
            // then start over under a new name.
            var info = stat()
            if flock(fd, LOCK_EX) != 0 || fstat(fd, &info) != 0 || info.st_nlink == 0 {
                close(fd)
                if attempt < 100 { continue }
                throw InputError(file: display, message: "cannot lock \(lock.path): \(String(cString: strerror(errno)))")
            }
            lockFD = fd
            lockURL = lock
            staging = parent.appendingPathComponent(base)
            break
        }
        if kind == .directory {
            guard mkdir(staging.path, 0o755) == 0 else {
                let message = String(cString: strerror(errno))
                releaseLock()
                throw InputError(file: display, message: "cannot create the staging directory \(staging.path): \(message)")
            }
        }
        KillPoint.reach("staged")
    }

    deinit {
        if lockFD >= 0 { close(lockFD) }
    }

    /// Puts the staged output in place of the destination (replacing what is there), then
    /// deletes the old output. Callers check first whether the destination may be replaced.
    public func commit() throws {
        stateLock.lock()
        defer { stateLock.unlock() }
        guard !finished else { throw EngineCancelled() }
        finished = true
        KillPoint.reach("before-swap")
        do {
            try swapIntoPlace()
        } catch {
            Self.remove(staging)
            releaseLock()
            throw error
        }
        KillPoint.reach("swapped")
        // `staging` now holds the old output (or nothing, when there was none).
        Self.remove(staging)
        Self.remove(staging.appendingPathExtension("old"))
        releaseLock()
    }

    /// Deletes the staged output; idempotent, callable from any thread (and from a signal
    /// handler's thread while other threads still write into it).
    public func discard() {
        stateLock.lock()
        defer { stateLock.unlock() }
        guard !finished else { return }
        finished = true
        Self.remove(staging)
        releaseLock()
    }

    private func releaseLock() {
        unlink(lockURL.path)
        if lockFD >= 0 { close(lockFD) }
        lockFD = -1
    }

    private func failure(_ what: String) -> InputError {
        let code = errno
        var message = "cannot \(what): \(String(cString: strerror(code)))"
        if code == EXDEV || code == EBUSY {
            message += " (is it a mount point? Write to a new directory inside it instead)"
        }
        return InputError(file: display, message: message)
    }

    private func swapIntoPlace() throws {
        var info = stat()
        let exists = lstat(destination.path, &info) == 0
        if !exists {
            // RENAME_NOREPLACE: a destination created meanwhile is not silently replaced.
            switch Self.rename(staging, destination, .noReplace) {
            case .done: return
            case .unsupported: break
            case .failed:
                if errno == EEXIST {
                    throw InputError(file: display, message: "appeared while the output was being written; nothing was replaced")
                }
                throw failure("move the new output into place")
            }
            guard systemRename(staging.path, destination.path) == 0 else { throw failure("move the new output into place") }
            return
        }
        switch Self.rename(staging, destination, .exchange) {
        case .done: return
        case .failed: throw failure("swap the new output into place")
        case .unsupported: break
        }
        // No exchange here. A file replaces a file atomically with rename(2); anything else
        // needs the old output moved aside first.
        var staged = stat()
        let directories = (info.st_mode & S_IFMT) == S_IFDIR || (lstat(staging.path, &staged) == 0 && (staged.st_mode & S_IFMT) == S_IFDIR)
        if !directories {
            guard systemRename(staging.path, destination.path) == 0 else { throw failure("move the new file into place") }
            return
        }
        let aside = staging.appendingPathExtension("old")
        guard systemRename(destination.path, aside.path) == 0 else { throw failure("move the old output aside") }
        KillPoint.reach("moved-aside")
        guard systemRename(staging.path, destination.path) == 0 else {
            let error = failure("move the new output into place")
            _ = systemRename(aside.path, destination.path)
            throw error
        }
    }

    // MARK: Sweeping what dead runs left

    /// Deletes the staging files and directories of dead runs beside `destination` (those whose
    /// lock can be taken), and puts back an old output a dead run had moved aside without
    /// putting the new one in its place. Errors are ignored: this only tidies.
    public static func sweep(beside destination: URL) {
        let parent = destination.deletingLastPathComponent()
        let prefix = prefix(of: destination)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        var tokens = Set<String>()
        for name in names where name.hasPrefix(prefix) {
            var token = String(name.dropFirst(prefix.count))
            for suffix in [".lock", ".old"] where token.hasSuffix(suffix) { token.removeLast(suffix.count) }
            if isToken(token) { tokens.insert(token) }
        }
        for token in tokens.sorted() {
            let base = parent.appendingPathComponent(prefix + token)
            let lock = base.appendingPathExtension("lock")
            let fd = open(lock.path, O_RDWR | O_CLOEXEC)
            if fd >= 0 {
                // Held: its run is alive. An error (no locks on this file system): leave it.
                guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { close(fd); continue }
            } else if errno != ENOENT {
                continue
            }
            var info = stat()
            let aside = base.appendingPathExtension("old")
            if lstat(destination.path, &info) != 0 && errno == ENOENT && lstat(aside.path, &info) == 0 {
                _ = systemRename(aside.path, destination.path)
            }
            remove(aside)
            remove(base)
            if fd >= 0 {
                unlink(lock.path)
                close(fd)
            }
        }
    }

    static func prefix(of destination: URL) -> String { "." + destination.lastPathComponent + ".glassbox-" }

    private static func newToken() -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Ours: 16 lowercase hex digits — or what earlier versions of `convert` used
    /// (`tmp-`/`old-` and 8 characters of a UUID).
    static func isToken(_ s: String) -> Bool {
        let hex = s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        if s.utf8.count == 16 && hex { return true }
        guard s.utf8.count == 12, s.hasPrefix("tmp-") || s.hasPrefix("old-") else { return false }
        return s.utf8.dropFirst(4).allSatisfy { (48...57).contains($0) || (65...70).contains($0) }
    }

    /// Deletes a file or a directory tree; nothing if it is missing.
    static func remove(_ url: URL) {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            try? FileManager.default.removeItem(at: url)
        } else {
            unlink(url.path)
        }
    }

    private static func resolvingFinalLink(_ url: URL) -> URL {
        var info = stat()
        guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)
        else { return url }
        return URL(fileURLWithPath: target, relativeTo: url.deletingLastPathComponent()).standardizedFileURL
    }

    // MARK: renameat2

    enum RenameMode { case exchange, noReplace }
    enum RenameOutcome { case done, failed, unsupported }

    /// Tests set this to exercise the path for file systems without an atomic exchange.
    nonisolated(unsafe) static var exchangeDisabled = false

    #if os(Linux)
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    // Looked up at run time: Swift's Glibc module does not declare it (it needs _GNU_SOURCE),
    // and an older C library may lack it.
    private static let renameat2: RenameAt2? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
    #elseif canImport(Darwin)
    private typealias RenameXNP = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renamex: RenameXNP? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: -2), "renamex_np") else { return nil }
        return unsafeBitCast(symbol, to: RenameXNP.self)
    }()
    #endif

    static func rename(_ from: URL, _ to: URL, _ mode: RenameMode) -> RenameOutcome {
        guard !exchangeDisabled else { return .unsupported }
        #if os(Linux)
        guard let renameat2 else { return .unsupported }
        // linux/fs.h: RENAME_NOREPLACE 1, RENAME_EXCHANGE 2; AT_FDCWD −100.
        let result = renameat2(-100, from.path, -100, to.path, mode == .exchange ? 2 : 1)
        #elseif canImport(Darwin)
        guard let renamex else { return .unsupported }
        // sys/stdio.h: RENAME_SWAP 2, RENAME_EXCL 4.
        let result = renamex(from.path, to.path, mode == .exchange ? 2 : 4)
        #else
        return .unsupported
        #endif
        if result == 0 { return .done }
        return errno == EINVAL || errno == ENOSYS || errno == ENOTSUP ? .unsupported : .failed
    }
}

/// rename(2) (the plain name is taken by `StagedOutput.rename`).
@inline(__always) private func systemRename(_ from: String, _ to: String) -> Int32 {
    #if canImport(Glibc)
    Glibc.rename(from, to)
    #else
    Darwin.rename(from, to)
    #endif
}

/// Crash-consistency tests: in a debug build, with `GLASSBOX_KILL_AT=<point>` in the
/// environment, the process sends itself SIGKILL on reaching that named point (see the tests of
/// `StagedOutput`). Release builds have no such point.
enum KillPoint {
    #if DEBUG
    private static let requested = ProcessInfo.processInfo.environment["GLASSBOX_KILL_AT"]
    #endif

    @inline(__always)
    static func reach(_ point: String) {
        #if DEBUG
        if let requested, requested == point { kill(getpid(), SIGKILL) }
        #endif
    }
}
