import Foundation
import XCTest

/// The bundled samples as command-line arguments, and scratch directories, for the CLI tests.
enum SampleArguments {
    static let pbmc = [
        "--model", "SampleData/pbmc68k/model.pt", "--data", "SampleData/pbmc68k/data.csv",
        "--id-column", "cell", "--label-column", "bulk_labels",
    ]
    static let wine = [
        "--model", "SampleData/wine/model.pt", "--data", "SampleData/wine/data.csv",
        "--id-column", "sample", "--label-column", "class",
    ]
}

extension XCTestCase {
    /// A fresh directory named after `prefix`, removed by the test's teardown.
    func scratchDirectory(_ prefix: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-cli-\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// The names in `dir`, sorted.
    func listing(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }
}
