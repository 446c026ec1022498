import Foundation
import XCTest
@testable import GlassBoxCore

/// `StagedOutput` and `ExportManifest`: an output directory is replaced whole or not at all,
/// what dead runs leave is swept, and only glassbox's own outputs are replaced unasked.
/// (Processes killed at each step: GlassBoxCLITests.ExportAtomicityTests.)
final class StagedOutputTests: XCTestCase {
    typealias S = ExportSupport

    override func tearDown() {
        StagedOutput.exchangeDisabled = false
    }

    func write(_ text: String, _ url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    /// Entries beside `url` that belong to its staging.
    func leftovers(_ url: URL) -> [String] {
        S.listing(url.deletingLastPathComponent()).filter { $0.hasPrefix(StagedOutput.prefix(of: url)) }
    }

    func stage(_ destination: URL, files: [String: String]) throws -> StagedOutput {
        let output = try StagedOutput(destination: destination, kind: .directory, display: destination.lastPathComponent)
        for (name, text) in files { try write(text, output.staging.appendingPathComponent(name)) }
        return output
    }

    func testADirectoryIsCreatedOrReplacedWholeWithOrWithoutAnAtomicExchange() throws {
        for exchange in [true, false] {
            StagedOutput.exchangeDisabled = !exchange
            let out = try S.scratch(self).appendingPathComponent("out")
            try stage(out, files: ["a": "1", "b": "2"]).commit()
            XCTAssertEqual(try S.snapshot(out), ["a": Data("1".utf8), "b": Data("2".utf8)])
            let second = try stage(out, files: ["c": "3"])
            XCTAssertEqual(try S.snapshot(out).count, 2, "the old output stays until the commit")
            try second.commit()
            XCTAssertEqual(try S.snapshot(out), ["c": Data("3".utf8)], "exchange \(exchange): nothing of the old output survives")
            XCTAssertEqual(leftovers(out), [], "exchange \(exchange)")
        }
    }

    func testADiscardedOutputLeavesTheOldOneAndNothingBeside() throws {
        let out = try S.scratch(self).appendingPathComponent("out")
        try stage(out, files: ["a": "1"]).commit()
        let next = try stage(out, files: ["b": "2"])
        XCTAssertEqual(leftovers(out).count, 2, "a staging directory and its lock")
        next.discard()
        next.discard()
        XCTAssertEqual(try S.snapshot(out), ["a": Data("1".utf8)])
        XCTAssertEqual(leftovers(out), [])
        XCTAssertThrowsError(try next.commit())
    }

    func testAFileReplacesAFile() throws {
        for exchange in [true, false] {
            StagedOutput.exchangeDisabled = !exchange
            let out = try S.scratch(self).appendingPathComponent("m.safetensors")
            try write("old", out)
            let output = try StagedOutput(destination: out, kind: .file, display: "m")
            try write("new", output.staging)
            try output.commit()
            XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "new")
            XCTAssertEqual(leftovers(out), [])
        }
    }

    /// What a SIGKILL leaves — a staging directory whose lock nobody holds, in each state it can
    /// be in — is swept by the next run; a live run's staging is left alone.
    func testTheNextRunSweepsWhatDeadRunsLeftButNotWhatLiveOnesHold() throws {
        let base = try S.scratch(self)
        let out = base.appendingPathComponent("out")
        try stage(out, files: ["a": "1"]).commit()
        let prefix = StagedOutput.prefix(of: out)
        let fm = FileManager.default
        // Dead: with an unheld lock file; without one (killed before or after it existed);
        // an earlier `convert`'s temporary names.
        for name in ["00000000000000aa", "00000000000000bb", "tmp-ABCDEF12", "old-0123ABCD"] {
            try fm.createDirectory(at: base.appendingPathComponent(prefix + name), withIntermediateDirectories: false)
            try write("x", base.appendingPathComponent(prefix + name + "/big.npy"))
        }
        try write("", base.appendingPathComponent(prefix + "00000000000000aa.lock"))
        // Alive: its lock is held (here by this process, through another open file).
        let live = base.appendingPathComponent(prefix + "00000000000000cc")
        try fm.createDirectory(at: live, withIntermediateDirectories: false)
        try write("", live.appendingPathExtension("lock"))
        let fd = open(live.appendingPathExtension("lock").path, O_RDWR)
        XCTAssertEqual(flock(fd, LOCK_EX), 0)
        defer { close(fd) }
        // Not ours: another output's name, and a name that only looks similar.
        try write("keep", base.appendingPathComponent(".out.glassbox-x"))
        try write("keep", base.appendingPathComponent(".other.glassbox-00000000000000dd"))

        StagedOutput.sweep(beside: out)
        XCTAssertEqual(
            Set(S.listing(base)),
            [
                "out", ".out.glassbox-x", ".other.glassbox-00000000000000dd",
                prefix + "00000000000000cc", prefix + "00000000000000cc.lock",
            ])
        XCTAssertEqual(try S.snapshot(out), ["a": Data("1".utf8)])
    }

