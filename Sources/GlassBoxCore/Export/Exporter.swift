import Foundation

/// What an export (or a verification) produced.
public struct ExportResult {
    /// The verification, as `verify` prints it and verification.json holds it.
    public var report: VerificationReport
    public var rows: Range<Int>
    /// The files written, in the order they were committed (none for a verification).
    public var files: [String]
    public var seconds: Double
    /// Wall and process CPU time of each phase (compute and write, summaries and plots, waiting
    /// for the input digests, commit), for profiling.
    public var phases: [(name: String, seconds: Double, cpu: Double)] = []

    public var verification: JacobianVerification { report.verification }
}

/// `glassbox export` and `glassbox verify` without the terminal: drives the contribution
/// engine once over the selected rows and fans each chunk out to the writers, so memory stays
/// bounded whatever the number of samples (the .npy files are written as chunks complete;
/// the CSV files in row order). With no output directory it only verifies.
public enum Exporter {
    public static func run(model: GlassBoxModel, dataset: Dataset, options: ExportOptions,
                           token: CancellationToken? = nil, progress: ((Int, Int) -> Void)? = nil) throws -> ExportResult {
        switch options.precision {
        case .single: return try ExportRun<Float>(model: model, dataset: dataset, options: options).run(token: token, progress: progress)
        case .double: return try ExportRun<Double>(model: model, dataset: dataset, options: options).run(token: token, progress: progress)
        }
    }
}

/// One export in one precision.
final class ExportRun<T: BLASScalar> {
    let engine: ContributionEngine<T>
    let dataset: Dataset
    let options: ExportOptions
    let rows: Range<Int>
    let m: Int, d: Int, pcaCount: Int?

    init(model: GlassBoxModel, dataset: Dataset, options: ExportOptions) throws {
        if let r = options.rows {
            rows = try RowSpan(start: r.lowerBound, end: r.upperBound).range(sampleCount: dataset.sampleCount)
        } else {
            rows = 0..<dataset.sampleCount
        }
        engine = ContributionEngine<T>(model: model)
        self.dataset = dataset
        self.options = options
        precondition(dataset.featureCount == engine.featureCount, "data has \(dataset.featureCount) features, model \(engine.featureCount)")
        m = engine.outputCount
        d = engine.featureCount
        pcaCount = model.pcaComponentCount
        totals = Totals(order: RowOrder(start: rows.lowerBound), worst: WorstSamples(limit: options.worstCount))
    }

    /// What a chunk leaves for the in-order stage.
    struct Finished {
        var verification: VerificationAccumulator
        var rows: Range<Int>
        var errors: [Double]
        var groups: [Int: GroupSums] = [:]
        /// Text per CSV writer, in `Writers.text` order.
        var text: [[UInt8]] = []
        /// The embedding, when plotting.
        var embedding: [T] = []
    }

    /// The open files of an export.
    struct Writers {
        var files: ExportFiles
        /// Row-ordered CSV files, each with the function giving a chunk's lines.
        var text: [(file: PartialFile, lines: (ContributionChunk<T>, ChunkAnalysis<T>) -> [UInt8])] = []
        var contributions: NPYStreamWriter?
        var pcaContributions: NPYStreamWriter?
    }

    /// Totals over the chunks merged so far, in row order (so sums do not depend on which
    /// chunk finished first).
    struct Totals {
        var order: RowOrder<Finished>
        var verification = VerificationAccumulator()
        var worst: WorstSamples
        var groups: [Int: GroupSums] = [:]
        /// rows.count × m embedding values, when plotting.
        var points: [Float] = []
    }

    private var writers: Writers?
    private var totals: Totals
    private let totalsLock = NSLock()

    /// Everything one chunk contributes: files at its offset, its analysis and text, then its
    /// turn in row order. Runs on several threads at once.
    func process(_ chunk: ContributionChunk<T>) throws {
        try options.chunkHook?(chunk.rows)
        var v = VerificationAccumulator()
        let errors = v.add(chunk)
        var finished = Finished(verification: v, rows: chunk.rows, errors: errors)
        if let w = writers {
            let offset = chunk.rows.lowerBound - rows.lowerBound
            try w.contributions?.write(chunk.contributions!, firstRow: offset)
            if let pca = chunk.pcaContributions { try w.pcaContributions?.write(pca, firstRow: offset) }
            let analysis = ChunkAnalysis(chunk, keep: options.topK, codes: dataset.labels?.codes)
            finished.groups = analysis.groups
            finished.text = w.text.map { $0.lines(chunk, analysis) }
            if options.plots { finished.embedding = chunk.embedding }
        }
        totalsLock.lock()
        defer { totalsLock.unlock() }
        for f in totals.order.add(chunk.rows, finished) {
            totals.verification.merge(f.verification)
            for (i, e) in f.errors.enumerated() { totals.worst.add(row: f.rows.lowerBound + i, error: e) }
            for (g, s) in f.groups { totals.groups[g, default: GroupSums(outputCount: m, featureCount: d)].merge(s) }
            totals.points += f.embedding.lazy.map { Float($0) }
            if let w = writers {
                for (t, text) in zip(w.text, f.text) { try t.file.append(text) }
            }
        }
    }

