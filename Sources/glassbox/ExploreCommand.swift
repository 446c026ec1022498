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
    // declared here rather than through ModelOptions and DataOptions.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A model: the .pt file GlassBoxUMAP.save() writes, a .safetensors file or an encoder directory. Default: the bundled pbmc68k sample.",
            valueName: "path"))
    var model: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Samples: an AnnData .h5ad file, or CSV/TSV (optionally .gz) with a header, then one row per sample. Default: the bundled sample's data.h5ad (with --label-column bulk_labels).",
            valueName: "path"))
    var data: String?

    @OptionGroup var reading: DataReadingOptions

    @OptionGroup var setOptions: FeatureSetOptions

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
        if compute.precision != .single {
            throw ValidationError(
                "--precision \(compute.precision.rawValue): the explorer computes in single precision (float32, as upstream); "
                    + "use 'glassbox verify --precision double' for a float64 check")
        }
        if let threads, threads < 1 {
            throw ValidationError("--threads \(threads): expected at least 1")
        }
    }

    func run() throws {
        try BLASLibrary.load()
        let (modelOptions, dataOptions, setOptions) = try resolvedOptions()
        let inputs = ExplorerInputs(
            modelPath: modelOptions.model, dataPath: dataOptions.data,
            loadModel: { try modelOptions.load() },
            loadData: { model, _ in try dataOptions.load(for: model) },
            loadSets: { names in try setOptions.read(featureNames: names) })
        do {
            try ExplorerLauncher.run(
                inputs, options: ExplorerLauncher.Options(mouse: !noMouse, threads: threads, tolerance: compute.tolerance))
        } catch let error as ExplorerError {
            Diagnostics.fail(error.description)
        }
    }

    /// The model, data and set options, from this command's flags or the bundled sample (with
    /// its marker gene sets, as `make run` opens it).
    func resolvedOptions() throws -> (ModelOptions, DataOptions, FeatureSetOptions) {
        var model = self.model, data = self.data
        var reading = self.reading
        var sets = setOptions
        if model == nil {
            guard let sample = BundledSample.locate() else {
                Diagnostics.fail(
                    "no --model/--data given, and the bundled sample (\(BundledSample.directory)) is not in the working directory "
                        + "or beside the executable; pass --model and --data")
            }
            model = BundledSample.display(sample.appendingPathComponent("model.pt"))
            data = BundledSample.display(sample.appendingPathComponent(BundledSample.dataFile))
            reading.idColumn = reading.idColumn ?? BundledSample.idColumn
            reading.labelColumn = reading.labelColumn ?? BundledSample.labelColumn
            let markers = sample.appendingPathComponent(BundledSample.setsFile)
            if sets.featureSets == nil, FileManager.default.fileExists(atPath: markers.path) {
                sets.featureSets = BundledSample.display(markers)
            }
        }
        var dataOptions = try DataOptions.parse(["--data", data!])
        dataOptions.reading = reading
        return (try ModelOptions.parse(["--model", model!]), dataOptions, sets)
    }
}
