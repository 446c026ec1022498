import Foundation
import GlassBoxCore

/// The results of the background pass, guarded by one lock: the engine's sink writes, the main
/// loop reads what one frame needs (never keeping a reference to the big arrays, which would
/// make the next write copy them).
///
/// Memory stays bounded at any n × d — never the n × m × d contributions:
/// - `SampleSummaries`: per sample the top-K features (index, L2, signed), total L2 and
///   reconstruction error; global and per-group sums (O(m·d) each).
/// - L2 columns ‖C[i, :, f]‖ for tracked features: the globally top ones (chosen by a pilot
///   pass) plus the last few the user picked — n floats each.
/// - The encoder-input Jacobian J_u (n × m × k floats) when it fits `jacobianBudget`: then any
///   feature's column is `‖J_u[i] · P[:, f]‖ · |xc[i, f]|`, O(n·m·k) — about 30–70 ms at
///   1,000,000 × 2 × 50 (400 MB) — instead of another engine pass (see `FeatureColumns`).
public final class ContributionStore: @unchecked Sendable {
    public enum Phase: Equatable, Sendable {
        case waiting, pilot, running, finished, cancelled
        case failed(String)
    }

    public struct Progress: Equatable, Sendable {
        public var phase: Phase
        public var done: Int
        public var total: Int
        /// Seconds since the pass started (or its duration once finished).
        public var seconds: Double
        public var fraction: Double { total > 0 ? Double(done) / Double(total) : 1 }
    }

    /// A tracked feature's L2 column; NaN where not yet known.
    final class Column {
        var values: [Float]
        var known = 0
        init(count: Int) { values = [Float](repeating: .nan, count: count) }
    }

    /// 1 GB of Float32 J_u; beyond that, feature columns come from another engine pass.
    public static let defaultJacobianBudget = 1 << 30
    /// Tracked columns kept besides the globally top ones.
    static let extraColumnLimit = 16
    /// Raw value columns cached.
    static let valueColumnLimit = 8

    public let sampleCount: Int
    public let outputCount: Int
    public let featureCount: Int
    public let encoderInputCount: Int

    private let lock = NSLock()
    private var summary: SampleSummaries
    private var setSummary: SetSummaries?
    private var columns: [Int: Column] = [:]
    private var kept: [Int] = []
    private var extras: [Int] = []
    private var values: [Int: [Float]] = [:]
    private var valueOrder: [Int] = []
    private var completed: [Range<Int>] = []
    private var phase: Phase = .waiting
    private var started: DispatchTime?
    private var finishedSeconds: Double?
    private var changes = 0
    /// J_u, n × m × k, written outside the lock (rows are disjoint), published by `completed`.
    let jacobians: UnsafeMutableBufferPointer<Float>?

