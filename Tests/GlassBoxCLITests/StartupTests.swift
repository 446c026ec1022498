import Foundation
import XCTest

/// What every run pays before it does anything.
final class StartupTests: XCTestCase {
    /// Linked, OpenBLAS would start its thread pool before `main` and spin ~0.1 s of CPU on
    /// every run; glassbox opens it at run time with one thread instead (see `OpenBLAS`).
    func testOpenBLASIsNotLinkedButStillUsed() throws {
        #if os(Linux)
        let ldd = Process()
        ldd.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        ldd.arguments = [CLI.binary.path]
        let pipe = Pipe()
        ldd.standardOutput = pipe
        try ldd.run()
        let linked = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ldd.waitUntilExit()
        XCTAssertEqual(ldd.terminationStatus, 0, linked)
        XCTAssertTrue(linked.contains("libc.so"), linked)
        XCTAssertFalse(linked.contains("openblas"), "glassbox links OpenBLAS at build time:\n\(linked)")

        // And the computation still finds it.
        let r = try CLI.run(["verify", "--model", "SampleData/wine/model.pt", "--data", "SampleData/wine/data.csv", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("PASS"), r.stdout)
        #else
        throw XCTSkip("ldd is Linux-only")
        #endif
    }
}
