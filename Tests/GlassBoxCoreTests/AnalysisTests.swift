import XCTest
@testable import GlassBoxCore
import GlassBoxTestSupport

final class AnalysisTests: XCTestCase {
    func testTopKIsOrderedAndDeterministic() {
        let v: [Double] = [3, 9, 1, 9, 7, -2, .nan, 5]
        XCTAssertEqual(TopK.indices(of: v, k: 4), [1, 3, 4, 7])
        XCTAssertEqual(TopK.indices(of: v, k: 100).count, 8)
        XCTAssertEqual(TopK.indices(of: v, k: 100).last, 6, "NaN ranks last")
        XCTAssertEqual(TopK.indices(of: [Double](), k: 3), [])
        var rng = SplitMix64(seed: 9)
        let big = (0..<5000).map { _ in rng.normal() }
        XCTAssertEqual(TopK.indices(of: big, k: 25), Array(big.indices.sorted { big[$0] > big[$1] }.prefix(25)))
    }

    /// Brute force agrees with the grid index for nearest and directional queries.
    func testSpatialIndexMatchesBruteForce() {
        var rng = SplitMix64(seed: 21)
        let n = 3000
        let x = (0..<n).map { _ in Float(rng.normal() * 5) }
        let y = (0..<n).map { _ in Float(rng.normal() * 0.5 + (rng.normal() > 0 ? 3 : -3)) }
        let index = SpatialIndex(x: x, y: y)
        let (mx, Mx) = (x.min()!, x.max()!), (my, My) = (y.min()!, y.max()!)
        func norm(_ i: Int) -> (Float, Float) { ((x[i] - mx) / (Mx - mx), (y[i] - my) / (My - my)) }
        for q in 0..<200 {
            let px = Float(rng.normal() * 6), py = Float(rng.normal() * 4)
            let p = ((px - mx) / (Mx - mx), (py - my) / (My - my))
            let brute = (0..<n).min { a, b in
                let (ax, ay) = norm(a), (bx, by) = norm(b)
                let da = (ax - p.0) * (ax - p.0) + (ay - p.1) * (ay - p.1), db = (bx - p.0) * (bx - p.0) + (by - p.1) * (by - p.1)
                return da < db || (da == db && a < b)
            }
            XCTAssertEqual(index.nearest(x: px, y: py), brute, "query \(q)")
        }
        for i in stride(from: 0, to: n, by: 37) {
            for dir in [SpatialIndex.Direction.left, .right, .up, .down] {
                let (ix, iy) = norm(i)
                let candidates = (0..<n).filter { j in
                    guard j != i else { return false }
                    let (jx, jy) = norm(j)
                    let dx = jx - ix, dy = jy - iy
                    switch dir {
                    case .right: return dx > 0 && abs(dy) <= dx
                    case .left: return dx < 0 && abs(dy) <= -dx
                    case .up: return dy > 0 && abs(dx) <= dy
                    case .down: return dy < 0 && abs(dx) <= -dy
                    }
                }
                let brute = candidates.min { a, b in
                    let (ax, ay) = norm(a), (bx, by) = norm(b)
                    let da = (ax - ix) * (ax - ix) + (ay - iy) * (ay - iy), db = (bx - ix) * (bx - ix) + (by - iy) * (by - iy)
                    return da < db || (da == db && a < b)
                }
                XCTAssertEqual(index.neighbor(of: i, dir), brute, "sample \(i) \(dir)")
            }
        }
    }

