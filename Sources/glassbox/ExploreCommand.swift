import ArgumentParser
import Foundation
import GlassBoxCore
import GlassBoxExplorer

/// `glassbox explore` (and `glassbox` alone): the interactive terminal explorer.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Explore the embedding and every sample's exact feature contributions in the terminal (the default).",
        discussion: """
        Without --model and --data, opens the bundled pbmc68k sample. Press ? inside for the keys, q to quit. \
        Needs an interactive terminal; exits 2 when an input can't be used.
        """
    )

    // --model and --data are optional here (the bundled sample is the default), so they are
    // declared directly; the remaining data options mirror `DataOptions`, which does the reading.
    @Option(name: .long, help: ArgumentHelp("A model: the .pt file GlassBoxUMAP.save() writes, a .safetensors file or an encoder directory. Default: the bundled pbmc68k sample.", valueName: "path"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Samples as CSV/TSV (optionally .gz): a header, then one row per sample. Default: the bundled sample's data.", valueName: "path"))
    var data: String?

    @Option(name: .customLong("id-column"), help: ArgumentHelp("The column holding sample ids (default: the row number; 'cell' for the sample).", valueName: "name"))
    var idColumn: String?

    @Option(name: .customLong("label-column"), help: ArgumentHelp("The column holding group labels (default: a column named label, cell_type, celltype, group, class or cluster; 'bulk_labels' for the sample).", valueName: "name"))
    var labelColumn: String?

    @Option(name: .long, help: ArgumentHelp("A file listing the feature columns, one per line, in the model's input order.", valueName: "path"))
    var features: String?

    @Option(name: .long, help: ArgumentHelp("The field delimiter: a character, or tab/comma/semicolon (default: detected).", valueName: "char"))
    var delimiter: String?

    @Option(name: .long, help: ArgumentHelp("Missing cells (empty, NA, NaN): error, zero or drop.", valueName: "policy"))
    var missing: MissingPolicy = .error

    @Option(name: .customLong("max-memory"), help: ArgumentHelp("Most memory the data's values may take, e.g. 20G (default: four fifths of the memory available).", valueName: "size"))
    var maxMemory: MemoryBudget?

    @Option(name: .long, help: ArgumentHelp("Threads for the background computation (default: all cores).", valueName: "n"))
    var threads: Int?

    @OptionGroup(title: "Verification")
    var compute: ComputeOptions

    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (text selection) instead of clicking samples.")
    var noMouse = false

    func validate() throws {
        if (model == nil) != (data == nil) {
            throw ValidationError("give both --model and --data, or neither to open the bundled sample")
        }
        if let delimiter, CSVReadOptions.delimiter(from: delimiter) == nil {
            throw ValidationError("--delimiter '\(delimiter)': expected one ASCII character, or tab, comma, semicolon, pipe or space")
        }
        if compute.precision != .single {
            throw ValidationError("--precision \(compute.precision.rawValue): the explorer computes in single precision (float32, as upstream); use 'glassbox verify --precision double' for a float64 check")
        }
        if let threads, threads < 1 {
            throw ValidationError("--threads \(threads): expected at least 1")
        }
    }

    func run() throws {
        try BLASLibrary.load()
        let (modelOptions, dataOptions) = try resolvedOptions()
        let inputs = ExplorerInputs(
            modelPath: modelOptions.model, dataPath: dataOptions.data,
            loadModel: { try modelOptions.load() },
            loadData: { model, _ in try dataOptions.load(for: model) })
        do {
            try ExplorerLauncher.run(inputs, options: ExplorerLauncher.Options(mouse: !noMouse, threads: threads, tolerance: compute.tolerance))
        } catch let error as ExplorerError {
            Diagnostics.fail(error.description)
        }
    }

    /// The shared option groups, filled from this command's flags or the bundled sample.
    func resolvedOptions() throws -> (ModelOptions, DataOptions) {
        var model = self.model, data = self.data
        var idColumn = self.idColumn, labelColumn = self.labelColumn
        if model == nil {
            guard let sample = BundledSample.locate() else {
                Diagnostics.fail("no --model/--data given, and the bundled sample (\(BundledSample.directory)) is not in the working directory or beside the executable; pass --model and --data")
            }
            model = BundledSample.display(sample.appendingPathComponent("model.pt"))
            data = BundledSample.display(sample.appendingPathComponent("data.csv"))
            idColumn = idColumn ?? BundledSample.idColumn
            labelColumn = labelColumn ?? BundledSample.labelColumn
        }
        var dataArguments = ["--data", data!, "--missing", missing.rawValue]
        if let idColumn { dataArguments += ["--id-column", idColumn] }
        if let labelColumn { dataArguments += ["--label-column", labelColumn] }
        if let features { dataArguments += ["--features", features] }
        if let delimiter { dataArguments += ["--delimiter", delimiter] }
        if let maxMemory { dataArguments += ["--max-memory", String(maxMemory.bytes)] }
        return (try ModelOptions.parse(["--model", model!]), try DataOptions.parse(dataArguments))
    }
}
