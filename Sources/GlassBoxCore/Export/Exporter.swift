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

/// `glassbox export` and `glassbox verify` without the terminal: reads the data a window of
/// rows at a time, drives the contribution engine over each window and fans each chunk out to
/// the writers, so memory stays bounded whatever the number of samples (the .npy files are
/// written as chunks complete; the CSV files in row order). With no output directory it only
/// verifies.
public enum Exporter {
    /// Exports the rows `options.rows` of `source`, reading one window at a time.
    public static func run(
        model: GlassBoxModel, source: any DatasetSource, options: ExportOptions,
        token: CancellationToken? = nil, progress: ((Int, Int) -> Void)? = nil
    ) throws -> ExportResult {
        switch options.precision {
        case .single: return try ExportRun<Float>(model: model, source: source, options: options).run(token: token, progress: progress)
        case .double: return try ExportRun<Double>(model: model, source: source, options: options).run(token: token, progress: progress)
        }
    }

    /// Exports rows of a dataset already in memory.
    public static func run(
        model: GlassBoxModel, dataset: Dataset, options: ExportOptions,
        token: CancellationToken? = nil, progress: ((Int, Int) -> Void)? = nil
    ) throws -> ExportResult {
        try run(model: model, source: LoadedDataset(dataset), options: options, token: token, progress: progress)
    }
}

/// One export in one precision.
final class ExportRun<T: BLASScalar> {
    let engine: ContributionEngine<T>
    let source: any DatasetSource
    let options: ExportOptions
    /// The data rows asked for: from `first`, to `end` (nil: the end of the file).
    let first: Int
    let end: Int?
    let m: Int, d: Int, pcaCount: Int?

    init(model: GlassBoxModel, source: any DatasetSource, options: ExportOptions) throws {
        let span = options.rowSpan ?? RowSpan(start: nil, end: nil)
        if let n = source.rowCount {
            let r = try span.range(sampleCount: n)
            (first, end) = (r.lowerBound, r.upperBound)
        } else {
            // Checked as the rows are read: the file's length is not known yet.
            let a = span.start ?? 0, b = span.end
            if a < 0 || (b.map { $0 <= a } ?? false) { _ = try span.range(sampleCount: Int.max) }
            (first, end) = (a, b)
        }
        engine = ContributionEngine<T>(model: model, featureSets: options.featureSets)
        self.source = source
        self.options = options
        precondition(
            source.featureNames.count == engine.featureCount, "data has \(source.featureNames.count) features, model \(engine.featureCount)"
        )
        m = engine.outputCount
        d = engine.featureCount
        pcaCount = model.pcaComponentCount
        totals = Totals(order: RowOrder(start: 0), worst: WorstSamples(limit: options.worstCount))
    }

    /// What a chunk leaves for the in-order stage.
    struct Finished {
        var verification: VerificationAccumulator
        /// Export sample indices of the chunk's samples.
        var samples: Range<Int>
        var errors: [Double]
        var ids: ArraySlice<String>
        var groups: [Int: FeatureSums] = [:]
        /// Text per CSV writer, in `Writers.text` order.
        var text: [[UInt8]] = []
        /// The embedding, when plotting.
        var embedding: [T] = []
        /// With feature sets: how their contributions add up to z, and their files' part.
        var partition = VerificationAccumulator()
        var sets: SetExport<T>.Part?
    }

    /// The open files of an export.
    struct Writers {
        var files: ExportFiles
        /// Row-ordered CSV files, each with the function giving a chunk's lines.
        var text: [(file: PartialFile, lines: (ContributionChunk<T>, ChunkAnalysis<T>, ExportTables) -> [UInt8])] = []
        var contributions: NPYStreamWriter?
        var pcaContributions: NPYStreamWriter?
        /// The feature-set files, with feature sets.
        var sets: SetExport<T>?
    }

    /// Totals over the chunks merged so far, in row order (so sums do not depend on which
    /// chunk finished first).
    struct Totals {
        var order: RowOrder<Finished>
        var verification = VerificationAccumulator()
        var worst: WorstSamples
        var groups: [Int: FeatureSums] = [:]
        /// samples × m embedding values, when plotting.
        var points: [Float] = []
        var partition = VerificationAccumulator()
    }

    /// One window of rows read from the source, and where its samples go in the export.
    struct Window {
        var dataset: Dataset
        /// Export sample index of the window's first sample.
        var base: Int
        var tables: ExportTables
    }

    private var writers: Writers?
    private var totals: Totals
    private lazy var nonFinite = NonFiniteDiagnosis(precision: options.precision)
    private let totalsLock = NSLock()
    /// Group codes of every sample so far, for the plot.
    private var plotCodes: [Int32] = []
    /// The samples' additive hash, for provenance (see ExportRunSummary.swift).
    let rowsRead = RowsRead()

