import Foundation
import XCTest
@testable import GlassBoxCore
import GlassBoxTestSupport

/// A path that is not a regular file is refused saying what it is (issue #12: a FIFO given as
/// `--features` said "You don't have permission", a symlink loop as `--model` "no such file").
final class FileKindTests: XCTestCase {
    private var tmp: URL!

    override func setUpWithError() throws { tmp = try FormatsSupport.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    private func message(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        inputErrorMessage(body, file: file, line: line)
    }

    func testASymlinkLoopIsNamedAsSuch() throws {
        let a = tmp.appendingPathComponent("a"), b = tmp.appendingPathComponent("b")
        try FileManager.default.createSymbolicLink(atPath: a.path, withDestinationPath: b.path)
        try FileManager.default.createSymbolicLink(atPath: b.path, withDestinationPath: a.path)
        XCTAssertTrue(message { _ = try ModelFile.load(a) }.hasSuffix("a: too many levels of symbolic links"))
        XCTAssertTrue(message { _ = try TorchCheckpoint.load(contentsOf: a) }.hasSuffix("a: too many levels of symbolic links"))
        XCTAssertTrue(message { _ = try CSVReadOptions.loadFeatureList(from: a) }.hasSuffix("a: too many levels of symbolic links"))
        XCTAssertTrue(message { _ = try FeatureNames.read(a, expecting: 1) }.hasSuffix("a: too many levels of symbolic links"))
    }

    func testFIFOsAndDevicesAreNamedAsSuch() throws {
        let fifo = tmp.appendingPathComponent("names")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        XCTAssertTrue(
            message { _ = try CSVReadOptions.loadFeatureList(from: fifo) }
                .hasSuffix("names: is a FIFO (named pipe), expected a file listing feature names"))
        XCTAssertTrue(message { _ = try FeatureNames.read(fifo, expecting: 1) }.hasSuffix("names: is a FIFO (named pipe), expected a file"))
        let zero = URL(fileURLWithPath: "/dev/zero")
        XCTAssertEqual(
            message { _ = try CSVReadOptions.loadFeatureList(from: zero) },
            "/dev/zero: is a character device, expected a file listing feature names")
        XCTAssertEqual(message { _ = try ModelFile.load(zero) }, "/dev/zero: is a character device, expected a model file")
        XCTAssertEqual(
            message { _ = try TorchCheckpoint.load(contentsOf: zero) }, "/dev/zero: is a character device, expected a model file")
        XCTAssertEqual(message { _ = try ModelFile.load(URL(fileURLWithPath: "/nonexistent/m.pt")) }, "/nonexistent/m.pt: no such file")
    }
}
