import Foundation
import GlassBoxCore
import GlassBoxTUI

/// Everything loaded once and never changed: the model, the samples, the engine and the
/// embedding. Shared read-only between the main loop and the background work.
public final class ExplorerSession: @unchecked Sendable {
    public let model: GlassBoxModel
    public let dataset: Dataset
    public let engine: ContributionEngine<Float>
    /// z: n × m, row-major; computed with the engine's aligned blocks, so it equals the z of
    /// the later contribution pass bit for bit.
    public let embedding: [Float]
    public let groups: GroupIndex?
    public let search: FeatureSearch
    /// The rows in a fixed shuffled order of blocks (in file order within a block).
    /// Categorical colors are plotted in this order so that no group systematically wins the
    /// braille cells it shares with another (a cell shows the color of the last point drawn
    /// into it), even when the file is sorted by group — while plotting still reads memory
    /// nearly sequentially (a full shuffle costs 2–3× more at 1,000,000 points).
    public let plotOrder: [Int32]
    /// File names for titles.
    public let modelName: String
    public let dataName: String

    private let axisLock = NSLock()
    private var axisCache: AxisData?

    public var sampleCount: Int { dataset.sampleCount }
    public var outputCount: Int { model.outputCount }
    public var featureCount: Int { dataset.featureCount }
    public var componentCount: Int? { model.pcaComponentCount }
    public var featureNames: [String] { dataset.featureNames }

    /// - Parameter embedding: z if already computed (n × m); computed here otherwise.
    public init(model: GlassBoxModel, dataset: Dataset, embedding: [Float]? = nil,
                modelName: String = "model", dataName: String = "data",
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        precondition(dataset.featureCount == model.featureCount, "dataset and model disagree on the feature count")
        self.model = model
        self.dataset = dataset
        self.modelName = modelName
        self.dataName = dataName
        let engine = ContributionEngine<Float>(model: model)
        self.engine = engine
        self.embedding = embedding ?? Self.embed(engine: engine, data: dataset.values, progress: progress)
        precondition(self.embedding.count == dataset.sampleCount * model.outputCount)
        groups = dataset.labels.map(GroupIndex.init)
        search = FeatureSearch(names: dataset.featureNames)
        plotOrder = Self.shuffledRows(dataset.sampleCount)
    }

    /// Names of the columns of a feature space ("PC1"… for components).
    public func columnNames(_ space: FeatureSpace) -> [String] {
        space == .features ? featureNames : (0..<(componentCount ?? 0)).map { "PC\($0 + 1)" }
    }

    /// One embedding coordinate for every sample.
    public func coordinates(_ j: Int) -> [Float] {
        let m = outputCount
        return [Float](unsafeUninitializedCapacity: sampleCount) { out, initialized in
            embedding.withUnsafeBufferPointer { z in
                for i in 0..<sampleCount { out[i] = z[i * m + j] }
            }
            initialized = sampleCount
        }
    }

    /// The shown axes' coordinates, extent and spatial index (cached for the last pair asked).
    public func axisData(_ axes: AxisPair) -> AxisData {
        axisLock.lock()
        defer { axisLock.unlock() }
        if let cached = axisCache, cached.axes == axes { return cached }
        let data = AxisData(axes: axes, xs: coordinates(axes.x), ys: coordinates(axes.y))
        axisCache = data
        return data
    }

    /// z for all rows, in parallel chunks of whole engine blocks, reporting progress.
    static func embed(engine: ContributionEngine<Float>, data: Matrix<Float>,
                      progress: (@Sendable (Int, Int) -> Void)?) -> [Float] {
        let n = data.rows, m = engine.outputCount
        guard n > 0 else { return [] }
        let size = engine.blockSize * 8
        let chunks = stride(from: 0, to: n, by: size).map { $0..<min($0 + size, n) }
        var out = [Float](repeating: 0, count: n * m)
        BLASThreads.useSingleThreadPerCall()
        let lock = NSLock()
        var next = 0, done = 0
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, chunks.count))
        data.storage.withUnsafeBufferPointer { values in
            out.withUnsafeMutableBufferPointer { op in
                let base = op.baseAddress!
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    while true {
                        lock.lock()
                        guard next < chunks.count else { lock.unlock(); return }
                        let rows = chunks[next]
                        next += 1
                        lock.unlock()
                        let z = engine.embed(values: values, featureCount: data.cols, rows: rows)
                        (base + rows.lowerBound * m).update(from: z, count: z.count)
                        lock.lock()
                        done += rows.count
                        let d = done
                        lock.unlock()
                        progress?(d, n)
                    }
                }
            }
        }
        return out
    }

    /// 0..<n in a deterministic (Fisher–Yates) shuffle of blocks of up to 4,096 rows (and at
    /// least 64 blocks, so small data sets are shuffled too).
    static func shuffledRows(_ n: Int) -> [Int32] {
        let block = max(1, min(4096, n / 64))
        var blocks = Array(stride(from: 0, to: n, by: block))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var i = blocks.count - 1
        while i > 0 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            blocks.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
            i -= 1
        }
        var order = [Int32]()
        order.reserveCapacity(n)
        for b in blocks { order += (b..<min(b + block, n)).map(Int32.init) }
        return order
    }
}

/// The two shown coordinates of every sample, their extent and a spatial index on them.
public struct AxisData: Sendable {
    public let axes: AxisPair
    public let xs: [Float]
    public let ys: [Float]
    /// The bounding box with a small margin.
    public let extent: Viewport
    public let index: SpatialIndex

    public init(axes: AxisPair, xs: [Float], ys: [Float]) {
        self.axes = axes
        self.xs = xs
        self.ys = ys
        extent = xs.withUnsafeBufferPointer { x in ys.withUnsafeBufferPointer { y in Viewport.fitting(xs: x, ys: y, padding: 0.02) } }
        index = SpatialIndex(x: xs, y: ys)
    }
}
