import Foundation

/// The one loop that hands chunks of rows to worker threads: every parallel pass (export,
/// verification, the explorer's embedding, background pass and selections) runs through it.
/// Workers take chunks in order; each result is handed to `merge` one at a time (under a lock,
/// in no guaranteed order); the first error — or a cancelled token — stops the handing out.
public enum ParallelChunks {
    /// `range` cut at multiples of `size` counted from `origin` (so that chunks of a slice line
    /// up with those of the whole), each at most `size` long.
    public static func split(_ range: Range<Int>, size: Int, origin: Int = 0) -> [Range<Int>] {
        precondition(size > 0)
        var chunks: [Range<Int>] = []
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(((start + origin) / size + 1) * size - origin, range.upperBound)
            chunks.append(start..<end)
            start = end
        }
        return chunks
    }

    /// Runs `work` on every chunk with up to `threads` workers (default: the active cores),
    /// then `merge` with its result; `progress` gets (rows done, rows in all chunks) after each
    /// merge. Throws `EngineCancelled` when `token` is cancelled, or the first error `work` or
    /// `merge` throws; chunks already handed out finish first.
    public static func run<R>(
        _ chunks: [Range<Int>], threads: Int? = nil, token: CancellationToken? = nil,
        progress: ((Int, Int) -> Void)? = nil,
        work: (Range<Int>) throws -> R,
        merge: (Range<Int>, R) throws -> Void
    ) throws {
        guard !chunks.isEmpty else { return }
        let total = chunks.reduce(0) { $0 + $1.count }
        let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, chunks.count))
        BLASThreads.useSingleThreadPerCall()
        let lock = NSLock()
        var next = 0, done = 0
        var failure: Error?
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                lock.lock()
                if failure == nil, token?.isCancelled == true { failure = EngineCancelled() }
                guard failure == nil, next < chunks.count else { lock.unlock(); return }
                let rows = chunks[next]
                next += 1
                lock.unlock()

                let result: Result<R, Error> = Result { try work(rows) }

                lock.lock()
                if failure == nil {
                    do {
                        try merge(rows, result.get())
                        done += rows.count
                        progress?(done, total)
                    } catch {
                        failure = error
                    }
                }
                lock.unlock()
            }
        }
        if let failure { throw failure }
    }
}
