import GlassBoxCore
import GlassBoxTUI
import XCTest
@testable import GlassBoxExplorer

/// The background pass and the feature columns it keeps, against direct computation.
final class BackgroundTests: XCTestCase {
    /// ‖C[i, :, f]‖ for every sample, from the engine's full contributions.
    func expectedColumn(_ session: ExplorerSession, feature f: Int) -> [Float] {
        let n = session.sampleCount, m = session.outputCount, d = session.featureCount
        let chunk = session.engine.compute(session.dataset.values, rows: 0..<n, outputs: [.contributions])
        let c = chunk.contributions!
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var s: Float = 0
            for j in 0..<m { let v = c[(i * m + j) * d + f]; s += v * v }
            out[i] = s.squareRoot()
        }
        return out
    }

    func column(_ store: ContributionStore, _ f: Int) -> [Float]? {
        let c: [Float]?? = store.withContributionColumn(f) { values, known -> [Float]? in known == values.count ? Array(values) : nil }
        return c ?? nil
    }

    func finish(_ bg: BackgroundComputation, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(bg.wait(timeout: 60), file: file, line: line)
        XCTAssertEqual(bg.store.progress.phase, .finished, file: file, line: line)
    }

    func testPassFillsTheSummaryAndKeptColumns() throws {
        let session = try Fixtures.session(samples: 300, features: 40, pca: 6)
        let bg = BackgroundComputation(session: session, threads: 2, chunkSize: 96)
        bg.start()
        finish(bg)
        let store = bg.store
        XCTAssertEqual(store.progress.done, 300)
        XCTAssertEqual(store.keptFeatures.count, 32)
        let f = store.keptFeatures[0]
        let got = try XCTUnwrap(column(store, f))
        let want = expectedColumn(session, feature: f)
        for i in 0..<300 { XCTAssertEqual(got[i], want[i], accuracy: 1e-5 * max(1, want[i])) }
        // The summaries agree with a plain per-sample reference built from the full contributions.
        let (m, d, k) = (2, 40, 16)
        let full = session.engine.compute(session.dataset.values, rows: 0..<300, outputs: [.contributions])
        let c = try XCTUnwrap(full.contributions)
        var verification = VerificationAccumulator()
        let errors = verification.add(full)
        let labels = try XCTUnwrap(session.dataset.labels)
        // Plain per-sample references: global L2 sums, and per group sample counts, L2 and signed sums.
        var globalL2 = [Double](repeating: 0, count: d)
        var groupCounts = [Int](repeating: 0, count: labels.categories.count)
        var groupL2 = [[Double]](repeating: [Double](repeating: 0, count: d), count: labels.categories.count)
        var groupSigned = [[Double]](repeating: [Double](repeating: 0, count: m * d), count: labels.categories.count)
        var topFeatures: [Int32] = [], topL2: [Float] = [], topSigned: [Float] = [], totalL2: [Float] = []
        for i in 0..<300 {
            let base = i * m * d
            let l2 = (0..<d).map { f in
                (0..<m).reduce(0.0) { $0 + Double(c[base + $1 * d + f]) * Double(c[base + $1 * d + f]) }.squareRoot()
            }
            for f in TopK.indices(count: d, k: k, key: { l2[$0] }) {
                topFeatures.append(Int32(f))
                topL2.append(Float(l2[f]))
                topSigned += (0..<m).map { Float(c[base + $0 * d + f]) }
            }
            totalL2.append(Float(l2.reduce(0, +)))
            let g = Int(labels.codes[i])
            groupCounts[g] += 1
            for f in 0..<d {
                globalL2[f] += l2[f]
                groupL2[g][f] += l2[f]
            }
            for e in 0..<(m * d) { groupSigned[g][e] += Double(c[base + e]) }
        }
        store.withSummaries { s in
            XCTAssertTrue(s.isComplete)
            XCTAssertEqual(s.topFeaturePerSample(), (0..<300).map { topFeatures[$0 * k] })
            XCTAssertEqual(s.topFeatures, topFeatures)
            for i in 0..<s.topL2.count { XCTAssertEqual(s.topL2[i], topL2[i], accuracy: 1e-5) }
            for i in 0..<s.topSigned.count { XCTAssertEqual(s.topSigned[i], topSigned[i], accuracy: 1e-6) }
            for i in 0..<300 {
                XCTAssertEqual(s.totalL2[i], totalL2[i], accuracy: 1e-4 * totalL2[i])
                XCTAssertEqual(s.reconstructionError[i], Float(errors[i]))
            }
            XCTAssertEqual(s.all.ranking(.l2, limit: 5), TopK.indices(count: d, k: 5) { globalL2[$0] })
            let sums = try! XCTUnwrap(s.groups)
            XCTAssertEqual(sums.map(\.count), groupCounts)
            for (g, group) in sums.enumerated() {
                for f in 0..<d {
                    XCTAssertEqual(group.l2[f], groupL2[g][f], accuracy: 1e-4 * max(1, group.l2[f]))
                    XCTAssertEqual(group.signed[f], groupSigned[g][f], accuracy: 1e-4)
                }
            }
            XCTAssertEqual(s.verification.result.sampleCount, 300)
            XCTAssertEqual(s.verification.result.maxError, verification.result.maxError)
        }
    }

    func testRequestedColumnsAreBackfilledFromStoredJacobians() throws {
        let session = try Fixtures.session(samples: 300, features: 40, pca: 6)
        let bg = BackgroundComputation(session: session, threads: 2, chunkSize: 96)
        XCTAssertTrue(bg.store.storesJacobians)
        bg.start()
        finish(bg)
        let f = (0..<40).first { !bg.store.keptFeatures.contains($0) }!
        XCTAssertNil(column(bg.store, f))
        bg.requestContributionColumn(f)
        XCTAssertTrue(bg.wait(timeout: 30))
        let got = try XCTUnwrap(column(bg.store, f))
        let want = expectedColumn(session, feature: f)
        for i in 0..<300 { XCTAssertEqual(got[i], want[i], accuracy: 1e-4 * max(1, want[i])) }
    }

    func testOverTheJacobianBudgetColumnsComeFromAnotherEnginePass() throws {
        let session = try Fixtures.session(samples: 250, features: 10, pca: nil)
        let bg = BackgroundComputation(session: session, threads: 1, chunkSize: 96, jacobianBudget: 0)
        XCTAssertFalse(bg.store.storesJacobians)
        bg.start()
        finish(bg)
        // Without PCA every feature is kept (d < 32): ask for one that is, then check it.
        XCTAssertEqual(Set(bg.store.keptFeatures), Set(0..<10))
        let small = try Fixtures.session(samples: 250, features: 40, pca: nil)
        let bg2 = BackgroundComputation(session: small, threads: 1, chunkSize: 96, jacobianBudget: 0)
        bg2.start()
        finish(bg2)
        let f = (0..<40).first { !bg2.store.keptFeatures.contains($0) }!
        bg2.requestContributionColumn(f)
        XCTAssertTrue(bg2.wait(timeout: 30))
        let got = try XCTUnwrap(column(bg2.store, f))
        let want = expectedColumn(small, feature: f)
        for i in 0..<250 { XCTAssertEqual(got[i], want[i], accuracy: 1e-4 * max(1, want[i])) }
    }

    func testValueColumns() throws {
        let session = try Fixtures.session(samples: 50, features: 8, pca: nil)
        let bg = BackgroundComputation(session: session, threads: 1)
        bg.requestValueColumn(3)
        XCTAssertTrue(bg.wait(timeout: 10))
        XCTAssertEqual(bg.store.valueColumn(3), (0..<50).map { session.dataset.values[$0, 3] })
    }

    func testEmbeddingMatchesTheEngine() throws {
        let session = try Fixtures.session(samples: 500, features: 20, pca: 5)
        let chunk = session.engine.compute(session.dataset.values, rows: 0..<500, outputs: [])
        XCTAssertEqual(session.embedding, chunk.embedding, "bit for bit")
    }

    func testMergedRanges() {
        XCTAssertEqual(ContributionStore.merged([5..<8, 0..<3, 3..<5, 10..<12]), [0..<8, 10..<12])
    }
}
