import ArgumentParser
import Foundation
import GlassBoxCore

/// `glassbox verify`: does f(x) = J(x)·x hold on this data? The same code path as `export`
/// (the `Exporter`), writing no files.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compute every sample's Jacobian and check that it reconstructs the embedding.",
        discussion: """
            Prints upstream's JacobianVerification (z_range, reconstruction_range, max_error, \
            mean_error, relative_error). With --feature-sets FILE, also says whether the sets \
            partition the features and, when they do not overlap, checks that their contributions \
            with the remainder (the features in no set) add up to z: sets_max_error, \
            sets_mean_error, sets_relative_error. Exits 0 when the relative errors are \
            ≤ --tolerance, 1 when not, 2 when an input cannot be used.
            """
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var computeOptions: ComputeOptions
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var setOptions: FeatureSetOptions

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        MallocTuning.forBatchWork()
        try BLASLibrary.load()
        let model = try modelOptions.load()
        let source = try dataOptions.open(for: model)
        var options = ExportOptions(directory: nil)
        computeOptions.apply(to: &options)
        options.featureSets = try setOptions.load(featureNames: source.featureNames)
        guard try runOptions.apply(to: &options, source: source) else { return }
        let progress = ProgressBar(label: "verifying", enabled: !runOptions.quiet)
        let result: ExportResult
        do {
            result = try Exporter.run(model: model, source: source, options: options, progress: progress.update)
        } catch {
            progress.finish()
            source.notes.forEach(Diagnostics.note)
            throw error
        }
        progress.finish()
        source.notes.forEach(Diagnostics.note)
        print(json ? result.report.json : result.report.text)
        if !result.report.passed { throw ExitCode(1) }
    }
}
