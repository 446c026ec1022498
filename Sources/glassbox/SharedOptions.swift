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

    /// Reads the dataset, matching its feature columns to `model`; notes go to stderr.
    func load(for model: GlassBoxModel) throws -> Dataset {
        try reading.load(data, for: model)
    }
}

/// How to read a data file: which columns hold ids, labels and features, its dialect, and
/// what to do with missing cells. `explore` shares these while declaring its own `--data`,
/// which is optional there.
struct DataReadingOptions: ParsableArguments {
    @Option(name: .customLong("id-column"), help: ArgumentHelp("The column holding sample ids (default: the row number).", valueName: "name"))
    var idColumn: String?

    @Option(name: .customLong("label-column"), help: ArgumentHelp("The column holding group labels (default: a column named label, cell_type, celltype, group, class or cluster).", valueName: "name"))
    var labelColumn: String?

    @Option(name: .long, help: ArgumentHelp("A file listing the feature columns, one per line, in the model's input order.", valueName: "path"))
    var features: String?

    @Option(name: .long, help: ArgumentHelp("The field delimiter: a character, or tab/comma/semicolon (default: detected).", valueName: "char"))
    var delimiter: String?

    @Option(name: .long, help: ArgumentHelp("Missing cells (empty, NA, NaN): error, zero or drop.", valueName: "policy"))
    var missing: MissingPolicy = .error

    func validate() throws {
        if let delimiter, CSVReadOptions.delimiter(from: delimiter) == nil {
            throw ValidationError("--delimiter '\(delimiter)': expected one ASCII character, or tab, comma, semicolon, pipe or space")
        }
    }

    /// Reads the data file at `path`, matching its feature columns to `model`; notes go to stderr.
    func load(_ path: String, for model: GlassBoxModel) throws -> Dataset {
        var options = CSVReadOptions(labelColumn: labelColumn, idColumn: idColumn, missing: missing)
        options.delimiter = delimiter.flatMap(CSVReadOptions.delimiter(from:))
        if let features { options.featuresFile = URL(fileURLWithPath: features) }
        return try CSVDatasetReader.read(URL(fileURLWithPath: path), options: options,
                                         expecting: FeatureExpectation(model: model), notes: Diagnostics.note)
    }
}

extension MissingPolicy: ExpressibleByArgument {}

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
    @Option(name: .long, help: ArgumentHelp("Only rows A (inclusive) to B (exclusive), 0-based, e.g. 0:10000 — to split a large data set over jobs.", valueName: "A:B"))
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

    func apply(to options: inout ExportOptions, rows: Range<Int>) {
        options.rows = rows
        options.chunkSize = chunkSize
        options.threads = threads
    }

    /// The rows of `dataset` to use: exits 2 naming --rows unless 0 ≤ A < B ≤ n.
    func range(of dataset: Dataset) throws -> Range<Int> {
        try rows?.range(sampleCount: dataset.sampleCount) ?? 0..<dataset.sampleCount
    }
}

extension RowSpan: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension ContributionFormat: ExpressibleByArgument {}