    func testContrastSumsToDisplacement() throws {
        var rng = SplitMix64(seed: 5)
        let encoder = try RandomNetworks.deepPReLU(input: 20, hidden: 16, layers: 3, rng: &rng)
        // No PCA: contributions sum to z exactly (no sklearn pca.mean_ term).
        let model = try RandomNetworks.model(encoder: encoder, features: 20, rng: &rng)
        let x = RandomNetworks.matrix(rows: 10, cols: 20, rng: &rng)
        let chunk = ContributionEngine<Double>(model: model).compute(
            Matrix(rows: 10, cols: 20, storage: x.storage.map(Float.init)), rows: 0..<10, outputs: [.contributions])
        let a = SampleExplanation(chunk: chunk, index: 2), b = SampleExplanation(chunk: chunk, index: 7)
        let contrast = Contrast(from: a, to: b)
        XCTAssertLessThan(contrast.sumError, 1e-12)
        XCTAssertGreaterThan(contrast.displacement.map(abs).max()!, 1e-3, "distinct samples")
        let ranked = contrast.table.ranking(.l2, limit: 5)
        let l2 = contrast.table.l2
        XCTAssertEqual(ranked.map { l2[$0] }, ranked.map { l2[$0] }.sorted(by: >))
        XCTAssertEqual(contrast.table.scores(.normedL2).reduce(0, +), 1, accuracy: 1e-12)
    }

    func testAggregatesOverChunksKeepGroupsAndGlobalRanking() throws {
        var rng = SplitMix64(seed: 6)
        let encoder = try RandomNetworks.deepPReLU(input: 8, hidden: 12, layers: 2, rng: &rng)
        let model = try RandomNetworks.model(encoder: encoder, features: 30, rng: &rng)
        let x = RandomNetworks.matrix(rows: 60, cols: 30, rng: &rng)
        let data = Matrix(rows: 60, cols: 30, storage: x.storage.map(Float.init))
        let labels = GroupLabels(column: "g", values: (0..<60).map { $0 % 3 == 0 ? "a" : "b" })
        var global = FeatureSums(outputCount: 2, featureCount: 30, share: true)
        var groups: [Int: FeatureSums] = [:]
        var verification = VerificationAccumulator()
        let engine = ContributionEngine<Float>(model: model)
        try engine.run(data, outputs: [.contributions], chunkSize: 16) { chunk in
            var part = FeatureSums(outputCount: 2, featureCount: 30, share: true)
            chunk.contributions!.withUnsafeBufferPointer { c in
                for i in 0..<chunk.count {
                    global.add(contributions: c.baseAddress! + i * 60)
                    part.add(contributions: c.baseAddress! + i * 60)
                    groups[Int(labels.codes[chunk.rows.lowerBound + i]), default: FeatureSums(outputCount: 2, featureCount: 30)]
                        .add(contributions: c.baseAddress! + i * 60)
                }
            }
            XCTAssertEqual(part.count, chunk.count)
            _ = verification.add(chunk)
        }
        XCTAssertEqual([groups[0]?.count, groups[1]?.count], [20, 40])
        XCTAssertEqual(global.count, 60)
        // The groups' sums add up to the global ones.
        var merged = groups[0]!
        merged.merge(groups[1]!)
        for f in 0..<30 { XCTAssertEqual(merged.l2[f], global.l2[f], accuracy: 1e-9 * max(1, global.l2[f])) }
        let mean = global.meanL2
        XCTAssertEqual(global.ranking(.l2, limit: 1)[0], mean.indices.max { mean[$0] < mean[$1] })
        // The global ranking is that of the mean per-sample L2 over the whole set at once.
        let full = engine.compute(data, rows: 0..<60, outputs: [.contributions])
        var l2 = [Double](repeating: 0, count: 30)
        for row in 0..<60 {
            let table = SampleExplanation(chunk: full, index: row).table
            for f in 0..<30 {
                l2[f] +=
                    (0..<2).reduce(0.0) { $0 + table.value(component: $1, feature: f) * table.value(component: $1, feature: f) }
                    .squareRoot() / 60
            }
        }
        for f in 0..<30 { XCTAssertEqual(mean[f], l2[f], accuracy: 1e-6 * max(1, l2[f])) }
        XCTAssertLessThan(verification.result.relativeError, 1e-5)
    }
}
