import XCTest
@testable import GlassBoxCore
import GlassBoxTestSupport

/// Set contributions from the engine: the sums of the feature contributions over each set's
/// members, exactly; a partition's sets add up to z; overlap and the remainder.
final class SetContributionTests: XCTestCase {
    let d = 40

    private func fixture(pca: Bool, seed: UInt64 = 3) throws -> (GlassBoxModel, Matrix<Float>) {
        var rng = SplitMix64(seed: seed)
        let k = pca ? 12 : d
        let encoder = try RandomNetworks.deepPReLU(input: k, hidden: 16, layers: 3, rng: &rng)
        let model = try RandomNetworks.model(encoder: encoder, features: d, rng: &rng)
        let x = RandomNetworks.matrix(rows: 203, cols: d, rng: &rng)
        return (model, Matrix(rows: x.rows, cols: d, storage: x.storage.map(Float.init)))
    }

    var names: [String] { (0..<d).map { "g\($0)" } }

    /// Sets over g0…g39 given as member lists (listed out of order on purpose).
    func sets(_ members: [[Int]]) throws -> FeatureSets {
        let text = members.enumerated().map { s, m in (["S\(s)", "desc"] + m.reversed().map { "g\($0)" }).joined(separator: "\t") }.joined(
            separator: "\n")
        return try FeatureSets(FeatureSetFile.parse(Data(text.utf8), file: "t.gmt"), featureNames: names)
    }

    /// Disjoint, leaving g30…g39 to the remainder.
    func disjoint() throws -> FeatureSets { try sets([Array(0..<10), [10, 12, 14, 16, 18], Array(19..<30), [11, 13, 15, 17]]) }
    /// Overlapping (g0…g9 in two sets, g5 in three), leaving g35…g39 to the remainder.
    func overlapping() throws -> FeatureSets { try sets([Array(0..<20), Array(0..<10) + [25], Array(20..<35), [5]]) }

    private func run<T: BLASScalar>(
        _ engine: ContributionEngine<T>, _ data: Matrix<Float>, outputs: EngineOutputs = [.contributions, .setContributions],
        chunk: Int = 50
    ) throws -> [ContributionChunk<T>] {
        var chunks: [ContributionChunk<T>] = []
        try engine.run(data, outputs: outputs, chunkSize: chunk, threads: 2) { chunks.append($0) }
        return chunks.sorted { $0.rows.lowerBound < $1.rows.lowerBound }
    }

    /// The plain loop: for each sample, component and set, the sum over its members in ascending order.
    func reference<T: BLASScalar>(_ chunk: ContributionChunk<T>, _ sets: FeatureSets) -> [T] {
        let m = chunk.outputCount, c = chunk.contributions!
        var out: [T] = []
        for i in 0..<chunk.count {
            for j in 0..<m {
                for s in sets.sets {
                    var sum: T = 0
                    for f in s.members { sum += c[(i * m + j) * d + f] }
                    out.append(sum)
                }
            }
        }
        return out
    }

    func testSetContributionsEqualThePlainLoopBitForBitInDouble() throws {
        for pca in [true, false] {
            let (model, data) = try fixture(pca: pca)
            for sets in [try disjoint(), try overlapping()] {
                let chunks = try run(ContributionEngine<Double>(model: model, featureSets: sets), data)
                XCTAssertEqual(chunks.map(\.count).reduce(0, +), data.rows)
                for chunk in chunks {
                    let ours = try XCTUnwrap(chunk.setContributions)
                    XCTAssertEqual(ours.count, chunk.count * model.outputCount * sets.count)
                    XCTAssertEqual(ours, reference(chunk, sets), "pca \(pca), rows \(chunk.rows)")
                    XCTAssertTrue(zip(ours, reference(chunk, sets)).allSatisfy { $0.bitPattern == $1.bitPattern })
                }
            }
        }
    }