    public init(
        sampleCount n: Int, outputCount m: Int, featureCount d: Int, encoderInputCount k: Int,
        groupCount: Int?, keep: Int = 16, jacobianBudget: Int = ContributionStore.defaultJacobianBudget, setCount: Int? = nil
    ) {
        sampleCount = n
        outputCount = m
        featureCount = d
        encoderInputCount = k
        summary = SampleSummaries(sampleCount: n, outputCount: m, featureCount: d, keep: keep, groupCount: groupCount)
        setSummary = setCount.map { SetSummaries(sampleCount: n, outputCount: m, setCount: $0, groupCount: groupCount) }
        let bytes = n * m * k * MemoryLayout<Float>.size
        if bytes <= jacobianBudget, n * m * k > 0 {
            // Left uninitialized (untouched pages cost nothing yet): rows are read only after
            // `absorb` wrote them and published them in `completed`.
            jacobians = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * m * k)
        } else {
            jacobians = nil
        }
    }

    deinit { jacobians?.deallocate() }

    private func locked<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: Written by the background pass

    func setPhase(_ p: Phase) {
        locked {
            if p == .running || p == .pilot, started == nil { started = .now() }
            if p == .finished, let s = started { finishedSeconds = Self.seconds(since: s) }
            phase = p
            changes += 1
        }
    }

    /// The globally top features, whose columns every chunk fills.
    func keep(_ features: [Int]) {
        locked {
            kept = features
            for f in features where columns[f] == nil { columns[f] = Column(count: sampleCount) }
            changes += 1
        }
    }

    /// Whether per-group sums are kept (the summarizing workers need the codes then).
    var keepsGroups: Bool { summary.groups != nil }
    var keep: Int { summary.keep }

    /// Folds in one chunk and its summary (from any worker thread).
    func absorb(_ chunk: ContributionChunk<Float>, _ chunkSummary: ChunkSummary) {
        let m = outputCount, k = encoderInputCount, d = featureCount
        if let j = jacobians {
            chunk.jacobian.withUnsafeBufferPointer { src in
                (j.baseAddress! + chunk.rows.lowerBound * m * k).update(from: src.baseAddress!, count: chunk.count * m * k)
            }
        }
        locked {
            summary.absorb(chunkSummary)
            if let sets = chunkSummary.sets { setSummary?.absorb(sets) }
            if let c = chunk.contributions {
                c.withUnsafeBufferPointer { c in
                    for (f, column) in columns {
                        column.values.withUnsafeMutableBufferPointer { v in
                            for i in 0..<chunk.count {
                                var s: Float = 0
                                for j in 0..<m { let x = c[(i * m + j) * d + f]; s += x * x }
                                v[chunk.rows.lowerBound + i] = s.squareRoot()
                            }
                        }
                        column.known += chunk.count
                    }
                }
            }
            completed.append(chunk.rows)
            changes += 1
        }
    }

    /// Starts tracking feature `f` (if it isn't already) and returns the rows done before now,
    /// which the caller must backfill; nil when `f` was already tracked.
    func track(_ f: Int) -> [Range<Int>]? {
        locked {
            if let i = extras.firstIndex(of: f) {
                extras.remove(at: i)
                extras.append(f)
                return nil
            }
            if columns[f] != nil { return nil }
            columns[f] = Column(count: sampleCount)
            extras.append(f)
            if extras.count > Self.extraColumnLimit {
                let evicted = extras.removeFirst()
                if !kept.contains(evicted) { columns[evicted] = nil }
            }
            return Self.merged(completed)
        }
    }

    /// Backfilled values of `f` for `rows`.
    func fill(_ f: Int, rows: Range<Int>, with v: [Float]) {
        locked {
            guard let column = columns[f] else { return }
            for (i, x) in v.enumerated() { column.values[rows.lowerBound + i] = x }
            column.known += rows.count
            changes += 1
        }
    }

    func setValues(_ f: Int, _ column: [Float]) {
        locked {
            values[f] = column
            valueOrder.removeAll { $0 == f }
            valueOrder.append(f)
            if valueOrder.count > Self.valueColumnLimit { values[valueOrder.removeFirst()] = nil }
            changes += 1
        }
    }

    // MARK: Read by the main loop

    /// Bumped by every write: redraw when it moves.
    public var version: Int { locked { changes } }

    public var progress: Progress {
        locked {
            let seconds = finishedSeconds ?? started.map(Self.seconds(since:)) ?? 0
            return Progress(phase: phase, done: summary.doneCount, total: sampleCount, seconds: seconds)
        }
    }

    /// The globally top features chosen by the pilot (empty before it ran).
    public var keptFeatures: [Int] { locked { kept } }

    public var storesJacobians: Bool { jacobians != nil }

    /// Reads the summaries under the lock. Don't let them escape: a copy kept alive would make
    /// the next chunk copy every array.
    public func withSummaries<R>(_ body: (SampleSummaries) throws -> R) rethrows -> R {
        try locked { try body(summary) }
    }

    /// Reads the feature sets' summaries under the lock (nil without sets); don't let them escape.
    public func withSetSummaries<R>(_ body: (SetSummaries) throws -> R) rethrows -> R? {
        try locked { try setSummary.map(body) }
    }

    /// Reads set `s`'s L2 column (NaN = not yet known); nil when set columns aren't kept.
    public func withSetColumn<R>(_ s: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R? {
        try locked { try setSummary?.withColumn(s, body) }
    }

    /// Every sample's most important feature (-1 until computed).
    public func topFeaturePerSample() -> [Int32] {
        locked { summary.topFeaturePerSample() }
    }

    /// Reads feature `f`'s L2 column (NaN = not yet known) and how many rows are known; nil when
    /// the feature isn't tracked.
    public func withContributionColumn<R>(_ f: Int, _ body: (UnsafeBufferPointer<Float>, Int) throws -> R) rethrows -> R? {
        try locked {
            guard let c = columns[f] else { return nil }
            return try c.values.withUnsafeBufferPointer { try body($0, c.known) }
        }
    }

    /// Feature `f`'s raw values when computed.
    public func valueColumn(_ f: Int) -> [Float]? { locked { values[f] } }

    static func seconds(since t: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9
    }

    /// Sorted, adjacent ranges joined.
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !r.isEmpty {
            if let last = out.last, last.upperBound >= r.lowerBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}
