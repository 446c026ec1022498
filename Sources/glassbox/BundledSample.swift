import Foundation

/// The pbmc68k sample that `glassbox` opens when run without arguments: found next to the
/// working directory or above the executable (`.build/<config>/glassbox` → the package root).
enum BundledSample {
    static let directory = "SampleData/pbmc68k"
    /// The same cells as data.csv, as AnnData (what single-cell users hold).
    static let dataFile = "data.h5ad"
    static let idColumn = "cell"
    static let labelColumn = "bulk_labels"
    /// Immune cell-type marker genes (SampleData/README.md gives each list's source).
    static let setsFile = "markers.gmt"

    /// The sample's folder, or nil when neither place holds it.
    static func locate(fileManager: FileManager = .default) -> URL? {
        var candidates = [URL(fileURLWithPath: fileManager.currentDirectoryPath)]
        // The path as invoked (keeps `.build/release`), then the resolved binary.
        if let arg0 = CommandLine.arguments.first, arg0.contains("/") {
            candidates.append(URL(fileURLWithPath: arg0).deletingLastPathComponent())
        }
        if let exe = Bundle.main.executableURL {
            candidates.append(exe.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for start in candidates {
            var dir = start.standardizedFileURL
            for _ in 0..<6 {
                let sample = dir.appendingPathComponent(directory)
                if fileManager.fileExists(atPath: sample.appendingPathComponent("model.pt").path),
                    fileManager.fileExists(atPath: sample.appendingPathComponent(dataFile).path)
                {
                    return sample
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    /// A path to show: relative to the working directory when inside it.
    static func display(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
    }
}
