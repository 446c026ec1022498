import ArgumentParser
import Foundation
import GlassBoxCore

/// `glassbox inspect`: what a model file holds.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model's layers, dimensions, parameter count and training attributes."
    )

    @OptionGroup var modelOptions: ModelOptions

    /// Print one JSON object instead of text.
    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let model = try modelOptions.load()
        let report = ModelReport(model: model, file: modelOptions.model)
        print(json ? report.json : report.text)
    }
}
