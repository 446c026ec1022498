import ArgumentParser
import Foundation
import GlassBoxCore

/// Where the model is, for every command that needs one.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A model: the .pt file GlassBoxUMAP.save() writes, a .safetensors file or an encoder directory.", valueName: "path"))
    var model: String

    func load() throws -> GlassBoxModel {
        try ModelFile.load(URL(fileURLWithPath: model))
    }
}

/// The dataset and how to read it.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Samples as CSV/TSV (optionally .gz): a header, then one row per sample.", valueName: "path"))
    var data: String

    @OptionGroup var reading: DataReadingOptions

    /// Opens the data for reading rows, its columns matched to `model` (the header is read here).
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
    @Option(name: .customLong("id-column"), help: ArgumentHelp("The column holding sample ids (default: a column named sample_id, id, cell_id, cell, barcode, barcodes, obs_names or index, else an unnamed first column, else the 0-based row).", valueName: "name"))
    var idColumn: String?

    @Option(name: .customLong("label-column"), help: ArgumentHelp("The column holding group labels (default: a column named label, cell_type, celltype, group, class or cluster).", valueName: "name"))
    var labelColumn: String?

    @Option(name: .long, help: ArgumentHelp("A file listing the feature columns, one per line, in the model's input order.", valueName: "path"))
    var features: String?

    @Option(name: .long, help: ArgumentHelp("The field delimiter: a character, or tab/comma/semicolon (default: detected).", valueName: "char"))
    var delimiter: String?

    @Option(name: .long, help: ArgumentHelp("Missing cells (empty, NA, NaN): error, zero or drop.", valueName: "policy"))
    var missing: MissingPolicy = .error

    @Option(name: .customLong("max-memory"), help: ArgumentHelp("Most memory the data's values may take at once, e.g. 20G (default: four fifths of the memory available).", valueName: "size"))
    var maxMemory: MemoryBudget?

    func validate() throws {
        if let delimiter, CSVReadOptions.delimiter(from: delimiter) == nil {
            throw ValidationError("--delimiter '\(delimiter)': expected one ASCII character, or tab, comma, semicolon, pipe or space")
        }
    }

    /// Opens the data file at `path` for reading rows, its columns matched to `model` (the
    /// header is read here).
    func open(_ path: String, for model: GlassBoxModel) throws -> any DatasetSource {
        var options = CSVReadOptions(labelColumn: labelColumn, idColumn: idColumn, missing: missing)
        options.delimiter = delimiter.flatMap(CSVReadOptions.delimiter(from:))
        options.memory = maxMemory
        if let features { options.featuresFile = URL(fileURLWithPath: features) }
        return try CSVDatasetReader.open(URL(fileURLWithPath: path), options: options, expecting: FeatureExpectation(model: model))
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
    @Option(name: .long, help: ArgumentHelp("Only data rows A (inclusive) to B (exclusive), 0-based, e.g. 0:10000 — to split a large data set over jobs; only these rows are read.", valueName: "A:B"))
    var rows: RowSpan?

    @Flag(name: .long, help: "No progress bar on stderr.")
    var quiet = false

    @Option(name: .customLong("chunk-size"), help: .hidden)
    var chunkSize: Int?

    @Option(name: .long, help: .hidden)
    var threads: Int?

    func validate() throws {
        if let chunkSize, chunkSize < 1 { throw ValidationError("--chunk-size \(chunkSize): expected at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): expected at least 1") }
    }

    /// The rows (checked against the data as it is read: exit 2 naming --rows unless
    /// 0 ≤ A < B ≤ n), chunking and threads.
    func apply(to options: inout ExportOptions) {
        options.rowSpan = rows
        options.chunkSize = chunkSize
        options.threads = threads
    }
}

extension RowSpan: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension ContributionFormat: ExpressibleByArgument {}