    /// Everything one chunk contributes: files at its offset, its analysis and text, then its
    /// turn in row order. Runs on several threads at once.
    func process(_ chunk: ContributionChunk<T>, in window: Window) throws {
        let samples = (window.base + chunk.rows.lowerBound)..<(window.base + chunk.rows.upperBound)
        var v = VerificationAccumulator()
        var numbered = chunk
        numbered.rows = samples  // non-finite samples are listed by their place in the export
        let errors = v.add(numbered)
        var finished = Finished(verification: v, samples: samples, errors: errors, ids: window.dataset.ids[chunk.rows])
        if options.featureSets?.isDisjoint == true { finished.partition.addSetSums(chunk) }
        if let w = writers {
            try hashRows(chunk.rows, of: window.dataset)
            try w.contributions?.write(chunk.contributions!, firstRow: samples.lowerBound)
            if let pca = chunk.pcaContributions { try w.pcaContributions?.write(pca, firstRow: samples.lowerBound) }
            let analysis = ChunkAnalysis(chunk, keep: options.topK, codes: window.dataset.labels?.codes)
            finished.groups = analysis.groups
            finished.text = w.text.map { $0.lines(chunk, analysis, window.tables) }
            if options.plots { finished.embedding = chunk.embedding }
            finished.sets = try w.sets?.process(
                chunk, firstRow: samples.lowerBound, tables: window.tables, codes: window.dataset.labels?.codes)
        }
        totalsLock.lock()
        defer { totalsLock.unlock() }
        for f in totals.order.add(samples, finished) {
            totals.verification.merge(f.verification)
            for (i, e) in f.errors.enumerated() {
                totals.worst.add(row: f.samples.lowerBound + i, id: f.ids[f.ids.startIndex + i], error: e)
            }
            for (g, s) in f.groups { totals.groups[g, default: FeatureSums(outputCount: m, featureCount: d)].merge(s) }
            totals.points += f.embedding.lazy.map { Float($0) }
            totals.partition.merge(f.partition)
            if let w = writers {
                for (t, text) in zip(w.text, f.text) { try t.file.append(text) }
                if let part = f.sets { try w.sets?.merge(part) }
            }
        }
    }

    /// Rows read per window: about `windowBytes` of feature values (256 MiB by default).
    var windowRows: Int {
        let bytes = options.windowBytes ?? (512 << 20)
        return max(engine.blockSize, bytes / max(1, d * MemoryLayout<Float>.size))
    }

    func run(token: CancellationToken?, progress: ((Int, Int) -> Void)?) throws -> ExportResult {
        let clock = PhaseClock()
        if let directory = options.directory {
            writers = try openWriters(ExportFiles(directory: directory, force: options.force))
        }
        defer { writers?.files.discard() }  // a no-op once committed

        // About how many samples, for the progress bar.
        let expected = max(1, (end ?? source.rowCount ?? source.estimatedRowCount ?? first + 1) - first)
        var outputs: EngineOutputs = writers == nil ? [] : [.contributions, .pcaContributions]
        if options.featureSets != nil { outputs.insert(.setContributions) }
        var at = first, samples = 0
        var lastLabels: GroupLabels?
        var readSeconds = 0.0, readCPU = 0.0
        while end.map({ at < $0 }) ?? true {
            if token?.isCancelled == true { throw EngineCancelled() }
            let readStart = DispatchTime.now(), readStartCPU = ProcessCPU.seconds()
            let w = try source.read(from: at, maxRows: min(windowRows, (end ?? .max) - at))
            readSeconds += Double(DispatchTime.now().uptimeNanoseconds - readStart.uptimeNanoseconds) / 1e9
            readCPU += ProcessCPU.seconds() - readStartCPU
            options.windowRead?()
            let data = w.dataset
            try compute(Window(dataset: data, base: samples, tables: tables(for: data)), outputs: outputs, token: token) { done in
                progress?(min(samples + done, expected), max(expected, samples + done))
            }
            try diagnoseNonFinite(in: data, base: samples, contributions: !outputs.isEmpty)
            if options.plots, let codes = data.labels?.codes { plotCodes += codes }
            lastLabels = data.labels ?? lastLabels
            samples += data.sampleCount
            at = w.rows.upperBound
            if w.isLast || w.rows.isEmpty { break }
        }
        if let end, at < end {
            throw InputError(
                file: "--rows", message: "\(first):\(end): the end \(end) is past the data's \(at) rows, expected 0 ≤ A < B ≤ \(at)")
        }
        if at <= first {
            throw InputError(
                file: "--rows",
                message:
                    "\(first):\(end.map(String.init) ?? ""): the start \(first) is past the data's \(at) rows, expected 0 ≤ A < B ≤ \(at)")
        }
        let rows = first..<at
        try finishWriters(samples: samples)
        let totals = self.totals
        precondition(totals.order.next == samples, "samples \(totals.order.next)..<\(samples) never arrived")
        clock.add("read data", seconds: readSeconds, cpu: readCPU)
        clock.end("compute and write", excluding: (readSeconds, readCPU))

        var report = VerificationReport(
            verification: totals.verification.result, worst: totals.worst.entries, dataFile: source.file,
            tolerance: options.tolerance, precision: options.precision,
            nonFinite: nonFinite.isEmpty ? nil : nonFinite)
        report.featureSets = options.featureSets.map { SetPartitionReport(SetTable($0), check: totals.partition.result) }
        var names: [String] = []
        if let w = writers {
            report.provenance = try finish(
                w, totals, rows: rows, categories: lastLabels?.categories, plotCodes: plotCodes,
                nonFinite: nonFinite.isEmpty ? nil : nonFinite, phase: { clock.end($0) })
            names = w.files.names
        }
        return ExportResult(report: report, rows: rows, files: names, seconds: clock.seconds, phases: clock.phases)
    }

