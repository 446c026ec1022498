import Foundation
import GlassBoxCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT/SIGTERM during an export or a merge: delete what it staged and exit 128 + signal at once —
/// also while the data is still being read, which no cancellation token can reach.
///
/// The handler is installed with `signal` before `install` returns, and only writes the signal's
/// number to a pipe (all a handler may safely do); a thread reading the pipe does the rest. A
/// dispatch signal source instead was armed asynchronously after the signal had been set to
/// SIG_IGN: a Ctrl-C in that window (5% of the signals sent 35–60 ms into an export) was lost
/// and the export ran to its end.
enum Interrupts {
    /// The pipe's write end, for the handler (which can capture nothing).
    nonisolated(unsafe) private static var pipeWrite: Int32 = -1

    static func install(token: CancellationToken) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }  // no pipe: the signals keep their default action
        pipeWrite = fds[1]
        let readEnd = fds[0]
        let thread = Thread {
            var sig: Int32 = 0
            while read(readEnd, &sig, MemoryLayout<Int32>.size) != MemoryLayout<Int32>.size {}
            // The engine stops at its next chunk; the main thread then waits in `awaitExit`.
            token.cancel()
            ExportFiles.discardAll()
            let message =
                isatty(STDERR_FILENO) == 1
                ? "\r\u{1B}[Kglassbox: interrupted; no files written\n" : "glassbox: interrupted; no files written\n"
            _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            _exit(128 + sig)
        }
        thread.start()
        for sig in [SIGINT, SIGTERM] {
            _ = signal(sig) { sig in
                var value = sig
                _ = write(Interrupts.pipeWrite, &value, MemoryLayout<Int32>.size)
            }
        }
    }

    /// Only a signal cancels the CLI's token: its handler is running and exits the process.
    static func awaitExit() -> Never {
        while true { pause() }
    }
}
