import GlassBoxTestSupport
import XCTest
@testable import GlassBoxCore

/// The storage kinds the engine reads through `SampleMatrix`, and the engine's placement of
/// slices (`Dataset.firstRow`) in its blocks.
final class SampleMatrixTests: XCTestCase {
    /// A dense matrix with about a third of its values zero, and the same as CSR.
    private func pair(rows n: Int, cols d: Int, seed: UInt64) -> (Matrix<Float>, SparseRowMatrix) {
        var rng = SplitMix64(seed: seed)
        var dense = [Float](repeating: 0, count: n * d)
        var starts = [0], columns: [Int32] = [], values: [Float] = []
        for i in 0..<n {
            for f in 0..<d where rng.next() % 3 != 0 {
                let v = Float(rng.normal())
                dense[i * d + f] = v
                columns.append(Int32(f))
                values.append(v)
            }
            starts.append(values.count)
        }
        return (
            Matrix(rows: n, cols: d, storage: dense),
            SparseRowMatrix(rowCount: n, columnCount: d, rowStarts: starts, columns: columns, values: values)
        )
    }

    func testSparseRowsDensifyAsTheDenseMatrix() throws {
        let (dense, sparse) = pair(rows: 50, cols: 9, seed: 7)
        XCTAssertEqual(try sparse.dense(), dense)
        try sparse.withRows(13..<20) { p in
            XCTAssertEqual(Array(UnsafeBufferPointer(start: p, count: 7 * 9)), Array(dense.storage[(13 * 9)..<(20 * 9)]))
        }
        for c in [0, 4, 8] { XCTAssertEqual(try sparse.column(c), try DenseMatrix(dense).column(c)) }
        var gathered = [Float](repeating: -1, count: 4 * 9)
        try gathered.withUnsafeMutableBufferPointer { try sparse.gather([3, 4, 40, 3] as [Int32], into: $0.baseAddress!) }
        XCTAssertEqual(gathered, [3, 4, 40, 3].flatMap { dense.row($0) })
    }

    func testDuplicateSparseEntriesAddUpAsInScipy() throws {
        let m = SparseRowMatrix(rowCount: 2, columnCount: 3, rowStarts: [0, 3, 3], columns: [2, 0, 2], values: [1.5, 1, 2])
        XCTAssertEqual(try m.dense().storage, [1, 0, 3.5, 0, 0, 0])
        XCTAssertEqual(try m.column(2), [3.5, 0])
    }

    func testChunksLineUpWithTheWholeFromAnyOrigin() {
        XCTAssertEqual(ParallelChunks.split(0..<10, size: 4), [0..<4, 4..<8, 8..<10])
        // A slice starting at file row 6 is cut where the whole file is: at 8 and 12.
        XCTAssertEqual(ParallelChunks.split(0..<9, size: 4, origin: 6), [0..<2, 2..<6, 6..<9])
        XCTAssertEqual(ParallelChunks.split(5..<5, size: 4), [])
    }

    /// The engine reads sparse storage bit for bit as dense storage, and a slice read on its
    /// own (row 0 = file row A) gives bit for bit what rows A..<B of the whole give.
    func testEngineOnSparseStorageAndOnSlices() throws {
        var rng = SplitMix64(seed: 11)
        // Sizes at which GEMM kernels round rows by their place in a block.
        let d = 120
        let encoder = try RandomNetworks.deepPReLU(input: 50, hidden: 64, layers: 3, rng: &rng)
        let model = try RandomNetworks.model(encoder: encoder, features: d, rng: &rng)
        let (dense, sparse) = pair(rows: 300, cols: d, seed: 12)
        let engine = ContributionEngine<Float>(model: model)
        func all(_ data: any SampleMatrix, origin: Int = 0, chunk: Int) throws -> ContributionChunk<Float> {
            var parts: [ContributionChunk<Float>] = []
            try engine.run(data, origin: origin, outputs: [.contributions, .pcaContributions], chunkSize: chunk, threads: 2) {
                parts.append($0)
            }
            parts.sort { $0.rows.lowerBound < $1.rows.lowerBound }
            var c = parts[0]
            for p in parts.dropFirst() {
                c.embedding += p.embedding
                c.jacobian += p.jacobian
                c.contributions! += p.contributions!
                c.pcaContributions! += p.pcaContributions!
            }
            return c
        }
        let whole = try all(DenseMatrix(dense), chunk: 64)
        let fromSparse = try all(sparse, chunk: 50)
        XCTAssertEqual(fromSparse.contributions!, whole.contributions!)
        XCTAssertEqual(fromSparse.jacobian, whole.jacobian)
        XCTAssertEqual(try engine.embed(sparse), whole.embedding)

        // Rows 101..<250 held on their own, as a --rows slice reads them.
        let slice = DenseMatrix(dense.rows(101..<250))
        let part = try all(slice, origin: 101, chunk: 64)
        let m = 2
        XCTAssertEqual(part.embedding, Array(whole.embedding[(101 * m)..<(250 * m)]))
        XCTAssertEqual(part.contributions!, Array(whole.contributions![(101 * m * d)..<(250 * m * d)]))
        XCTAssertEqual(try engine.embed(slice, origin: 101), Array(whole.embedding[(101 * m)..<(250 * m)]))
        // Whether a misplaced slice rounds differently depends on the CPU's GEMM kernels (on
        // AVX-512 OpenBLAS these sizes round alike), so the placement itself is checked: the
        // slice's chunks end where the whole file's do, and its blocks sit at file positions.
        var chunks: [Range<Int>] = []
        try engine.run(slice, origin: 101, outputs: [], chunkSize: 64) { chunks.append($0.rows) }
        XCTAssertEqual(chunks.sorted { $0.lowerBound < $1.lowerBound }, [0..<27, 27..<91, 91..<149])
        XCTAssertEqual(engine.alignedBlocks(101..<250), [101..<192, 192..<250])
    }

    /// An unreadable row stops a run with the reader's error.
    func testReadErrorsStopTheRun() throws {
        final class Failing: SampleMatrix {
            let rowCount = 200, columnCount = 30
            func withRows<R>(_ rows: Range<Int>, _ body: (UnsafePointer<Float>) throws -> R) throws -> R {
                if rows.contains(150) { throw InputError(file: "x.h5ad", message: "/X: chunk 3 is corrupt") }
                let zeros = [Float](repeating: 0, count: rows.count * columnCount)
                return try body(zeros)
            }
            func column(_ c: Int) throws -> [Float] { [] }
        }
        var rng = SplitMix64(seed: 5)
        let encoder = try RandomNetworks.deepPReLU(input: 30, hidden: 8, layers: 2, rng: &rng)
        let model = try RandomNetworks.model(encoder: encoder, features: 30, rng: &rng)
        XCTAssertThrowsError(try ContributionEngine<Float>(model: model).run(Failing(), outputs: [], chunkSize: 32) { _ in }) {
            XCTAssertEqual(($0 as? InputError)?.description.contains("chunk 3 is corrupt"), true, "\($0)")
        }
    }
}
