import Foundation

/// A flag that a long computation polls between chunks; set from any thread.
public final class CancellationToken: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public func cancel() {
        lock.lock(); cancelled = true; lock.unlock()
    }

    public var isCancelled: Bool {
        lock.lock(); defer { lock.unlock() }
        return cancelled
    }
}

/// Thrown by the engine when its token was cancelled.
public struct EngineCancelled: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "computation cancelled" }
}
