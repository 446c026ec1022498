import Foundation
import GlassBoxCore
import GlassBoxTUI

/// Everything loaded once and never changed: the model, the samples, the engine and the
/// embedding. Shared read-only between the main loop and the background work.
public final class ExplorerSession: @unchecked Sendable {
    public let model: GlassBoxModel
    public let dataset: Dataset
    public let engine: ContributionEngine<Float>
    /// `--feature-sets`: the sets matched to the features (the remainder last), nil without;
    /// the engine is made with them, so passes can ask for `.setContributions`.
    public let featureSets: FeatureSets?
    /// z: n × m, row-major; computed with the engine's aligned blocks, so it equals the z of
    /// the later contribution pass bit for bit.
    public let embedding: [Float]
    public let groups: GroupIndex?
    public let search: FeatureSearch
    /// `/` in the sets space: the set names (nil without sets).
    public let setSearch: FeatureSearch?
    /// `g`: every id, folded once for finding samples as the user types.
    public let sampleSearch: SampleSearch
    /// The training mean μ per feature (C = J·(x − μ)).
    public let featureMeans: [Double]
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
    private let failureLock = NSLock()
    private var failure: (any Error)?

    public var sampleCount: Int { dataset.sampleCount }
    public var outputCount: Int { model.outputCount }
    public var featureCount: Int { dataset.featureCount }
    public var componentCount: Int? { model.pcaComponentCount }
    public var featureNames: [String] { dataset.featureNames }

    /// - Parameter embedding: z if already computed (n × m); computed here otherwise.
    /// - Throws: what reading the data throws (an `InputError`), when computing the embedding.
    public init(
        model: GlassBoxModel, dataset: Dataset, featureSets: FeatureSets? = nil, embedding: [Float]? = nil,
        modelName: String = "model", dataName: String = "data",
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws {
        precondition(dataset.featureCount == model.featureCount, "dataset and model disagree on the feature count")
        self.model = model
        self.dataset = dataset
        self.modelName = modelName
        self.dataName = dataName
        let engine = ContributionEngine<Float>(model: model, featureSets: featureSets)
        self.engine = engine
        self.featureSets = featureSets
        self.embedding = try embedding ?? engine.embed(dataset.matrix, origin: dataset.firstRow, progress: progress)
        precondition(self.embedding.count == dataset.sampleCount * model.outputCount)
        groups = dataset.labels.map(GroupIndex.init)
        search = FeatureSearch(names: dataset.featureNames)
        setSearch = featureSets.map { FeatureSearch(names: $0.names) }
        sampleSearch = SampleSearch(ids: dataset.ids)
        featureMeans = model.preprocessing.mean.values
        plotOrder = Self.shuffledRows(dataset.sampleCount)
    }

    /// Names of the columns of a feature space ("PC1"… for components, set names for sets).
    public func columnNames(_ space: FeatureSpace) -> [String] {
        switch space {
        case .features: return featureNames
        case .components: return (0..<(componentCount ?? 0)).map { "PC\($0 + 1)" }
        case .sets: return featureSets?.names ?? []
        }
    }

    /// The space a view shows: the one asked for when the session has it, else features.
    public func available(_ space: FeatureSpace) -> FeatureSpace {
        switch space {
        case .features: return .features
        case .components: return componentCount == nil ? .features : .components
        case .sets: return featureSets == nil ? .features : .sets
        }
    }

    /// A sample's contributions in a space: C itself, the PCA components' (J ⊙ u), or the
    /// sets' — Σ_{f∈S} C[j, f] for every set, the remainder last.
    public func table(_ e: SampleExplanation, space: FeatureSpace) -> ContributionTable {
        switch available(space) {
        case .components: return e.pcaTable ?? e.table
        case .sets: return setTable(e.table)
        case .features: return e.table
        }
    }

    /// Feature contributions (m × d) as set contributions (m × sets), one sparse product.
    public func setTable(_ features: ContributionTable) -> ContributionTable {
        guard let sets = featureSets else { return features }
        return ContributionTable(values: sets.apply(features.values, rows: features.outputCount), outputCount: features.outputCount)
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

    // MARK: Reading the data after loading

    /// The first error met reading the data after loading (only data read lazily from its file
    /// can fail then, e.g. a corrupt compressed chunk); the main loop stops with it.
    public var readFailure: (any Error)? {
        failureLock.lock()
        defer { failureLock.unlock() }
        return failure
    }

    /// Records a read failure (the first one wins).
    public func fail(_ error: any Error) {
        failureLock.lock()
        if failure == nil { failure = error }
        failureLock.unlock()
    }

    /// The engine on rows `rows`. If the data cannot be read, the failure is recorded (the
    /// main loop stops with it) and the chunk holds NaN, which no view shows as a finding.
    func compute(rows: Range<Int>, outputs: EngineOutputs) -> ContributionChunk<Float> {
        do {
            return try engine.compute(dataset.matrix, rows: rows, origin: dataset.firstRow, outputs: outputs)
        } catch {
            fail(error)
            let nan: [Float] = Array(repeating: .nan, count: rows.count * dataset.featureCount)
            var chunk = engine.compute(
                values: nan, featureCount: dataset.featureCount,
                positions: (dataset.firstRow + rows.lowerBound)..<(dataset.firstRow + rows.upperBound), outputs: outputs)
            chunk.rows = rows
            return chunk
        }
    }

    /// Feature values of one sample (NaN, with the failure recorded, if unreadable).
    func values(ofSample row: Int) -> [Float] {
        do { return try dataset.matrix.row(row) } catch {
            fail(error)
            return Array(repeating: .nan, count: featureCount)
        }
    }

    /// One feature's values for every sample (NaN, with the failure recorded, if unreadable).
    func values(ofFeature f: Int) -> [Float] {
        do { return try dataset.matrix.column(f) } catch {
            fail(error)
            return Array(repeating: .nan, count: sampleCount)
        }
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
