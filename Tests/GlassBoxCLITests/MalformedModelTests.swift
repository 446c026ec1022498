import Foundation
import XCTest

/// Every file of the malformed-model corpus (Tests/GlassBoxCoreTests/Fixtures/malformed) makes
/// each model-reading command exit 2 with a message naming the file — never crash or hang.
final class MalformedModelTests: XCTestCase {
    private let corpus = "Tests/GlassBoxCoreTests/Fixtures/malformed/"

    private func cases() throws -> [(String, String)] {
        let data = try Data(contentsOf: CLI.packageRoot.appendingPathComponent(corpus + "expected.json"))
        let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: String])
        return expected.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    func testInspectAndConvertExitTwoNamingTheFile() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-malformed-\(UUID().uuidString).safetensors")
        for (name, fragment) in try cases() {
            let model = corpus + name
            for args in [["inspect", "--model", model], ["convert", model, out.path]] {
                let r = try CLI.run(args)
                XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(model.trimmingCharacters(in: ["/"])), "\(args) should name the file: \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(fragment), "\(args) should say \(fragment): \(r.stderr)")
                XCTAssertTrue(r.stdout.isEmpty, "\(args) printed \(r.stdout)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        }
    }

    /// The upstream-written checkpoint whose pickle calls `os.system("touch …")`: refused by
    /// name at its GLOBAL, so nothing runs and nothing is written.
    func testCodeExecutingCheckpointIsRefusedBeforeAnythingRuns() throws {
        let marker = "/tmp/glassbox-pwned-checkpoint-fixture"
        try? FileManager.default.removeItem(atPath: marker)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-evil-\(UUID().uuidString).safetensors")
        let evil = "Tests/GlassBoxCoreTests/Fixtures/checkpoints/evil_system.pt"
        for args in [["convert", evil, out.path], ["inspect", "--model", evil]] {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("refusing to load global 'posix.system'"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "the payload ran")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testVerifyExitsTwoOnAFewOfThem() throws {
        for name in ["st_nan_weight.safetensors", "dir_shape_mismatch/", "pt_truncated.pt"] {
            let r = try CLI.run(["verify", "--model", corpus + name, "--data", "SampleData/wine/data.csv"])
            XCTAssertEqual(r.status, 2, "\(name): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(name.trimmingCharacters(in: ["/"])), r.stderr)
        }
    }
}
