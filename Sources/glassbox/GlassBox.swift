import ArgumentParser
import GlassBoxCore

@main
struct GlassBox: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glassbox",
        abstract: "Explore exact Glass Box UMAP feature contributions in the terminal."
    )
}