    func testSetContributionsInFloatAreTheSumsWithinRounding() throws {
        let (model, data) = try fixture(pca: true)
        for sets in [try disjoint(), try overlapping()] {
            for chunk in try run(ContributionEngine<Float>(model: model, featureSets: sets), data) {
                let ours = try XCTUnwrap(chunk.setContributions), c = chunk.contributions!, m = chunk.outputCount
                // The same loop in float32 gives the same bits.
                XCTAssertEqual(ours, reference(chunk, sets))
                // A float64 sum of the same float32 contributions: within the rounding of |S| additions.
                for i in 0..<chunk.count {
                    for j in 0..<m {
                        for (s, set) in sets.sets.enumerated() {
                            let terms = set.members.map { Double(c[(i * m + j) * d + $0]) }
                            let bound = Double(max(1, terms.count)) * Double(Float.ulpOfOne) * terms.map(abs).reduce(0, +)
                            XCTAssertEqual(Double(ours[(i * m + j) * sets.count + s]), terms.reduce(0, +), accuracy: bound)
                        }
                    }
                }
            }
        }
    }

    func testAPartitionsSetContributionsSumToZ() throws {
        // Without PCA Σ_f C = z exactly up to rounding (with PCA, up to sklearn's tiny pca.mean term).
        let (model, data) = try fixture(pca: false)
        let sets = try disjoint()
        XCTAssertTrue(sets.isDisjoint)
        XCTAssertEqual(sets.sets[sets.remainderIndex].members, Array(30..<40))
        func check<T: BLASScalar>(_ type: T.Type, tolerance: Double) throws {
            var partition = VerificationAccumulator()
            for chunk in try run(ContributionEngine<T>(model: model, featureSets: sets), data, outputs: [.setContributions]) {
                XCTAssertNil(chunk.contributions, "only what was asked for is kept")
                partition.addSetSums(chunk)
                let m = chunk.outputCount, sc = chunk.setContributions!
                for i in 0..<chunk.count {
                    for j in 0..<m {
                        let sum = (0..<sets.count).reduce(0.0) { $0 + Double(sc[(i * m + j) * sets.count + $1]) }
                        let z = Double(chunk.embedding[i * m + j])
                        XCTAssertEqual(sum, z, accuracy: tolerance * max(1, abs(z)), "\(T.self) sample \(chunk.rows.lowerBound + i)")
                        // Without the remainder the sets fall short by its contribution.
                        let remainder = Double(sc[(i * m + j) * sets.count + sets.remainderIndex])
                        XCTAssertEqual(sum - remainder, z - remainder, accuracy: tolerance * max(1, abs(z)))
                    }
                }
            }
            let result = partition.result
            XCTAssertEqual(result.sampleCount, data.rows)
            XCTAssertLessThanOrEqual(result.relativeError, tolerance)
            XCTAssertGreaterThan(result.maxError, 0, "a float check that finds no rounding at all is suspect")
        }
        try check(Double.self, tolerance: 1e-12)
        try check(Float.self, tolerance: 1e-5)
    }

    func testOverlapCountsASharedFeatureInEverySetAndTheRemainderHoldsTheRest() throws {
        let (model, data) = try fixture(pca: true)
        let sets = try overlapping()
        XCTAssertEqual(sets.overlappingFeatureCount, 11)  // g0…g9 and g25
        let report = SetPartitionReport(sets, check: VerificationAccumulator().result)
        XCTAssertNil(report.check, "overlapping sets have no partition to check")
        XCTAssertTrue(report.passes(tolerance: 0))
        for chunk in try run(ContributionEngine<Double>(model: model, featureSets: sets), data) {
            let m = chunk.outputCount, c = chunk.contributions!, sc = chunk.setContributions!
            for i in 0..<chunk.count {
                for j in 0..<m {
                    let row = Array(c[((i * m + j) * d)..<((i * m + j + 1) * d)])
                    let setRow = Array(sc[((i * m + j) * sets.count)..<((i * m + j + 1) * sets.count)])
                    // Σ over sets = Σ_f (sets holding f) · C[f]: g5 three times, g0…g9 and g25 twice.
                    let weighted = (0..<d).reduce(0.0) { $0 + Double(sets.sets(containing: $1).count) * row[$1] }
                    XCTAssertEqual(setRow.reduce(0, +), weighted, accuracy: 1e-12 * max(1, abs(weighted)))
                    XCTAssertEqual(setRow[3], row[5])
                    XCTAssertEqual(setRow[sets.remainderIndex], (35..<40).reduce(0.0) { $0 + row[$1] })
                }
            }
        }
    }

