import Foundation
import XCTest
@testable import GlassBoxCore

/// `DirectFileWriter`: pieces written at any offsets, in any order, from several threads, give
/// exactly the intended file — whether the writes go around the page cache or through it.
final class DirectFileWriterTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-direct-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `expected` cut at `cuts` (byte offsets), the pieces shuffled and spread over
    /// threads, and returns what the file holds afterwards.
    func roundTrip(_ expected: [UInt8], cuts: [Int], direct: Bool, threads: Int = 4) throws -> (bytes: [UInt8], wasDirect: Bool) {
        let files = try ExportFiles(directory: directory, force: true)
        let file = try files.create("out.bin")
        let writer = try DirectFileWriter(file: file, size: expected.count, directMinimum: direct ? 0 : .max)
        let bounds = ([0] + cuts.filter { $0 > 0 && $0 < expected.count }.sorted() + [expected.count])
        var pieces = zip(bounds, bounds.dropFirst()).filter { $0 < $1 }.map { $0..<$1 }
        pieces.shuffle()
        let failures = NSLock()
        var errors: [Error] = []
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for piece in stride(from: t, to: pieces.count, by: threads).map({ pieces[$0] }) {
                // A copy at a fresh address, as the engine's chunks are.
                let copy = Array(expected[piece])
                do {
                    try copy.withUnsafeBytes { try writer.write($0, at: piece.lowerBound) }
                } catch {
                    failures.lock(); errors.append(error); failures.unlock()
                }
            }
        }
        if let e = errors.first { throw e }
        try writer.finish()
        let wasDirect = writer.isDirect
        try files.commit()
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent("out.bin")))
        return (bytes, wasDirect)
    }

    func randomBytes(_ n: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        let words = (0..<(n + 7) / 8).map { _ in rng.next() }
        return Array(words.withUnsafeBytes { $0.prefix(n) })
    }

    func testAnyCutsInAnyOrderGiveTheFile() throws {
        let block = DirectFileWriter.blockSize
        let sizes = [
            1, 100, block - 1, block, block + 1, 3 * block + 17, (1 << 20) + 123,
            DirectFileWriter.stagingSize * 2 + block + 5,
        ]
        for size in sizes {
            let expected = randomBytes(size)
            var cutSets: [[Int]] = [[], (0..<20).map { _ in Int.random(in: 0..<size) }]
            // Rows of an .npy: a 128-byte header, then equal rows that straddle blocks.
            cutSets.append([128] + stride(from: 128, to: size, by: 16_000).map { $0 })
            // Cuts next to block boundaries, and pieces that fill one block from both sides.
            cutSets.append(stride(from: block, to: size, by: block).flatMap { [$0 - 1, $0, $0 + 1] })
            for cuts in cutSets {
                for direct in [true, false] {
                    let got = try roundTrip(expected, cuts: cuts, direct: direct)
                    XCTAssertEqual(got.bytes.count, size, "size \(size), direct \(direct)")
                    XCTAssertTrue(got.bytes == expected, "size \(size), \(cuts.count) cuts, direct \(direct)")
                }
            }
        }
    }

    /// Where the file system takes O_DIRECT (ext4, xfs, btrfs; tmpfs since Linux 6.6), the
    /// writer must use it — that is its reason to exist.
    func testWritesGoAroundThePageCacheWhereTheFileSystemAllows() throws {
        #if os(Linux)
        let probe = directory.appendingPathComponent("probe")
        XCTAssertTrue(FileManager.default.createFile(atPath: probe.path, contents: Data()))
        let fd = open(probe.path, O_WRONLY | GlassBoxCore.O_DIRECT)
        guard fd >= 0 else { throw XCTSkip("\(directory.path) does not take O_DIRECT") }
        close(fd)
        let expected = randomBytes(5 * DirectFileWriter.blockSize + 999)
        let got = try roundTrip(expected, cuts: [77, 9000, 12_288], direct: true)
        XCTAssertTrue(got.wasDirect, "O_DIRECT opened but the writer fell back to the page cache")
        XCTAssertTrue(got.bytes == expected)
        #else
        throw XCTSkip("O_DIRECT is Linux-only")
        #endif
    }

    func testAnEmptyFileAndAnUnfinishedOne() throws {
        XCTAssertEqual(try roundTrip([], cuts: [], direct: true).bytes, [])
        // Nothing written: `finish()` is never reached and discard leaves no file.
        let files = try ExportFiles(directory: directory, force: true)
        let file = try files.create("half.bin")
        let writer = try DirectFileWriter(file: file, size: 10_000, directMinimum: 0)
        try [UInt8](repeating: 1, count: 5000).withUnsafeBytes { try writer.write($0, at: 0) }
        files.discard()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("half") }, [])
    }

    /// Export's .npy files: a header of one block (so rows start on block boundaries) that
    /// still reads as the array, rows arriving in any order, room made window by window and
    /// the shape written at the end.
    func testStreamedNPYHasABlockHeaderAndReadsBack() throws {
        let files = try ExportFiles(directory: directory, force: true)
        let writer = try NPYStreamWriter(file: files.create("c.npy"), dtype: .float32, rowShape: [2, 3], rows: 3)
        XCTAssertEqual(NPYStreamWriter.headerSize, DirectFileWriter.blockSize)
        let values = (0..<42).map { Float($0) * 0.5 - 3 }
        try writer.write(Array(values[0..<18]), firstRow: 0)
        try writer.reserve(rows: 7)
        for (first, count) in [(5, 2), (3, 2)] {
            try writer.write(Array(values[(first * 6)..<((first + count) * 6)]), firstRow: first)
        }
        try writer.finish(rows: 7)
        try files.commit()
        let data = try Data(contentsOf: directory.appendingPathComponent("c.npy"))
        XCTAssertEqual(data.count, DirectFileWriter.blockSize + 42 * 4)
        XCTAssertEqual(data[4095], UInt8(ascii: "\n"), "the header ends with a newline at the block's end")
        let array = try NPY.parse(data, file: "c.npy")
        XCTAssertEqual(array.shape, [7, 2, 3])
        XCTAssertEqual(array.values, values.map(Double.init))
    }
}
