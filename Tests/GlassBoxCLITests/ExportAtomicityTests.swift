import Foundation
import XCTest

/// `glassbox export` killed with SIGKILL — no handler runs — at every step of writing and
/// swapping in its output, and at moments spread over a whole run: `--out` is always exactly
/// the earlier export or exactly the new one, never a mix, and the next run sweeps what the
/// killed one left beside it.
final class ExportAtomicityTests: XCTestCase {
    var base: URL!
    var data: URL!

    override func setUpWithError() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-kill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        data = try CLI.repeatedSample(copies: 3, in: base)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: base)
    }

    func arguments(_ out: URL, _ extra: [String]) -> [String] {
        [
            "export", "--model", "SampleData/pbmc68k/model.pt", "--data", data.path, "--id-column", "cell",
            "--label-column", "bulk_labels", "--out", out.path, "--quiet",
        ] + extra
    }

    /// The earlier export: fewer rows, other files (the plots) and another --top.
    let old = ["--rows", "0:1000", "--plots", "--top", "5"]
    /// The new one.
    let new = ["--top", "3"]

    func snapshot(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
            out[name] = try Data(contentsOf: dir.appendingPathComponent(name))
        }
        return out
    }

    func leftovers(_ out: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []).filter {
            $0.hasPrefix(".\(out.lastPathComponent).glassbox-")
        }
    }

    func start(_ args: [String], killAt point: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = args
        process.currentDirectoryURL = CLI.packageRoot
        var env = ProcessInfo.processInfo.environment
        env["GLASSBOX_KILL_AT"] = point
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Puts the earlier export back at `out`, as a completed run of it would leave it.
    func reset(_ out: URL, to reference: URL) throws {
        try? FileManager.default.removeItem(at: out)
        try FileManager.default.copyItem(at: reference, to: out)
    }

    func testAKilledExportNeverLeavesAMixedDirectory() throws {
        // References: the old and the new export, each run to completion on its own.
        let oldRef = base.appendingPathComponent("old-ref"), newRef = base.appendingPathComponent("new-ref")
        XCTAssertEqual(try CLI.run(arguments(oldRef, old)).status, 0)
        let began = Date()
        XCTAssertEqual(try CLI.run(arguments(newRef, new)).status, 0)
        let duration = Date().timeIntervalSince(began)
        let oldFiles = try snapshot(oldRef), newFiles = try snapshot(newRef)
        XCTAssertTrue(oldFiles.keys.contains("embedding.svg") && !newFiles.keys.contains("embedding.svg"))
        let out = base.appendingPathComponent("out")

        // Killed at each named step: before the swap the old export, after it the new one.
        for (point, expected) in [("staged", oldFiles), ("files-written", oldFiles), ("before-swap", oldFiles), ("swapped", newFiles)] {
            try reset(out, to: oldRef)
            let process = try start(arguments(out, new), killAt: point)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal, point)
            XCTAssertEqual(process.terminationStatus, SIGKILL, point)
            XCTAssertTrue(
                try snapshot(out) == expected, "killed at \(point): --out is not exactly the \(expected == oldFiles ? "old" : "new") export"
            )
            XCTAssertFalse(leftovers(out).isEmpty, "killed at \(point): its staging is left for the next run")
        }

        // Killed at moments spread over a whole run (and a little past it).
        let trials = 12
        var sawOld = 0, sawNew = 0
        for trial in 0..<trials {
            try reset(out, to: oldRef)
            let process = try start(arguments(out, new))
            usleep(useconds_t(duration * 1.2 * Double(trial) / Double(trials - 1) * 1e6))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = try snapshot(out)
            if now == oldFiles {
                sawOld += 1
            } else if now == newFiles {
                sawNew += 1
            } else {
                XCTFail("trial \(trial): --out mixes the two exports: \(now.keys.sorted())")
            }
        }
        print("kill trials: \(sawOld) left the old export, \(sawNew) the new one")
        XCTAssertGreaterThan(sawOld, 0, "no kill landed before the swap")

        // The next run completes, and sweeps every dead run's staging.
        XCTAssertEqual(try CLI.run(arguments(out, new)).status, 0)
        XCTAssertTrue(try snapshot(out) == newFiles)
        XCTAssertEqual(leftovers(out), [])
    }
}
