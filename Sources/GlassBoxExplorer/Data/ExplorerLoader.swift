import Foundation
import GlassBoxCore

/// How to get the model and the data; the command line supplies the readers (and their
/// options), the explorer decides when they run.
public struct ExplorerInputs: @unchecked Sendable {
    public var modelPath: String
    public var dataPath: String
    public var loadModel: () throws -> GlassBoxModel
    /// Reads the data for the model; informational notes go to the closure.
    public var loadData: (GlassBoxModel, @escaping (String) -> Void) throws -> Dataset
    /// Reads and matches the feature sets (`--feature-sets`) to the data's feature names;
    /// nil without sets. Read with the inputs, so a bad set file stops before the screen opens.
    public var loadSets: (([String]) throws -> FeatureSets?)?

    public init(
        modelPath: String, dataPath: String, loadModel: @escaping () throws -> GlassBoxModel,
        loadData: @escaping (GlassBoxModel, @escaping (String) -> Void) throws -> Dataset,
        loadSets: (([String]) throws -> FeatureSets?)? = nil
    ) {
        self.modelPath = modelPath
        self.dataPath = dataPath
        self.loadModel = loadModel
        self.loadData = loadData
        self.loadSets = loadSets
    }
}

/// Loads everything on a background thread — model, data, embedding, spatial index — while
/// the main loop shows `LoadingScreen` and stays responsive (q quits at any time).
public final class ExplorerLoader: @unchecked Sendable {
    public enum Stage: Int, Comparable, Sendable {
        case model, data, embedding, index, ready
        public static func < (a: Stage, b: Stage) -> Bool { a.rawValue < b.rawValue }
    }

    public struct Status: Sendable {
        public var stage: Stage = .model
        public var embedded = 0
        public var total = 0
        /// One line each, once known ("765 features → PCA 50 → 2").
        public var modelSummary: String?
        public var dataSummary: String?
        public var dataBytes: Int?
        public var notes: [String] = []
        /// The reason loading stopped (an `InputError` for unusable inputs).
        public var error: (any Error)?
        public var seconds: Double = 0
    }

    public let inputs: ExplorerInputs
    private let condition = NSCondition()
    private var status = Status()
    private var result: ExplorerSession?
    private var stopAfterInputs = false
    private var cancelled = false
    private let started = DispatchTime.now()

    public init(inputs: ExplorerInputs) {
        self.inputs = inputs
        let size = (try? FileManager.default.attributesOfItem(atPath: inputs.dataPath)[.size]) as? NSNumber
        status.dataBytes = size?.intValue
    }

    /// Starts loading on a background thread.
    public func start() {
        let thread = Thread { [self] in self.load() }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func update(_ body: (inout Status) -> Void) {
        condition.lock()
        body(&status)
        condition.broadcast()
        condition.unlock()
    }

    private var shouldStop: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    private func load() {
        do {
            let model = try inputs.loadModel()
            let pca = model.pcaComponentCount.map { " → PCA \($0)" } ?? ""
            update {
                $0.modelSummary = "\(model.featureCount) features\(pca) → \(model.outputCount)-d embedding"
                $0.stage = .data
            }
            let dataset = try inputs.loadData(model) { [self] note in update { $0.notes.append(note) } }
            guard dataset.sampleCount > 0 else {
                throw InputError(file: inputs.dataPath, message: "no samples to explore (no data rows)")
            }
            let sets = try inputs.loadSets?(dataset.featureNames)
            let labels = dataset.labels.map { ", \($0.categories.count) groups (\($0.column))" } ?? ""
            update {
                // The explorer shows the last note in its status line: the warning about sets
                // with no member when there is one, else whether the sets partition the
                // features, said short enough for the line.
                if let sets { $0.notes += [sets.foundNote, Self.statusNote(sets)] + [sets.emptySetsWarning].compactMap { $0 } }
                $0.dataSummary = "\(Format.count(dataset.sampleCount)) samples × \(Format.count(dataset.featureCount)) features\(labels)"
                $0.stage = .embedding
                $0.total = dataset.sampleCount
            }
            condition.lock()
            while stopAfterInputs && !cancelled { condition.wait() }
            let stop = cancelled
            condition.unlock()
            if stop { return }
            let session = try ExplorerSession(
                model: model, dataset: dataset, featureSets: sets,
                modelName: URL(fileURLWithPath: inputs.modelPath).lastPathComponent,
                dataName: URL(fileURLWithPath: inputs.dataPath).lastPathComponent
            ) { [self] done, total in
                update {
                    $0.embedded = done; $0.total = total
                }
            }
            if shouldStop { return }
            update { $0.stage = .index }
            _ = session.axisData(AxisPair(x: 0, y: min(1, session.outputCount - 1)))
            condition.lock()
            result = session
            status.stage = .ready
            condition.broadcast()
            condition.unlock()
        } catch {
            update { $0.error = error }
        }
    }

    public var snapshot: Status {
        condition.lock()
        defer { condition.unlock() }
        var s = status
        s.seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return s
    }

    /// The loaded session, once ready.
    public var session: ExplorerSession? {
        condition.lock()
        defer { condition.unlock() }
        return result
    }

    /// Holds the loader after the inputs are read (for a run that will stop there).
    public func pauseAfterInputs() {
        condition.lock()
        stopAfterInputs = true
        condition.unlock()
    }

    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the model and data are read (or reading failed); false on timeout.
    @discardableResult
    public func waitForInputs(timeout seconds: Double?) -> Bool {
        let deadline = seconds.map { Date(timeIntervalSinceNow: $0) }
        condition.lock()
        defer { condition.unlock() }
        while status.error == nil && status.stage <= .data {
            if let deadline {
                if !condition.wait(until: deadline) { return status.error != nil || status.stage > .data }
            } else {
                condition.wait()
            }
        }
        return true
    }

    /// "markers.gmt: 10 sets (+734 features in none) partition the features: they add up to z".
    static func statusNote(_ sets: FeatureSets) -> String {
        let name = DisplaySafe.text(URL(fileURLWithPath: sets.file).lastPathComponent)
        let n = sets.fileSetCount, r = sets.sets[sets.remainderIndex].members.count
        let them = "\(Format.count(n)) set\(n == 1 ? "" : "s")"
        if !sets.isDisjoint { return "\(name): \(them) overlap: their contributions do not add up to z" }
        if r == 0 && n == 1 { return "\(name): 1 set partitions the features: it adds up to z" }
        let rest = r == 0 ? "" : " (+\(Format.count(r)) feature\(r == 1 ? "" : "s") in none)"
        return "\(name): \(them)\(rest) partition the features: they add up to z"
    }
}
