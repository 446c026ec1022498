import Foundation
import GlassBoxCore
import GlassBoxTUI
import GlassBoxTestSupport
import XCTest
@testable import GlassBoxExplorer

/// Findings taken out: `w` files read back, annotations.csv, the clipboard, lasso membership.
final class TakeOutTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-takeout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A plain CSV as pandas reads it: the header, then rows (quoted fields as RFC 4180).
    func readCSV(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" {
                row.append(field); rows.append(row); row = []; field = ""
            } else {
                field.append(c)
            }
        }
        return rows
    }

    func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    func app(background: Bool = true) throws -> (ExplorerApp<TestBackend>, TestBackend) {
        let session = try Fixtures.session(samples: 50, features: 10, pca: 4, groups: ["a", "b", "c"])
        let backend = TestBackend(width: 120, height: 36)
        let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: background, threads: 1)
        app.directory = directory
        app.draw()
        app.awaitBackgroundPass()
        return (app, backend)
    }

    func testWritingASelectionGivesItsSamplesAndFeaturesAndNeverOverwrites() throws {
        let (app, backend) = try app()
        app.press([.char("s"), .char("j"), .enter])
        // Wait for the group's sums (kept by the pass), then write.
        app.press([.char("w")])
        XCTAssertEqual(files(), ["glassbox-selection-b-1-features.csv", "glassbox-selection-b-1.csv"])
        XCTAssertTrue(backend.lines()[35].contains("wrote glassbox-selection-b-1.csv and its features"), backend.lines()[35])
        let samples = try readCSV("glassbox-selection-b-1.csv")
        XCTAssertEqual(samples[0], ["id", "row", "kind", "z1", "z2"])
        XCTAssertEqual(samples.count - 1, 17, "b: rows 1, 4, 7 … of 50")
        XCTAssertEqual(samples[1][0], "s2")
        XCTAssertEqual(samples[1][1], "1")
        XCTAssertEqual(samples[1][2], "b")
        let session = try XCTUnwrap(app.session)
        XCTAssertEqual(Float(samples[1][3]), session.embedding[2], "z as computed, round-trip text")
        let features = try readCSV("glassbox-selection-b-1-features.csv")
        XCTAssertEqual(
            Array(features[0].prefix(6)), ["rank", "feature", "mean_l2", "mean_share", "mean_contribution_z1", "mean_contribution_z2"])
        XCTAssertEqual(features.count - 1, 10)
        let l2 = features.dropFirst().map { Double($0[2])! }
        XCTAssertEqual(l2, l2.sorted(by: >), "ranked as shown (mean L2)")
        // Against the rest; and a second write never replaces the first.
        app.press([.char("d"), .char("w")])
        XCTAssertEqual(files().count, 4)
        let versus = try readCSV("glassbox-selection-b-2-features.csv")
        XCTAssertTrue(versus[0].contains("difference_mean_contribution_z1"))
        XCTAssertEqual(versus[1][versus[0].firstIndex(of: "versus")!], "rest")
        app.stopBackground()
    }

    func testWritingTheSampleTheComparisonAndTheReport() throws {
        let (app, _) = try app()
        app.press([.char("w")])
        let sample = try readCSV("glassbox-sample-s1-1.csv")
        XCTAssertEqual(sample[0], ["id", "rank", "feature", "l2", "share", "contribution_z1", "contribution_z2", "x", "mu", "x_minus_mu"])
        XCTAssertEqual(sample.count - 1, 10)
        for row in sample.dropFirst() {
            XCTAssertEqual(Double(row[9])!, Double(row[7])! - Double(row[8])!, accuracy: 1e-6, "x − μ")
        }
        let total = sample.dropFirst().reduce(0.0) { $0 + Double($1[5])! }
        let session = try XCTUnwrap(app.session)
        XCTAssertEqual(total, Double(session.embedding[0]), accuracy: 1e-3, "the contributions sum to z1")

        app.press([.char("m"), .char("j"), .char("w")])
        let compare = try readCSV("glassbox-compare-s1-vs-s2-1.csv")
        XCTAssertEqual(Array(compare[0].prefix(5)), ["rank", "feature", "delta_l2", "delta_contribution_z1", "delta_contribution_z2"])
        XCTAssertEqual(compare[1].suffix(4), ["s1", "s2", "0", "1"])
        let dz = compare.dropFirst().reduce(0.0) { $0 + Double($1[3])! }
        XCTAssertEqual(dz, Double(session.embedding[2] - session.embedding[0]), accuracy: 1e-3)

        app.press([.char("m"), .char("r"), .char("w")])
        let report = try readCSV("glassbox-verification-50rows-1.csv")
        XCTAssertEqual(report[0], ["id", "row", "error", "worst_rank", "status"])
        XCTAssertEqual(report.count - 1, 50)
        XCTAssertEqual(report.dropFirst().filter { $0[3] == "1" }.count, 1, "one worst")
        app.stopBackground()
    }

    /// annotations.csv: one row per sample; a sample in two kept selections has both names,
    /// in the order kept, joined with ";"; others are empty.
    func testKeptSelectionsBecomeAnnotations() throws {
        let (app, backend) = try app()
        app.press([.char("s"), .enter, .char("a"), .enter])  // group a: rows 0, 3, 6 …
        // A box over everything overlaps it.
        app.press([.char("b")] + Array(repeating: .char("l"), count: 40) + Array(repeating: .char("j"), count: 40))
        app.press(Array(repeating: .left, count: 20) + Array(repeating: .up, count: 20) + [.enter, .char("a"), .ctrl("u")])
        app.press("every".map { .char($0) } + [.enter, .char("A"), .char("w")])
        XCTAssertTrue(backend.lines()[35].contains("wrote annotations.csv"), backend.lines()[35])
        let rows = try readCSV("annotations.csv")
        XCTAssertEqual(rows[0], ["id", "annotation"])
        XCTAssertEqual(rows.count - 1, 50)
        let byId = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], $0[1]) })
        let session = try XCTUnwrap(app.session)
        guard case .box(let box) = app.state.kept[1].selection else { return XCTFail("a box") }
        for (i, id) in session.dataset.ids.enumerated() {
            let z = (session.embedding[i * 2], session.embedding[i * 2 + 1])
            let inBox = Double(z.0) >= box.xMin && Double(z.0) <= box.xMax && Double(z.1) >= box.yMin && Double(z.1) <= box.yMax
            let names = (i % 3 == 0 ? ["a"] : []) + (inBox ? ["every"] : [])
            XCTAssertEqual(byId[id], names.joined(separator: ";"), id)
        }
        XCTAssertTrue(rows.contains { $0[1] == "a;every" }, "the overlap is written")
        app.press([.escape, .char("A"), .char("w")])
        XCTAssertTrue(files().contains("annotations-2.csv"), "never over the first: \(files())")
        app.stopBackground()
    }

    func testTheClipboardGetsTheIdOrTheSelectionsIds() throws {
        let (app, backend) = try app(background: false)
        app.press([.char("j"), .char("Y")])
        XCTAssertEqual(backend.clipboard, ["s2"])
        XCTAssertTrue(backend.lines()[35].contains("copied 's2'"), backend.lines()[35])
        app.press([.char("s"), .enter, .char("C")])
        XCTAssertEqual(backend.clipboard.last, (0..<50).filter { $0 % 3 == 0 }.map { "s\($0 + 1)" }.joined(separator: "\n"))
        // OSC 52 itself.
        XCTAssertEqual(Clipboard.osc52("s2"), Array("\u{1B}]52;c;czI=\u{07}".utf8))
        XCTAssertEqual(String(decoding: Clipboard.osc52("hello, world"), as: UTF8.self), "\u{1B}]52;c;aGVsbG8sIHdvcmxk\u{07}")
    }

    /// The lasso's membership equals a plain even-odd test over every point, in one piece
    /// (3,000 points) and in pieces on every core (300,000).
    func testLassoMembersMatchAPlainPointInPolygonTest() {
        for n in [3000, 300_000] { checkLassoMembers(count: n) }
    }

    private func checkLassoMembers(count n: Int) {
        var rng = SplitMix64(seed: 5)
        let xs = (0..<n).map { _ in Float(rng.uniform() * 2) }, ys = (0..<n).map { _ in Float(rng.uniform() * 2) }
        // A star: concave, with edges crossing many bands.
        let vertices = (0..<14).map { k -> DataPoint in
            let angle = Double(k) * .pi / 7, r = k % 2 == 0 ? 1.6 : 0.5
            return DataPoint(x: r * cos(angle), y: r * sin(angle))
        }
        let lasso = SelectionLasso(vertices: vertices, axes: AxisPair(x: 0, y: 1))
        func inside(_ px: Double, _ py: Double) -> Bool {
            var c = false
            var j = vertices.count - 1
            for i in 0..<vertices.count {
                let a = vertices[i], b = vertices[j]
                if (a.y > py) != (b.y > py), px < (b.x - a.x) * (py - a.y) / (b.y - a.y) + a.x { c.toggle() }
                j = i
            }
            return c
        }
        let expected = (0..<n).filter { inside(Double(xs[$0]), Double(ys[$0])) }.map(Int32.init)
        XCTAssertGreaterThan(expected.count, n / 30)
        XCTAssertEqual(LassoMembers.rows(xs: xs, ys: ys, lasso: lasso), expected)
    }

    func testFileLabelsAreSafe() {
        XCTAssertEqual(ScreenSave.label("CD14+ Monocyte"), "CD14_Monocyte")
        XCTAssertEqual(ScreenSave.label("../../etc/passwd"), "etc_passwd")
        XCTAssertEqual(ScreenSave.label("細胞"), "x")
    }
}

