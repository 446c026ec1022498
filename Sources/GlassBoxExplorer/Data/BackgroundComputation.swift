import Foundation
import GlassBoxCore

/// Jacobians and contributions for every sample, off the main loop: a pilot on a few blocks
/// spread through the file picks the globally top features (their L2 columns are kept), then
/// the engine runs over all rows on a Dispatch queue, feeding `store` chunk by chunk. Columns
/// the user asks for later are backfilled on a second queue. `cancel()` stops both between
/// chunks; `wait(timeout:)` lets a quitting explorer finish cleanly.
public final class BackgroundComputation: @unchecked Sendable {
    public let store: ContributionStore
    let session: ExplorerSession
    let token = CancellationToken()
    private let group = DispatchGroup()
    private let passQueue = DispatchQueue(label: "glassbox.contributions", qos: .utility)
    private let columnQueue = DispatchQueue(label: "glassbox.columns", qos: .userInitiated)
    private let threads: Int?
    private let pendingLock = NSLock()
    private var pendingValues = Set<Int>()
    private let chunkSize: Int?
    /// Features whose L2 columns are kept from the start.
    static let keptFeatureCount = 32

    public init(
        session: ExplorerSession, threads: Int? = nil, chunkSize: Int? = nil,
        jacobianBudget: Int = ContributionStore.defaultJacobianBudget
    ) {
        self.session = session
        self.threads = threads
        self.chunkSize = chunkSize
        store = ContributionStore(
            sampleCount: session.sampleCount, outputCount: session.outputCount,
            featureCount: session.featureCount, encoderInputCount: session.engine.encoderInputCount,
            groupCount: session.dataset.labels?.categories.count, jacobianBudget: jacobianBudget,
            setCount: session.featureSets?.count)
    }

    private var started = false

    /// Starts the pass (once; later calls do nothing).
    public func start() {
        pendingLock.lock()
        let first = !started
        started = true
        pendingLock.unlock()
        guard first else { return }
        group.enter()
        passQueue.async { [self] in
            defer { group.leave() }
            store.setPhase(.pilot)
            store.keep(pilotFeatures())
            store.setPhase(.running)
            runPass()
            store.setPhase(token.isCancelled ? .cancelled : .finished)
        }
    }

    /// The engine over every row, `threads` workers pulling chunks in file order. Each worker
    /// also summarizes its chunk (the expensive part besides the engine), so only the merge
    /// into the store is serialized.
    private func runPass() {
        let engine = session.engine, dataset = session.dataset
        // Smaller chunks than the engine's default: steadier progress, quicker cancel.
        let size = chunkSize ?? min(engine.defaultChunkSize(), engine.blockSize * 4)
        let codes = store.keepsGroups ? dataset.labels?.codes : nil
        let keep = store.keep
        // With sets, the engine adds them up while each tile of C is in cache (the sets view's
        // sums, groups and colors then cost the pass a few percent: see glassbox-bench).
        let outputs: EngineOutputs = session.featureSets == nil ? [.contributions] : [.contributions, .setContributions]
        do {
            try ParallelChunks.run(
                ParallelChunks.split(0..<dataset.sampleCount, size: size), threads: threads, token: token,
                work: { rows in
                    let chunk = try engine.compute(dataset.matrix, rows: rows, origin: dataset.firstRow, outputs: outputs)
                    return (chunk, ChunkSummary(chunk, keep: keep, codes: codes))
                }, merge: { _, done in store.absorb(done.0, done.1) })
        } catch is EngineCancelled {
        } catch {
            session.fail(error)
        }
    }

    /// Mean L2 over up to four engine blocks spread through the file: an estimate of the global
    /// ranking, known before the pass so that every chunk fills the top features' columns.
    func pilotFeatures() -> [Int] {
        let n = session.sampleCount, b = session.engine.blockSize
        guard n > 0 else { return [] }
        let starts = Set([0, n / 4, n / 2, 3 * n / 4].map { $0 / b * b })
        var aggregate = FeatureSums(outputCount: session.outputCount, featureCount: session.featureCount)
        for start in starts.sorted() {
            if token.isCancelled { break }
            let chunk = session.compute(rows: start..<min(start + b, n), outputs: [.contributions])
            let size = chunk.outputCount * chunk.featureCount
            chunk.contributions!.withUnsafeBufferPointer { c in
                for i in 0..<chunk.count { aggregate.add(contributions: c.baseAddress! + i * size) }
            }
        }
        return aggregate.ranking(.l2, limit: Self.keptFeatureCount)
    }

    /// Makes feature `f`'s L2 column fill in: future chunks compute it; rows already done are
    /// backfilled from the stored J_u or, over budget, by re-running the engine without
    /// contributions (forward + Jacobian only) on those rows.
    public func requestContributionColumn(_ f: Int) {
        guard let ranges = store.track(f), !ranges.isEmpty else { return }
        group.enter()
        columnQueue.async { [self] in
            defer { group.leave() }
            let model = session.model, data = session.dataset.matrix, origin = session.dataset.firstRow
            let p = FeatureColumns.projection(of: f, model: model)
            let mean = Float(model.preprocessing.mean.values[f])
            let m = session.outputCount, k = session.engine.encoderInputCount
            for rows in ranges {
                if token.isCancelled { return }
                do {
                    if let jac = store.jacobians {
                        let v = try FeatureColumns.contributionL2(
                            feature: f, rows: rows, jacobians: UnsafePointer(jac.baseAddress! + rows.lowerBound * m * k),
                            outputCount: m, inputCount: k, projection: p, data: data, mean: mean)
                        store.fill(f, rows: rows, with: v)
                    } else {
                        try session.engine.run(data, rows: rows, origin: origin, outputs: [], threads: 1, token: token) { chunk in
                            let v = try chunk.jacobian.withUnsafeBufferPointer {
                                try FeatureColumns.contributionL2(
                                    feature: f, rows: chunk.rows, jacobians: $0.baseAddress!, outputCount: m,
                                    inputCount: k, projection: p, data: data, mean: mean)
                            }
                            store.fill(f, rows: chunk.rows, with: v)
                        }
                    }
                } catch is EngineCancelled {
                    return
                } catch {
                    session.fail(error)
                    return
                }
            }
        }
    }

    /// Makes feature `f`'s raw values available (read down one column of the data).
    public func requestValueColumn(_ f: Int) {
        guard store.valueColumn(f) == nil else { return }
        pendingLock.lock()
        let isNew = pendingValues.insert(f).inserted
        pendingLock.unlock()
        guard isNew else { return }
        group.enter()
        columnQueue.async { [self] in
            defer {
                pendingLock.lock()
                pendingValues.remove(f)
                pendingLock.unlock()
                group.leave()
            }
            guard !token.isCancelled else { return }
            store.setValues(f, session.values(ofFeature: f))
        }
    }

    /// Asks all work to stop between chunks.
    public func cancel() {
        token.cancel()
    }

    /// Waits for the queued work to end; false on timeout.
    @discardableResult
    public func wait(timeout seconds: Double) -> Bool {
        group.wait(timeout: .now() + seconds) == .success
    }
}