    func run(token: CancellationToken?, progress: ((Int, Int) -> Void)?) throws -> ExportResult {
        let start = DispatchTime.now()
        var phases: [(name: String, seconds: Double, cpu: Double)] = []
        var lap = start, lapCPU = ProcessCPU.seconds()
        func phase(_ name: String) {
            let now = DispatchTime.now(), cpu = ProcessCPU.seconds()
            phases.append((name, Double(now.uptimeNanoseconds - lap.uptimeNanoseconds) / 1e9, cpu - lapCPU))
            lap = now
            lapCPU = cpu
        }
        let tables = ExportTables(dataset: dataset, outputCount: m, pcaCount: pcaCount)
        if let directory = options.directory {
            writers = try openWriters(ExportFiles(directory: directory), tables)
        }
        defer { writers?.files.discard() }  // a no-op once committed

        let outputs: EngineOutputs = writers == nil ? [] : [.contributions, .pcaContributions]
        func runEngine(_ sink: (ContributionChunk<T>) throws -> Void) throws {
            try engine.run(dataset.values, rows: rows, outputs: outputs, chunkSize: options.chunkSize,
                           threads: options.threads, token: token, progress: progress, sink: sink)
        }
        if writers == nil {
            try runEngine(process)  // verification only: nothing worth handing over
        } else {
            // Twice as many workers as cores: a worker waiting for its direct write to reach the
            // disk leaves its core to another chunk's analysis.
            let workers = ChunkWorkers(threads: 2 * (options.threads ?? ProcessInfo.processInfo.activeProcessorCount), capacity: 4)
            do {
                try runEngine { chunk in try workers.submit { try self.process(chunk) } }
            } catch {
                workers.abandon(error)
                try? workers.finish()
                throw error
            }
            try workers.finish()
        }
        let totals = self.totals
        precondition(totals.order.next == rows.upperBound || rows.isEmpty, "rows \(totals.order.next)..<\(rows.upperBound) never arrived")
        phase("compute and write")

        let verification = totals.verification.result
        var report = VerificationReport(verification: verification, worst: totals.worst.entries, dataset: dataset,
                                        tolerance: options.tolerance, precision: options.precision,
                                        nonFinite: NonFiniteDiagnosis(rows: verification.nonFiniteRows, model: engine.model, dataset: dataset,
                                                                      precision: options.precision, contributions: !outputs.isEmpty))
        var names: [String] = []
        if let w = writers {
            try w.contributions?.finish()
            try w.pcaContributions?.finish()
            let ranking = GroupRanking.rank(totals.groups, labels: dataset.labels, keep: options.topK, outputCount: m)
            try w.files.create("groups.csv").append(GroupRanking.csv(ranking, featureNames: dataset.featureNames, outputCount: m))
            if options.plots {
                let file = URL(fileURLWithPath: dataset.file)
                let title = file.deletingLastPathComponent().lastPathComponent + "/" + file.lastPathComponent
                    + (rows.count == dataset.sampleCount ? "" : " rows \(rows.lowerBound):\(rows.upperBound)")
                let scatter = SVGPlot.embedding(points: totals.points, dimensions: m, codes: dataset.labels.map { Array($0.codes[rows]) },
                                                categories: dataset.labels?.categories, title: title)
                try w.files.create("embedding.svg").append(Array(scatter.utf8))
                let bars = SVGPlot.groups(ranking, featureNames: dataset.featureNames, title: "Top features per group — \(title)")
                try w.files.create("groups.svg").append(Array(bars.utf8))
            }
            names = w.files.names + ["verification.json"]
            phase("groups and plots")
            report.provenance = try provenance(files: names)
            phase("wait for SHA-256")
            try w.files.create("verification.json").append(Array((report.json + "\n").utf8))
            try w.files.commit()
            phase("commit")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return ExportResult(report: report, rows: rows, files: names, seconds: seconds, phases: phases)
    }

    func openWriters(_ files: ExportFiles, _ tables: ExportTables) throws -> Writers {
        var w = Writers(files: files)
        do {
            let embedding = try files.create("embedding.csv")
            try embedding.append(tables.embeddingHeader)
            w.text.append((embedding, { chunk, _ in tables.embeddingLines(chunk) }))

            let dtype: NPY.DType = T.self == Float.self ? .float32 : .float64
            switch options.format {
            case .npy:
                w.contributions = try NPYStreamWriter(file: files.create("contributions.npy"), dtype: dtype, shape: [rows.count, m, d])
                if let k = pcaCount {
                    w.pcaContributions = try NPYStreamWriter(file: files.create("pca_contributions.npy"), dtype: dtype, shape: [rows.count, m, k])
                }
            case .csv:
                let long = try files.create("contributions.csv")
                try long.append(tables.longHeader(column: "feature"))
                let m = m
                w.text.append((long, { chunk, _ in
                    tables.longLines(chunk.contributions!, rows: chunk.rows, outputCount: m, names: tables.features)
                }))
                if pcaCount != nil {
                    let pca = try files.create("pca_contributions.csv")
                    try pca.append(tables.longHeader(column: "pc"))
                    w.text.append((pca, { chunk, _ in
                        tables.longLines(chunk.pcaContributions!, rows: chunk.rows, outputCount: m, names: tables.pcs)
                    }))
                }
            }

            let top = try files.create("top_features.csv")
            try top.append(tables.topFeaturesHeader)
            let m = m
            w.text.append((top, { _, analysis in tables.topFeatureLines(analysis, outputCount: m) }))
        } catch {
            files.discard()
            throw error
        }
        return w
    }

    /// verification.json's extra fields: inputs with their SHA-256, the version, the rows and files.
    func provenance(files: [String]) throws -> [(key: String, value: AttributeValue)] {
        var out: [(key: String, value: AttributeValue)] = []
        if let p = options.provenance {
            out += [("model_file", .string(p.model.url.relativePath)), ("model_sha256", .string(try p.model.hex())),
                    ("data_file", .string(p.data.url.relativePath)), ("data_sha256", .string(try p.data.hex())),
                    ("glassbox_version", .string(p.version))]
        }
        out += [("rows", .list([.int(rows.lowerBound), .int(rows.upperBound)])),
                ("top_k", .int(options.topK)),
                ("format", .string(options.format.rawValue)),
                ("files", .list(files.map { .string($0) }))]
        return out
    }
}
