import Foundation
import GlassBoxCore
import GlassBoxTUI
import XCTest
@testable import GlassBoxExplorer

/// Timings of the analysis views at 1,000,000 samples, printed (not asserted: machines
/// differ). Skipped unless GLASSBOX_ANALYSIS_BENCH=1; run in release:
///   GLASSBOX_ANALYSIS_BENCH=1 swift test -c release --filter AnalysisBenchmarkTests
final class AnalysisBenchmarkTests: XCTestCase {
    func time(_ body: () -> Void) -> Double {
        let t = DispatchTime.now()
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e6
    }

    func testAnalysisViewsAtAMillionSamples() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["GLASSBOX_ANALYSIS_BENCH"] == "1", "set GLASSBOX_ANALYSIS_BENCH=1")
        let n = 1_000_000, d = 2000, m = 2
        var rng = SeededRandom(seed: 3)
        let xs = (0..<n).map { _ in Float(rng.uniform()) }, ys = (0..<n).map { _ in Float(rng.uniform()) }
        let theme = Theme()

        // Box → members: one scan of the shown coordinates.
        var members: [Int32] = []
        let scan = time { members = BoxMembers.rows(xs: xs, ys: ys, xMin: -0.3, xMax: 0.3, yMin: -0.3, yMax: 0.3) }
        print(String(format: "box members at n=%d: %.1f ms (%d selected)", n, scan, members.count))

        // A label's panel from the store's sums (what `s` shows): rank d features, all views.
        var sums = FeatureSums(outputCount: m, featureCount: d, signed: true)
        var all = FeatureSums(outputCount: m, featureCount: d, signed: true)
        var c = ChunkSums(outputCount: m, featureCount: d, signed: true)
        let sample = (0..<(m * d)).map { _ in Float(rng.uniform()) }, l2 = (0..<d).map { _ in Float(abs(rng.uniform())) }
        sample.withUnsafeBufferPointer { s in l2.withUnsafeBufferPointer { c.add(sample: s.baseAddress!, l2: $0.baseAddress!, total: 500, m: m, d: d) } }
        sums.merge(c); all.merge(c); all.merge(c)
        let names = (0..<d).map { "feature\($0)" }
        var panelMs = [Double]()
        for view in [SampleView.l2, .share, .dimension(0)] {
            for versusRest in [false, true] {
                panelMs.append(time {
                    let scores = AggregateScores(sums)
                    let contrast = AggregateScores.rest(all: all, minus: sums).map { AggregateContrast(selection: scores, rest: $0) }
                    let p = SelectionPanel.build(coverage: .init(name: "group x", selected: 50_000, covered: 50_000), scores: scores,
                                                 contrast: contrast, versusRest: versusRest, view: view, names: names,
                                                 axisNames: ["z1", "z2"], offset: 0, pageSize: 40, isFocused: true, theme: theme)
                    _ = render(p.panel, width: 76, height: 58)
                })
            }
        }
        print(String(format: "selection panel (label sums, d=%d): max %.2f ms per frame", d, panelMs.max()!))

        // A box's aggregate: the engine over the selected rows (d = 2,000, PCA 50, 128 × 3).
        let rowsN = 20_000
        let model = try Fixtures.model(features: d, pca: 50, hidden: 128, outputs: m)
        let dataset = Fixtures.dataset(samples: rowsN, features: d, groups: nil)
        let session = try ExplorerSession(model: model, dataset: dataset)
        let rows = (0..<Int32(rowsN)).map { $0 }
        var seconds = 0.0
        _ = time {
            let job = SelectionComputation(session: session, rows: rows)
            job.wait(timeout: 600)
            seconds = job.snapshot.seconds ?? .nan
        }
        print(String(format: "box aggregate: %d samples in %.2f s = %.0f samples/s (%d cores): a 10%% box at 1M ≈ %.1f s, in the background with progress",
                     rowsN, seconds, Double(rowsN) / seconds, ProcessInfo.processInfo.activeProcessorCount, 100_000 / (Double(rowsN) / seconds)))

        // Compare: A's explanation once, then per key B's explanation + contrast + panel.
        let views = AnalysisViews(session: session, background: nil, theme: theme, tolerance: 1e-4)
        _ = views.explanation(ofMark: 5)
        let cache = ExplanationCache(session: session)
        var compare = [Double]()
        for b in 100..<130 {
            compare.append(time {
                let contrast = Contrast(from: views.explanation(ofMark: 5), to: cache.explanation(for: b))
                let p = ComparePanel.build(contrast: contrast, idA: "a", idB: "b", view: .l2, names: names, axisNames: ["z1", "z2"],
                                           offset: 0, pageSize: 40, isFocused: true, theme: theme)
                _ = render(p.panel, width: 76, height: 58)
            })
        }
        compare.sort()
        print(String(format: "compare panel (d=%d): median %.2f ms, max %.2f ms per new B (independent of n)", d, compare[compare.count / 2], compare.last!))

        // Verification report over 1M per-sample errors.
        let errors = (0..<n).map { _ in Float(abs(rng.uniform()) * 1e-6) }
        var reportMs = 0.0
        reportMs = time {
            _ = errors.withUnsafeBufferPointer {
                VerificationReport(result: VerificationAccumulator().result, errors: $0, done: n, tolerance: 1e-4, precision: "single")
            }
        }
        print(String(format: "verification report at n=%d: %.1f ms (cached until the store changes)", n, reportMs))
    }
}
