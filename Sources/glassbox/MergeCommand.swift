import ArgumentParser
import Foundation
import GlassBoxCore

/// `glassbox merge`: the parts of a split export (`export --rows A:B`, one per job) into the
/// export of all their rows.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine exports of row ranges (--rows) into the export of all their rows, exactly.",
        discussion: """
            Each PART is a directory `glassbox export --rows A:B` wrote. The parts must come from \
            the same model, data file and settings (a part that differs is named), and their rows \
            must cover the data once: a range no part covers is named (rows A:B missing), as are \
            rows in two parts. The .npy and CSV files are streamed one after another — the arrays \
            are bit for bit those of one export of all the rows — and groups.csv, \
            verification.json and the plots are recomputed from the parts' statistics.json and \
            group_sums.npy. Like an export, the merged export is built beside --out and swapped in \
            whole. Exits 0 on success, 1 when the merged verification misses the parts' \
            --tolerance, 2 when a part cannot be used.
            """
    )

    @Argument(help: ArgumentHelp("The part exports, in any order (e.g. parts/*).", valueName: "part"))
    var parts: [String]

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The merged export's directory: created, or replaced as a whole if it holds an earlier export.", valueName: "dir"))
    var out: String

    @Flag(name: .long, help: "Replace --out even if it is not a glassbox export, deleting everything in it.")
    var force = false

    @Flag(
        name: .long,
        help: "Accept parts covering a run of rows short of the whole data, to merge in stages (they must still be contiguous).")
    var partial = false

    @Flag(name: .long, help: "No progress bar on stderr.")
    var quiet = false

    /// Phase times on stderr, for profiling.
    @Flag(name: .long, help: .hidden)
    var timings = false

    func validate() throws {
        guard !parts.isEmpty else { throw ValidationError("expected one or more part directories") }
    }

    func run() throws {
        let token = CancellationToken()
        Interrupts.install(token: token)
        var options = MergeOptions(directory: URL(fileURLWithPath: out))
        options.force = force
        options.partial = partial
        let progress = ProgressBar(label: "merging", enabled: !quiet, unit: .bytes)
        let result: ExportResult
        do {
            result = try ExportMerger.run(
                parts: parts.map { URL(fileURLWithPath: $0) }, options: options, token: token, progress: progress.update)
        } catch is EngineCancelled {
            Interrupts.awaitExit()
        } catch let error as MergeCoverageError {
            Diagnostics.fail(error.description)
        }
        progress.finish()
        if timings {
            Diagnostics.note(
                "timings (wall/CPU): "
                    + result.phases.map { String(format: "%@ %.2f/%.2f s", $0.name, $0.seconds, $0.cpu) }.joined(separator: ", "))
        }
        let v = result.verification
        let verdict = result.report.passed ? "PASS" : "FAIL, > tolerance \(formatValue(result.report.tolerance))"
        print(
            "merged \(parts.count) part\(parts.count == 1 ? "" : "s") (rows \(result.rows.lowerBound):\(result.rows.upperBound), \(result.rows.count) samples) "
                + "to \(out)/ in \(String(format: "%.2f", result.seconds)) s: \(result.files.joined(separator: ", ")); "
                + "relative_error \(formatValue(v.relativeError)) \(verdict)")
        if !result.report.passed { throw ExitCode(1) }
    }
}
