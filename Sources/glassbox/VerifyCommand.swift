import ArgumentParser
import Foundation
import GlassBoxCore

/// `glassbox verify`: does f(x) = J(x)·x hold on this data?
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compute every sample's Jacobian and check that it reconstructs the embedding.",
        discussion: """
        Prints upstream's JacobianVerification (z_range, reconstruction_range, max_error, \
        mean_error, relative_error). Exits 0 when relative_error ≤ --tolerance, 1 when not, \
        2 when an input cannot be used.
        """
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var computeOptions: ComputeOptions

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .long, help: "No progress bar on stderr.")
    var quiet = false

    func run() throws {
        let model = try modelOptions.load()
        let dataset = try dataOptions.load(for: model)
        let progress = ProgressBar(label: "verifying", total: dataset.sampleCount, enabled: !quiet)
        let result: VerificationRun
        switch computeOptions.precision {
        case .single: result = try VerificationRun.compute(ContributionEngine<Float>(model: model), dataset, progress: progress.update)
        case .double: result = try VerificationRun.compute(ContributionEngine<Double>(model: model), dataset, progress: progress.update)
        }
        progress.finish()
        let report = VerificationReport(verification: result.verification, worst: result.worst, dataset: dataset,
                                        tolerance: computeOptions.tolerance, precision: computeOptions.precision)
        print(json ? report.json : report.text)
        if !report.passed { throw ExitCode(1) }
    }
}

/// The verification of a whole dataset, plus its worst samples.
struct VerificationRun {
    var verification: JacobianVerification
    /// (row, reconstruction error), worst first.
    var worst: [(row: Int, error: Double)]

    static func compute<T: BLASScalar>(_ engine: ContributionEngine<T>, _ dataset: Dataset, progress: @escaping (Int, Int) -> Void) throws -> VerificationRun {
        var accumulator = VerificationAccumulator()
        var errors = [Double](repeating: 0, count: dataset.sampleCount)
        try engine.run(dataset.values, outputs: [], progress: progress) { chunk in
            for (i, e) in accumulator.add(chunk).enumerated() { errors[chunk.rows.lowerBound + i] = e }
        }
        let worst = TopK.indices(count: errors.count, k: 5) { errors[$0] }.map { (row: $0, error: errors[$0]) }
        return VerificationRun(verification: accumulator.result, worst: worst)
    }
}
