import Foundation
import XCTest
@testable import GlassBoxCore

/// The JSON reader's time grows linearly with the input: a model file's header can hold a
/// million numbers or a hundred thousand keys (issue #12: a 190 KB encoder.json took 14 s).
/// Checked as a ratio in one run — ten times the input may take at most fifteen times as long —
/// so the test does not depend on the machine's speed.
final class JSONScalingTests: XCTestCase {
    func testArraysParseInLinearTime() throws {
        let ratio = try scaling { n in "[" + (0..<n).map { String($0 % 1000) }.joined(separator: ",") + "]" }
        XCTAssertLessThanOrEqual(ratio, 15, "1M-element array: \(ratio)× the time of 100k")
    }

    func testObjectsParseInLinearTime() throws {
        let ratio = try scaling(small: 10_000) { n in "{" + (0..<n).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}" }
        XCTAssertLessThanOrEqual(ratio, 15, "100k-key object: \(ratio)× the time of 10k")
    }

    /// Time to parse `make(10 · small)` over time to parse `make(small)`. The small input is
    /// parsed ten times per timing, so both timings last as long and a busy machine slows
    /// both alike; each is the best of three, interleaved.
    private func scaling(small: Int = 100_000, _ make: (Int) -> String) throws -> Double {
        let inputs = [Data(make(small).utf8), Data(make(10 * small).utf8)]
        var limits = JSONParser.Limits()
        limits.maxValues = 20 * small
        var best = [Double.infinity, Double.infinity]
        for _ in 0..<3 {
            for (i, input) in inputs.enumerated() {
                let start = DispatchTime.now()
                for _ in 0..<(i == 0 ? 10 : 1) { _ = try JSONParser.parse(input, limits: limits) }
                best[i] = min(best[i], Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds))
            }
            // Quadratic parsing shows at once; no need to wait for the other rounds.
            if best[1] > 5 * best[0] { break }
        }
        let ratio = 10 * best[1] / best[0]
        print(
            String(
                format: "JSON scaling: %d → %d values, %.1f ms → %.1f ms (%.1f×)",
                small, 10 * small, best[0] / 10 / 1e6, best[1] / 1e6, ratio))
        return ratio
    }
}
