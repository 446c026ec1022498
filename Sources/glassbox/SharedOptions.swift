import ArgumentParser
import Foundation
import GlassBoxCore

/// Where the model is, for every command that needs one.
struct ModelOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A model: the .pt file GlassBoxUMAP.save() writes, a .safetensors file or an encoder directory.", valueName: "path"))
    var model: String

    func load() throws -> GlassBoxModel {
        try ModelFile.load(URL(fileURLWithPath: model))
    }
}

/// The dataset and how to read it.
struct DataOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Samples: an AnnData .h5ad file, or CSV/TSV (optionally .gz) with a header, then one row per sample (recognized by content).",
            valueName: "path"))
    var data: String

    @OptionGroup var reading: DataReadingOptions

    /// Opens the data for reading rows, its columns matched to `model` (the header, or the
    /// AnnData file's metadata, is read here).
    func open(for model: GlassBoxModel) throws -> any DatasetSource {
        try reading.open(data, for: model)
    }

    /// Reads every row, matching the feature columns to `model`; notes go to stderr.
    func load(for model: GlassBoxModel) throws -> Dataset {
        let source = try open(for: model)
        defer { source.notes.forEach(Diagnostics.note) }
        return try source.readAll()
    }
}

/// How to read a data file: which columns hold ids, labels and features, its dialect, what
/// to do with missing cells, and how much memory its values may take. `explore` shares these
/// while declaring its own `--data`, which is optional there.
struct DataReadingOptions: ParsableArguments {
    @Option(
        name: .customLong("id-column"),
        help: ArgumentHelp(
            "The column holding sample ids (default: one named sample_id, sample, sample_name, id, cell_id, cell, barcode, barcodes, obs_names or index, else an unnamed first column, else the 0-based row; for .h5ad, obs's index).",
            valueName: "name"))
    var idColumn: String?

    @Option(
        name: .customLong("label-column"),
        help: ArgumentHelp(
            "The column (for .h5ad, the obs column) holding group labels (default: one named label, cell_type, celltype, group, class or cluster).",
            valueName: "name"))
    var labelColumn: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The features the model takes: a file listing them, one per line, in the model's input order — or, for .h5ad, a boolean var column such as highly_variable.",
            valueName: "path|column"))
    var features: String?

    @Option(name: .long, help: ArgumentHelp(".h5ad: read layers/NAME instead of X.", valueName: "name"))
    var layer: String?

    @Option(
        name: .long, help: ArgumentHelp("The field delimiter: a character, or tab/comma/semicolon (default: detected).", valueName: "char"))
    var delimiter: String?

    @Option(name: .long, help: ArgumentHelp("Missing cells (empty, NA, NaN): error, zero or drop (drop: CSV only).", valueName: "policy"))
    var missing: MissingPolicy = .error

    @Option(
        name: .customLong("max-memory"),
        help: ArgumentHelp(
            "Most memory the data's values may take at once, e.g. 20G (default: four fifths of the memory available).", valueName: "size"))
    var maxMemory: MemoryBudget?

    func validate() throws {
        if let delimiter, CSVReadOptions.delimiter(from: delimiter) == nil {
            throw ValidationError("--delimiter '\(delimiter)': expected one ASCII character, or tab, comma, semicolon, pipe or space")
        }
    }

    /// Opens the data file at `path` for reading rows, its columns matched to `model` (the
    /// header, or the AnnData file's metadata, is read here): AnnData or CSV, told by content.
    func open(_ path: String, for model: GlassBoxModel) throws -> any DatasetSource {
        var csv = CSVReadOptions(labelColumn: labelColumn, idColumn: idColumn, missing: missing)
        csv.delimiter = delimiter.flatMap(CSVReadOptions.delimiter(from:))
        csv.memory = maxMemory
        if let features { csv.featuresFile = URL(fileURLWithPath: features) }
        var anndata = AnnDataReadOptions(
            labelColumn: labelColumn, idColumn: idColumn, features: features,
            layer: layer, missing: missing)
        anndata.memory = maxMemory
        return try DatasetReader.open(
            URL(fileURLWithPath: path), csv: csv, anndata: anndata,
            expecting: FeatureExpectation(model: model))
    }
}

extension MissingPolicy: ExpressibleByArgument {}

extension MemoryBudget: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// How to compute and judge the result.
struct ComputeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("single (float32, as upstream) or double (float64).", valueName: "precision"))
    var precision: Precision = .single

    @Option(name: .long, help: ArgumentHelp("Largest relative reconstruction error that passes.", valueName: "value"))
    var tolerance: Double = 1e-4

    func validate() throws {
        guard tolerance >= 0, tolerance.isFinite else {
            throw ValidationError("--tolerance \(tolerance): expected a finite number ≥ 0")
        }
    }
}

extension Precision: ExpressibleByArgument {}

extension ComputeOptions {
    func apply(to options: inout ExportOptions) {
        options.precision = precision
        options.tolerance = tolerance
    }
}

/// Which rows to compute and how to run — shared by `verify` and `export`.
struct RunOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only data rows A (inclusive) to B (exclusive), 0-based, e.g. 0:10000 — to split a large data set over jobs; only these rows are read.",
            valueName: "A:B"))
    var rows: RowSpan?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Only part I (0-based) of N near-equal runs of rows, e.g. $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT; the rows are counted in the file (a CSV's by scanning its line ends).",
            valueName: "I/N"))
    var part: RowPart?

    @Flag(name: .long, help: "No progress bar on stderr.")
    var quiet = false

    @Option(name: .customLong("chunk-size"), help: .hidden)
    var chunkSize: Int?

    @Option(name: .long, help: .hidden)
    var threads: Int?

    func validate() throws {
        if rows != nil && part != nil { throw ValidationError("give --rows or --part, not both") }
        if let part, !part.isValid { throw ValidationError("--part \(part): expected I/N with 0 ≤ I < N (I is the 0-based task index)") }
        if let chunkSize, chunkSize < 1 { throw ValidationError("--chunk-size \(chunkSize): expected at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): expected at least 1") }
    }

    /// The rows (checked against the data as it is read: exit 2 naming --rows unless
    /// 0 ≤ A < B ≤ n; --part counts the data's rows first), chunking and threads. False when
    /// --part leaves this task no rows (more parts than rows): there is nothing to do.
    func apply(to options: inout ExportOptions, source: any DatasetSource) throws -> Bool {
        options.rowSpan = rows
        if let part {
            let n = try source.countRows()
            let range = part.range(of: n)
            guard !range.isEmpty else {
                Diagnostics.note("part \(part) of \(n) rows has none: nothing to do")
                return false
            }
            options.rowSpan = RowSpan(start: range.lowerBound, end: range.upperBound)
        }
        options.chunkSize = chunkSize
        options.threads = threads
        return true
    }
}

extension RowSpan: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension RowPart: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension ContributionFormat: ExpressibleByArgument {}