    /// Without an atomic exchange the old output is moved aside first; killed right then, the
    /// destination is missing, and the next run puts the old output back before anything else.
    func testAnOldOutputLeftAsideIsPutBack() throws {
        let base = try S.scratch(self)
        let out = base.appendingPathComponent("out")
        try stage(out, files: ["a": "1"]).commit()
        let aside = base.appendingPathComponent(StagedOutput.prefix(of: out) + "00000000000000ee.old")
        XCTAssertEqual(rename(out.path, aside.path), 0)
        try FileManager.default.createDirectory(
            at: base.appendingPathComponent(StagedOutput.prefix(of: out) + "00000000000000ee"),
            withIntermediateDirectories: false)
        StagedOutput.sweep(beside: out)
        XCTAssertEqual(try S.snapshot(out), ["a": Data("1".utf8)])
        XCTAssertEqual(leftovers(out), [])
    }

    func testALinkedDestinationReplacesItsTarget() throws {
        let base = try S.scratch(self)
        let target = base.appendingPathComponent("real")
        try stage(target, files: ["a": "1"]).commit()
        let link = base.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real")
        try stage(link, files: ["b": "2"]).commit()
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link.path), "real")
        XCTAssertEqual(try S.snapshot(target), ["b": Data("2".utf8)])
    }

    func testAMissingParentIsAnInputError() {
        let out = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/out")
        XCTAssertThrowsError(try StagedOutput(destination: out, kind: .directory, display: "out")) {
            XCTAssertTrue("\($0)".contains("does not exist"), "\($0)")
        }
    }

    // MARK: What an export may replace

    func testAnExportReplacesOnlyEmptyDirectoriesAndItsOwnExportsUnlessForced() throws {
        let (model, dataset) = try S.load(S.wine)
        let base = try S.scratch(self)
        func export(_ dir: URL, force: Bool = false) throws {
            _ = try S.export(model, dataset, to: dir) {
                $0.rows = 0..<20; $0.force = force
            }
        }
        func refusal(_ dir: URL) -> String {
            do { try export(dir); return "" } catch { return "\(error)" }
        }

        let empty = base.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        try export(empty)
        try export(empty)  // its own earlier export

        let unrelated = base.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: unrelated, withIntermediateDirectories: false)
        try write("precious", unrelated.appendingPathComponent("holiday.jpg"))
        XCTAssertTrue(refusal(unrelated).contains("photos: is a directory that is not a glassbox export"), refusal(unrelated))
        XCTAssertEqual(S.listing(unrelated), ["holiday.jpg"])

        try write("mine", empty.appendingPathComponent("notes.txt"))
        XCTAssertTrue(refusal(empty).contains("also holds 'notes.txt', which it did not write"), refusal(empty))
        XCTAssertTrue(S.listing(empty).contains("notes.txt"))

        // An earlier version's interrupted export left partial files beside its own: still ours.
        try FileManager.default.removeItem(at: empty.appendingPathComponent("notes.txt"))
        try write("", empty.appendingPathComponent("contributions.npy.partial-1a2b3c"))
        try export(empty)
        XCTAssertFalse(S.listing(empty).contains("contributions.npy.partial-1a2b3c"))

        try export(unrelated, force: true)
        XCTAssertFalse(S.listing(unrelated).contains("holiday.jpg"))
        XCTAssertTrue(S.listing(unrelated).contains(ExportManifest.file))
    }
}
