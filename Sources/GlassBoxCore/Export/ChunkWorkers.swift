import Foundation

/// Threads that do an export's per-chunk work (analysis, formatting, writing). The engine
/// calls its sink one chunk at a time under its own lock, so work done there would hold up
/// every engine worker; the sink only hands chunks over. At most `capacity` chunks wait —
/// beyond that `submit` blocks, which keeps memory bounded.
final class ChunkWorkers: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [() throws -> Void] = []
    private let capacity: Int
    private var closed = false
    private var alive = 0
    private var failure: Error?

    init(threads: Int, capacity: Int) {
        self.capacity = max(1, capacity)
        alive = max(1, threads)
        for _ in 0..<alive {
            let thread = Thread { [self] in loop() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Queues `work`; throws the first failure of earlier work instead.
    func submit(_ work: @escaping () throws -> Void) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && failure == nil { condition.wait() }
        if let failure { throw failure }
        queue.append(work)
        condition.broadcast()
    }

    /// Drops the work not yet started (after the engine failed or was cancelled).
    func abandon(_ error: Error) {
        condition.lock()
        queue.removeAll()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until all work is done and the threads have ended; throws the first failure.
    func finish() throws {
        condition.lock()
        closed = true
        condition.broadcast()
        while alive > 0 { condition.wait() }
        let failure = failure
        condition.unlock()
        if let failure { throw failure }
    }

    private func loop() {
        condition.lock()
        while true {
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty { break }
            let work = queue.removeFirst()
            let skip = failure != nil
            condition.broadcast()
            condition.unlock()
            var error: Error?
            if !skip {
                do { try work() } catch let e { error = e }
            }
            condition.lock()
            if let error, failure == nil {
                failure = error
                condition.broadcast()
            }
        }
        alive -= 1
        condition.broadcast()
        condition.unlock()
    }
}