    /// The engine over one window, each chunk handed to the writer threads (or, verifying
    /// only, processed on the spot: nothing is worth handing over).
    private func compute(_ window: Window, outputs: EngineOutputs, token: CancellationToken?, progress: @escaping (Int) -> Void) throws {
        let data = window.dataset
        guard data.sampleCount > 0 else { return }
        try writers?.contributions?.reserve(rows: window.base + data.sampleCount)
        try writers?.pcaContributions?.reserve(rows: window.base + data.sampleCount)
        try writers?.sets?.reserve(rows: window.base + data.sampleCount)
        func runEngine(_ sink: (ContributionChunk<T>) throws -> Void) throws {
            try engine.run(
                data.matrix, origin: data.firstRow, outputs: outputs, chunkSize: options.chunkSize,
                threads: options.threads, token: token, progress: { done, _ in progress(done) }, sink: sink)
        }
        if writers == nil {
            try runEngine { try process($0, in: window) }
            return
        }
        // Twice as many workers as cores: a worker waiting for its direct write to reach the
        // disk leaves its core to another chunk's analysis.
        let workers = ChunkWorkers(threads: 2 * (options.threads ?? ProcessInfo.processInfo.activeProcessorCount), capacity: 4)
        do {
            try runEngine { chunk in try workers.submit { try self.process(chunk, in: window) } }
        } catch {
            workers.abandon(error)
            try? workers.finish()
            throw error
        }
        try workers.finish()
    }

    /// Why this window's non-finite samples (if any) are not finite — while its rows are at hand.
    private func diagnoseNonFinite(in data: Dataset, base: Int, contributions: Bool) throws {
        totalsLock.lock()
        let rows = totals.verification.nonFiniteRows(from: base).map { $0 - base }
        totalsLock.unlock()
        try nonFinite.add(rows: rows, of: data, at: base, model: engine.model, contributions: contributions)
    }

    /// The CSV tables of one window: its ids and labels (with every category so far).
    private func tables(for data: Dataset) -> ExportTables {
        ExportTables(dataset: data, outputCount: m, pcaCount: pcaCount)
    }

    private func finishWriters(samples: Int) throws {
        try writers?.contributions?.finish(rows: samples)
        try writers?.pcaContributions?.finish(rows: samples)
        try writers?.sets?.finish(rows: samples)
    }

    func openWriters(_ files: ExportFiles) throws -> Writers {
        var w = Writers(files: files)
        // The headers: every window's tables give the same.
        let tables = ExportTables(
            ids: [], codes: nil, labels: source.labelColumn == nil ? nil : [],
            featureNames: source.featureNames, outputCount: m, pcaCount: pcaCount)
        do {
            let embedding = try files.create(.embedding)
            try embedding.append(tables.embeddingHeader)
            w.text.append((embedding, { chunk, _, tables in tables.embeddingLines(chunk) }))

            let dtype = T.npyType
            switch options.format {
            case .npy:
                w.contributions = try NPYStreamWriter(file: files.create(.contributions), dtype: dtype, rowShape: [m, d])
                if let k = pcaCount {
                    w.pcaContributions = try NPYStreamWriter(file: files.create(.pcaContributions), dtype: dtype, rowShape: [m, k])
                }
            case .csv:
                let long = try files.create(.contributionsCSV)
                try long.append(tables.longHeader(column: "feature"))
                let m = m
                w.text.append(
                    (
                        long,
                        { chunk, _, tables in
                            tables.longLines(chunk.contributions!, rows: chunk.rows, outputCount: m, names: tables.features)
                        }
                    ))
                if pcaCount != nil {
                    let pca = try files.create(.pcaContributionsCSV)
                    try pca.append(tables.longHeader(column: "pc"))
                    w.text.append(
                        (
                            pca,
                            { chunk, _, tables in
                                tables.longLines(chunk.pcaContributions!, rows: chunk.rows, outputCount: m, names: tables.pcs)
                            }
                        ))
                }
            }

            let top = try files.create(.topFeatures)
            try top.append(tables.topFeaturesHeader)
            let m = m
            w.text.append((top, { _, analysis, tables in tables.topFeatureLines(analysis, outputCount: m) }))

            if let sets = options.featureSets {
                w.sets = try SetExport(sets: sets, files: files, tables: tables, format: options.format, outputCount: m, keep: options.topK)
            }
        } catch {
            files.discard()
            throw error
        }
        return w
    }
}
