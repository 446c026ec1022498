import Foundation
import GlassBoxCore

/// Exact contribution sums over an arbitrary set of rows (a box drawn in the embedding),
/// computed off the main loop: the store keeps only each sample's top-K features, so a
/// selection's means over all d features need the contributions again. The selected rows are
/// gathered into contiguous chunks and run through the engine on a background queue; sums
/// grow chunk by chunk (`snapshot` says how many samples they cover) and `cancel()` stops
/// between chunks. With feature sets, the sets' sums grow beside the features'. Memory:
/// O(m·d) for the sums plus one chunk.
public final class SelectionComputation: @unchecked Sendable {
    public let rows: [Int32]
    private let lock = NSLock()
    private var sums: FeatureSums
    private var setSums: FeatureSums?
    private var finishedAt: Double?
    private let started = DispatchTime.now()
    private let token = CancellationToken()
    private let group = DispatchGroup()

    /// - Parameters:
    ///   - rows: the selected rows, ascending.
    ///   - threads: workers; by default every core but one, which the main loop keeps so keys
    ///     stay instant while a large selection is summed.
    public init(session: ExplorerSession, rows: [Int32], threads: Int? = nil, chunkSize: Int? = nil) {
        let threads = threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        self.rows = rows
        sums = FeatureSums(outputCount: session.outputCount, featureCount: session.featureCount, share: true)
        setSums = session.featureSets.map { FeatureSums(outputCount: session.outputCount, featureCount: $0.count, share: true) }
        let engine = session.engine
        let size = max(1, chunkSize ?? engine.blockSize * 4)
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            defer { group.leave() }
            do {
                try ParallelChunks.run(
                    ParallelChunks.split(0..<rows.count, size: size), threads: threads, token: token,
                    work: { c in try Self.sums(rows: rows[c], engine: engine, data: session.dataset.matrix) },
                    merge: { _, part in
                        lock.lock()
                        sums.merge(part.features)
                        if let sets = part.sets { setSums?.merge(sets) }
                        lock.unlock()
                    })
            } catch is EngineCancelled {
            } catch {
                session.fail(error)
            }
            lock.lock()
            finishedAt = Self.seconds(since: started)
            lock.unlock()
        }
    }

    /// The sums so far (the feature sets' beside them, covering the same samples; nil without
    /// sets), how many rows are selected, and the seconds taken once complete.
    public var snapshot: (sums: FeatureSums, setSums: FeatureSums?, total: Int, seconds: Double?) {
        lock.lock()
        defer { lock.unlock() }
        return (sums, setSums, rows.count, finishedAt)
    }

    public var isComplete: Bool { snapshot.sums.count == rows.count }

    public func cancel() { token.cancel() }

    @discardableResult
    public func wait(timeout seconds: Double) -> Bool {
        group.wait(timeout: .now() + seconds) == .success
    }

    /// One chunk of selected rows: gathered, computed, summed (as the pass does).
    static func sums(
        rows: ArraySlice<Int32>, engine: ContributionEngine<Float>, data: any SampleMatrix
    ) throws -> (features: FeatureSums, sets: FeatureSums?) {
        let d = data.columnCount, b = rows.count, m = engine.outputCount
        var gathered = [Float](repeating: 0, count: b * d)
        try gathered.withUnsafeMutableBufferPointer { try data.gather(rows, into: $0.baseAddress!) }
        // Sums only: where the gathered rows sit in the engine's blocks changes no more than rounding.
        let outputs: EngineOutputs = engine.featureSets == nil ? [.contributions] : [.contributions, .setContributions]
        let chunk = engine.compute(values: gathered, featureCount: d, positions: 0..<b, outputs: outputs)
        var out = FeatureSums(outputCount: m, featureCount: d, share: true)
        var norms = [Float](repeating: 0, count: d)
        chunk.contributions!.withUnsafeBufferPointer { c in
            norms.withUnsafeMutableBufferPointer { l2 in
                for i in 0..<b {
                    let sample = c.baseAddress! + i * m * d
                    featureNorms(sample, m: m, d: d, into: l2.baseAddress!)
                    var total: Float = 0
                    for f in 0..<d { total += l2[f] }
                    out.add(sample: sample, l2: UnsafePointer(l2.baseAddress!), total: total)
                }
            }
        }
        return (out, chunk.setContributions == nil ? nil : ChunkSetSummary(chunk, codes: nil, finiteOnly: false).all)
    }

    static func seconds(since t: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9
    }
}

/// The rows whose shown coordinates fall inside a data rectangle, ascending — O(n), a few
/// milliseconds at 1,000,000 samples; done once when a box is accepted.
public enum BoxMembers {
    public static func rows(xs: [Float], ys: [Float], xMin: Double, xMax: Double, yMin: Double, yMax: Double) -> [Int32] {
        let x0 = Float(xMin), x1 = Float(xMax), y0 = Float(yMin), y1 = Float(yMax)
        var out: [Int32] = []
        xs.withUnsafeBufferPointer { x in
            ys.withUnsafeBufferPointer { y in
                for i in 0..<x.count where x[i] >= x0 && x[i] <= x1 && y[i] >= y0 && y[i] <= y1 {
                    out.append(Int32(i))
                }
            }
        }
        return out
    }
}
