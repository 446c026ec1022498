import ArgumentParser
import Foundation
import GlassBoxCore

/// `glassbox convert`: a model from any format glassbox reads into a portable one.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a model to .safetensors or an encoder directory, bit for bit.",
        discussion: """
            IN may be upstream's .pt checkpoint, a .safetensors file or an encoder directory. \
            OUT ending in .safetensors gets a safetensors file (loadable by Python's safetensors); \
            any other OUT gets an encoder directory: encoder.json plus one CSV per tensor. \
            Every weight keeps its dtype and exact value. The output is written atomically.
            """
    )

    @Argument(help: ArgumentHelp("The model to read (.pt, .safetensors or an encoder directory).", valueName: "in"))
    var input: String

    @Argument(help: ArgumentHelp("Where to write: a path ending in .safetensors, or a directory to create.", valueName: "out"))
    var output: String

    @Option(
        name: .customLong("feature-names"),
        help: ArgumentHelp(
            "A file with one feature name per line, in the model's input order, stored in the output so datasets are matched by column name.",
            valueName: "path"))
    var featureNames: String?

    @Flag(name: .long, help: "Replace OUT if it exists (a file, or an encoder directory).")
    var force = false

    func run() throws {
        var model = try ModelFile.load(URL(fileURLWithPath: input))
        if let featureNames {
            model.featureNames = try FeatureNames.read(URL(fileURLWithPath: featureNames), expecting: model.featureCount)
        }
        let format = ModelFile.Format(forPath: output)
        try ModelFile.save(model, to: URL(fileURLWithPath: output), format: format, force: force)
        let what = format == .safetensors ? "safetensors file" : "encoder directory"
        let names = model.featureNames == nil ? "" : ", with feature names"
        print(
            "wrote \(output): \(what), \(model.encoder.layers.count) layers, \(model.parameterCount) parameters, \(model.featureCount) features\(names)"
        )
    }
}
