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
        // The summaries agree with the core's ContributionSummary on the same chunks.
        var reference = ContributionSummary(sampleCount: 300, outputCount: 2, featureCount: 40, keep: 16, labels: session.dataset.labels)
        reference.add(session.engine.compute(session.dataset.values, rows: 0..<300, outputs: [.contributions]))
        store.withSummaries { s in
            XCTAssertTrue(s.isComplete)
            XCTAssertEqual(s.topFeaturePerSample(), reference.topFeaturePerSample)
            XCTAssertEqual(s.topFeatures, reference.topFeatures)
            for i in 0..<s.topL2.count { XCTAssertEqual(s.topL2[i], reference.topL2[i], accuracy: 1e-5) }
            for i in 0..<s.topSigned.count { XCTAssertEqual(s.topSigned[i], reference.topSigned[i], accuracy: 1e-6) }
            for i in 0..<300 {
                XCTAssertEqual(s.totalL2[i], reference.totalL2[i], accuracy: 1e-4 * reference.totalL2[i])
                XCTAssertEqual(s.reconstructionError[i], reference.reconstructionError[i])
            }
            XCTAssertEqual(s.all.ranking(limit: 5), reference.global.ranking(.l2, limit: 5))
            let groups = try! XCTUnwrap(s.groups)
            XCTAssertEqual(groups.map(\.count), reference.groups!.groups.map(\.sampleCount))
            for (g, sums) in groups.enumerated() {
                for f in 0..<40 {
                    XCTAssertEqual(sums.l2Sum[f], reference.groups!.groups[g].l2Sum[f], accuracy: 1e-4 * max(1, sums.l2Sum[f]))
                    XCTAssertEqual(sums.signedSum![f], reference.groups!.groups[g].signedSum[f], accuracy: 1e-4)
                }
            }
            XCTAssertEqual(s.verification.result.sampleCount, 300)
            XCTAssertEqual(s.verification.result.maxError, reference.verification.result.maxError)
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
