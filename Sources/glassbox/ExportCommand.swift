import ArgumentParser
import Foundation
import GlassBoxCore

/// `glassbox export`: everything the explorer shows, as files for Python and R, without a terminal.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write embedding, contributions, top features, group summaries and verification to a directory.",
        discussion: """
            Writes into --out: embedding.csv (id, label, z1…zk); contributions.npy (n, k, d) as \
            upstream's compute_contributions(X) gives it (contributions.csv in long form with \
            --format csv); pca_contributions.npy (n, k, n_pca) when the model has PCA; \
            top_features.csv (each sample's top --top features by L2); groups.csv (per label, the mean \
            L2 of its top features and their share); verification.json; and with --plots \
            embedding.svg and groups.svg; with --feature-sets FILE, sets.csv (set, description, size, \
            members_found: each set in file order, then '(not in any set)', the features in no set), \
            set_contributions.npy (n, k, S + 1) — each set's exact contribution Σ_{f∈S} C[j,f], \
            in the order of sets.csv, the remainder last (set_contributions.csv in long form with \
            --format csv) — top_sets.csv and groups_sets.csv (as top_features.csv and groups.csv, \
            ranking the sets and the remainder), and verification.json also checks that sets that \
            do not overlap add up to z; and statistics.json and group_sums.npy, from which \
            `glassbox merge` combines exports of row ranges. The export is built beside --out and \
            swapped in whole: --out is always entirely the earlier export or entirely this one, and \
            an interrupted or failed export leaves it as it was. --rows A:B splits a large data set \
            over jobs; `glassbox merge` joins the parts into the export of the whole. Exits 0 on \
            success, 1 when the verification misses --tolerance (the files are written), 2 when an \
            input cannot be used.
            """
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(
        name: .long,
        help: ArgumentHelp("The output directory: created, or replaced as a whole if it holds an earlier export.", valueName: "dir"))
    var out: String

    @Flag(name: .long, help: "Replace --out even if it is not a glassbox export, deleting everything in it.")
    var force = false

    @Flag(
        name: .customLong("hash-data"),
        help:
            "Record the data file's SHA-256 (reads the whole file; by default its size, modification time and a hash of the rows read identify it)."
    )
    var hashData = false

    @Option(name: .long, help: ArgumentHelp("Features per sample in top_features.csv and per group in groups.csv.", valueName: "K"))
    var top = 20

    @Option(
        name: .long,
        help: ArgumentHelp("npy, or csv for the contributions in long form (id, component, feature, value).", valueName: "format"))
    var format: ContributionFormat = .npy

    @Flag(name: .long, help: "Also draw embedding.svg and groups.svg.")
    var plots = false

    @OptionGroup var computeOptions: ComputeOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var setOptions: FeatureSetOptions

    /// Phase times on stderr, for profiling.
    @Flag(name: .long, help: .hidden)
    var timings = false

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top \(top): expected at least 1") }
    }

    func run() throws {
        MallocTuning.forBatchWork()
        try BLASLibrary.load()
        let token = CancellationToken()
        Interrupts.install(token: token)
        let modelURL = URL(fileURLWithPath: modelOptions.model), dataURL = URL(fileURLWithPath: dataOptions.data)
        // Hash the model on a background thread now; with --hash-data, the data once reading is
        // under way (see `FileDigest.start`).
        let modelDigest = FileDigest(modelURL), dataDigest = hashData ? FileDigest(dataURL, start: false) : nil
        // Stamped before reading, so a file changed while being read does not look unchanged;
        // a missing file is left for the reader to report.
        let dataStamp = try? FileStamp(of: dataURL)
        let start = Date(), startCPU = ProcessCPU.seconds()
        let model = try modelOptions.load()
        let loaded = Date(), loadedCPU = ProcessCPU.seconds()
        let source = try dataOptions.open(for: model)
        let opened = Date(), openedCPU = ProcessCPU.seconds()
        let provenance = ExportProvenance(
            model: modelDigest, data: dataURL, dataStamp: try dataStamp ?? FileStamp(of: dataURL),
            dataDigest: dataDigest, version: GlassBoxVersion.string)

        var options = ExportOptions(directory: URL(fileURLWithPath: out))
        computeOptions.apply(to: &options)
        // Before --part's early exit: a set file that cannot be used is refused by every task.
        options.featureSets = try setOptions.load(featureNames: source.featureNames)
        guard try runOptions.apply(to: &options, source: source) else { return }
        options.topK = top
        options.format = format
        options.plots = plots
        options.provenance = provenance
        options.force = force
        if let dataDigest { options.windowRead = { dataDigest.start() } }

        let progress = ProgressBar(label: "exporting", enabled: !runOptions.quiet)
        let result: ExportResult
        do {
            result = try Exporter.run(model: model, source: source, options: options, token: token, progress: progress.update)
        } catch is EngineCancelled {
            Interrupts.awaitExit()
        } catch {
            progress.finish()
            source.notes.forEach(Diagnostics.note)
            throw error
        }
        progress.finish()
        source.notes.forEach(Diagnostics.note)
        if timings {
            let steps =
                [
                    ("load model", loaded.timeIntervalSince(start), loadedCPU - startCPU),
                    ("open data", opened.timeIntervalSince(loaded), openedCPU - loadedCPU),
                ] + result.phases
            Diagnostics.note(
                "timings (wall/CPU): " + steps.map { String(format: "%@ %.2f/%.2f s", $0.0, $0.1, $0.2) }.joined(separator: ", "))
        }

        let v = result.verification
        let rows = result.rows
        let whole = rows.lowerBound == 0 && source.rowCount == rows.upperBound && runOptions.rows == nil && runOptions.part == nil
        let slice = whole ? "" : " (rows \(rows.lowerBound):\(rows.upperBound))"
        let verdict =
            result.report.passed
            ? "PASS"
            : v.nonFiniteCount > 0
                ? "FAIL, \(v.nonFiniteCount) non-finite sample\(v.nonFiniteCount == 1 ? "" : "s") (see verification.json)"
                : "FAIL, > tolerance \(formatValue(computeOptions.tolerance))"
        print(
            "exported \(rows.count) samples\(slice) × \(model.outputCount) components × \(model.featureCount) features to \(out)/ "
                + "in \(String(format: "%.2f", result.seconds)) s: \(result.files.joined(separator: ", ")); "
                + "relative_error \(formatValue(v.relativeError)) \(verdict)")
        if !result.report.passed { throw ExitCode(1) }
    }
}
