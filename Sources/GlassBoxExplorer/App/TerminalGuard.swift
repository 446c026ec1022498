#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GlassBoxTUI

/// Gives the terminal back on every way out — quit, SIGINT/SIGTERM/SIGHUP/SIGQUIT, a crash —
/// and makes sure error messages end up readable on the restored screen.
///
/// While curses owns the screen, stderr goes to an unlinked temporary file: anything written
/// there (a library warning, Swift's "Fatal error: …" before a trap) would otherwise land in
/// the middle of the drawing and vanish with the alternate screen. `releaseStderr()` — also
/// run from the signal handlers, after `endwin` — points stderr back at the terminal and
/// replays the file. The signal path uses only `read`/`write`/`lseek`/`dup2` on preallocated
/// state; `endwin` itself is a documented best effort before the process dies.
enum TerminalGuard {
    nonisolated(unsafe) private static var savedStderr: Int32 = -1
    nonisolated(unsafe) private static var captureFile: Int32 = -1
    nonisolated(unsafe) private static let copyBuffer = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 16)

    /// Starts capturing stderr (no-op if already capturing or if no temporary file can be made).
    static func captureStderr() {
        guard captureFile < 0 else { return }
        var template = Array("/tmp/glassbox-stderr-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let saved = dup(STDERR_FILENO)
        guard saved >= 0, dup2(fd, STDERR_FILENO) >= 0 else {
            close(fd)
            if saved >= 0 { close(saved) }
            return
        }
        savedStderr = saved
        captureFile = fd
    }

    /// Restores stderr and writes out what was captured. Async-signal-safe.
    static func releaseStderr() {
        let fd = captureFile, saved = savedStderr
        guard fd >= 0, saved >= 0 else { return }
        captureFile = -1
        savedStderr = -1
        _ = dup2(saved, STDERR_FILENO)
        _ = lseek(fd, 0, SEEK_SET)
        while true {
            let n = read(fd, copyBuffer, 4096)
            if n <= 0 { break }
            var written = 0
            while written < n {
                let w = write(STDERR_FILENO, copyBuffer + written, n - written)
                if w <= 0 { break }
                written += w
            }
        }
        close(fd)
        close(saved)
    }

    /// Signals after which the terminal must be restored before the process ends.
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE]

    /// Restores the terminal and stderr, then lets the signal take its default course (so the
    /// exit status still tells the shell what happened).
    static func installSignalHandlers() {
        for s in signals {
            signal(s) { sig in
                NCursesBackend.emergencyRestore()
                TerminalGuard.releaseStderr()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    static func removeSignalHandlers() {
        for s in signals { signal(s, SIG_DFL) }
    }
}
