import ArgumentParser
import Foundation
import GlassBoxCore

@main
struct GlassBox: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glassbox",
        abstract: "Explore exact Glass Box UMAP feature contributions in the terminal.",
        discussion: """
            glassbox opens a model saved by glass-box-umap's GlassBoxUMAP.save() and a CSV of samples, \
            computes every sample's exact Jacobian, and shows each feature's contribution \
            C[j,f] = J[j,f]·(x[f] − μ[f]) (μ: the training mean), which sums exactly to embedding coordinate j.
            """,
        version: GlassBoxVersion.string,
        subcommands: [
            ExploreCommand.self, VerifyCommand.self, ExportCommand.self, MergeCommand.self, InspectCommand.self, ConvertCommand.self,
        ],
        defaultSubcommand: ExploreCommand.self
    )

    /// Unusable input — a bad file or flag value — exits with status 2 and a message naming
    /// the file and place; `--help` and `--version` exit 0.
    static func main() {
        // While single-threaded (see `BLASLibrary.load`); commands that compute call it again
        // and report a missing library.
        try? BLASLibrary.load()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            Diagnostics.fail(error.description)
        } catch let error as OpenBLASMissing {
            Diagnostics.fail(error.description)
        } catch let error as ExitCode {
            // Qualified: inside ParsableCommand, a bare `exit` names its static `exit(withError:)`.
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code == .failure {
                exit(withError: error)
            }
            Diagnostics.fail(fullMessage(for: error))
        }
    }
}

enum GlassBoxVersion {
    static let string = "0.1.0"
}

/// Messages on stderr, prefixed so they stand out in pipelines; display-safe, since they
/// quote column names, cells and keys from the user's files.
enum Diagnostics {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("glassbox: \(DisplaySafe.text(message, keepingNewlines: true))\n".utf8))
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("glassbox: error: \(DisplaySafe.text(message, keepingNewlines: true))\n".utf8))
        exit(2)
    }
}