/// A sample whose results aren't finite is listed first in the report, and Enter goes to it.
final class NonFiniteReportTests: XCTestCase {
    func testNonFiniteSamplesAreListedFirstAndReachable() throws {
        let model = try Fixtures.model(features: 10, pca: 4)
        var data = Fixtures.dataset(samples: 30, features: 10)
        var values = data.values
        for f in 0..<10 { values.storage[7 * 10 + f] = 3e38 }  // overflows float32 in the encoder
        data = Dataset(file: "t.csv", featureNames: data.featureNames, values: values, ids: data.ids, idColumn: "id", labels: data.labels)
        let session = try ExplorerSession(model: model, dataset: data)
        let backend = TestBackend(width: 100, height: 40)
        let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: true, threads: 1)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-nonfinite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        app.directory = directory
        app.draw()
        let store = try XCTUnwrap(app.background?.store)
        let deadline = Date(timeIntervalSinceNow: 60)
        while store.progress.phase != .finished && Date() < deadline { usleep(1000) }
        XCTAssertEqual(store.withSummaries { $0.verification.result.nonFiniteRows }, [7])
        app.handle(.key(.char("r")))
        app.draw()
        let screen = backend.lines()
        XCTAssertTrue(screen.containsText("FAIL"), screen.joined(separator: "\n"))
        XCTAssertTrue(screen.containsText("Not finite  1 sample with NaN or ∞ in z, J·u or C"), screen.joined(separator: "\n"))
        XCTAssertTrue(screen.containsText("✗   NaN/∞     s8  row 7"), screen.joined(separator: "\n"))
        app.handle(.key(.char("w")))
        app.waitForWrites()
        let written = try String(contentsOf: directory.appendingPathComponent("glassbox-verification-30rows-1.csv"), encoding: .utf8)
        XCTAssertTrue(written.contains("\ns8,7,,,non-finite\n"), written)
        XCTAssertEqual(written.components(separatedBy: ",ok\n").count - 1, 29)
        app.handle(.key(.enter))
        XCTAssertEqual(app.state.sample, 7, "Enter on the first listed goes to the non-finite sample")
        app.stopBackground()
    }
}