    func testTheProductEqualsThePlainLoopForAnyNumberOfRows() throws {
        // Tiles of 16 rows with partial last tiles, features by 4 with a tail (43), an odd
        // number of sets, an empty set, a set of one.
        let d = 43, names = (0..<d).map { "g\($0)" }
        let text = [
            "A\t\t" + (0..<20).map { "g\($0)" }.joined(separator: "\t"), "EMPTY\tnone",
            "B\t\t" + ((0..<10).map { "g\($0)" } + ["g25", "g42"]).joined(separator: "\t"),
            "C\t\t" + (20..<35).map { "g\($0)" }.joined(separator: "\t"), "D\t\tg5", "E\t\tg39\tg1",
        ].joined(separator: "\n")
        let sets = try FeatureSets(FeatureSetFile.parse(Data(text.utf8), file: "t.gmt", format: .gmt), featureNames: names)
        XCTAssertEqual(sets.count, 7)
        var rng = SplitMix64(seed: 9)
        func check<T: BLASScalar>(_: T.Type, vectorKernel: Bool) {
            for rows in [1, 2, 7, 15, 16, 17, 33] {
                let values = (0..<(rows * d)).map { _ in T(rng.normal()) }
                var ours = [T](repeating: .nan, count: rows * sets.count)
                values.withUnsafeBufferPointer { v in
                    ours.withUnsafeMutableBufferPointer { o in
                        sets.withScratch(T.self) {
                            sets.apply(v.baseAddress!, rows: rows, into: o.baseAddress!, scratch: $0, vectorKernel: vectorKernel)
                        }
                    }
                }
                var expected: [T] = []
                for r in 0..<rows {
                    for set in sets.sets {
                        var sum: T = 0
                        for f in set.members { sum += values[r * d + f] }
                        expected.append(sum)
                    }
                }
                XCTAssertEqual(ours, expected, "\(T.self), \(rows) rows, vector kernel \(vectorKernel)")
                XCTAssertTrue(zip(ours, expected).allSatisfy { $0 == $1 && $0.sign == $1.sign }, "zeros of the same sign")
            }
        }
        // The AVX2 kernel (float32 tiles of 16 rows, where the CPU has it) and the Swift path.
        check(Float.self, vectorKernel: FeatureSets.hasAVX2)
        check(Float.self, vectorKernel: false)
        check(Double.self, vectorKernel: false)
    }

    func testSetContributionsDoNotDependOnChunking() throws {
        let (model, data) = try fixture(pca: true)
        let engine = ContributionEngine<Float>(model: model, featureSets: try overlapping())
        let a = try run(engine, data, chunk: 50).flatMap { $0.setContributions! }
        let b = try run(engine, data, chunk: 192).flatMap { $0.setContributions! }
        XCTAssertEqual(a, b)
    }

    func testAggregatesMapThroughTheMembership() throws {
        // The mean of set contributions over samples = the membership applied to the mean of the features'.
        let (model, data) = try fixture(pca: true)
        let sets = try overlapping()
        let chunks = try run(ContributionEngine<Double>(model: model, featureSets: sets), data)
        let m = model.outputCount, n = Double(data.rows)
        var featureMean = [Double](repeating: 0, count: m * d), setMean = [Double](repeating: 0, count: m * sets.count)
        for chunk in chunks {
            for (e, v) in chunk.contributions!.enumerated() { featureMean[e % (m * d)] += v / n }
            for (e, v) in chunk.setContributions!.enumerated() { setMean[e % (m * sets.count)] += v / n }
        }
        let mapped = sets.apply(featureMean, rows: m)
        for (a, b) in zip(mapped, setMean) { XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b))) }
    }
}
