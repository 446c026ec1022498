import GlassBoxCore
import GlassBoxTUI
import GlassBoxTestSupport
import XCTest
@testable import GlassBoxExplorer

/// The analysis views' data: selection sums are exact means over the rows they cover, the
/// contrast with the rest comes from differences of sums, the compare panel's sums equal the
/// displacement, the verification report bins and ranks errors.
final class AnalysisViewsTests: XCTestCase {
    let theme = Theme(glyphs: .unicode, capability: .indexed256)

    /// Reference: means over every sample's full contributions, in plain loops.
    struct Reference {
        var meanL2: [Double], meanShare: [Double], meanSigned: [Double]
        func ranking(limit: Int) -> [Int] { TopK.indices(count: meanL2.count, k: limit) { meanL2[$0] } }
    }

    func reference(_ session: ExplorerSession, rows: [Int]) -> Reference {
        let m = session.outputCount, d = session.featureCount, n = Double(rows.count)
        var l2 = [Double](repeating: 0, count: d), share = l2, signed = [Double](repeating: 0, count: m * d)
        for r in rows {
            let c = session.engine.compute(session.dataset.values, rows: r..<(r + 1), outputs: [.contributions]).contributions!
            let norms = (0..<d).map { f in (0..<m).reduce(0.0) { $0 + Double(c[$1 * d + f]) * Double(c[$1 * d + f]) }.squareRoot() }
            let total = norms.reduce(0, +)
            for f in 0..<d {
                l2[f] += norms[f] / n
                share[f] += total > 0 ? norms[f] / total / n : 0
            }
            for e in 0..<(m * d) { signed[e] += Double(c[e]) / n }
        }
        return Reference(meanL2: l2, meanShare: share, meanSigned: signed)
    }

    func testSelectionComputationIsTheExactMeanOverScatteredRows() throws {
        let session = try Fixtures.session(samples: 300, features: 12, pca: 4)
        let rows: [Int32] = [0, 3, 7, 8, 9, 50, 51, 120, 199, 200, 201, 299]
        let job = SelectionComputation(session: session, rows: rows, threads: 2, chunkSize: 5)
        XCTAssertTrue(job.wait(timeout: 30))
        let snap = job.snapshot
        XCTAssertEqual(snap.sums.count, rows.count)
        XCTAssertNotNil(snap.seconds)
        let scores = AggregateScores(snap.sums)
        let ref = reference(session, rows: rows.map(Int.init))
        for f in 0..<12 {
            XCTAssertEqual(scores.meanL2[f], ref.meanL2[f], accuracy: 1e-5 * max(1, ref.meanL2[f]))
            XCTAssertEqual(scores.meanShare[f], ref.meanShare[f], accuracy: 1e-5)
            for j in 0..<2 {
                XCTAssertEqual(scores.meanSigned![j * 12 + f], ref.meanSigned[j * 12 + f], accuracy: 1e-5)
            }
        }
        XCTAssertEqual(scores.ranking(.l2, limit: 3), ref.ranking(limit: 3))
    }

    func testRestIsTheDifferenceOfSumsAndTheContrastRanksTheLargestDifference() {
        var all = FeatureSums(outputCount: 1, featureCount: 3, share: true)
        var part = FeatureSums(outputCount: 1, featureCount: 3, share: true)
        // Samples: s0 = (1, 0, 2) selected; s1 = (1, 4, 0), s2 = (1, 2, 0) the rest.
        func add(_ v: [Float], to sums: inout FeatureSums) {
            var c = FeatureSums(outputCount: 1, featureCount: 3, share: true)
            let l2 = v.map(abs)
            v.withUnsafeBufferPointer { s in l2.withUnsafeBufferPointer { n in
                c.add(sample: s.baseAddress!, l2: n.baseAddress!, total: l2.reduce(0, +))
            } }
            sums.merge(c)
        }
        for v: [Float] in [[1, 0, 2], [1, 4, 0], [1, 2, 0]] { add(v, to: &all) }
        add([1, 0, 2], to: &part)
        let rest = AggregateScores.rest(all: all, minus: part)!
        XCTAssertEqual(rest.count, 2)
        XCTAssertEqual(rest.meanSigned!, [1, 3, 0])
        let contrast = AggregateContrast(selection: AggregateScores(part), rest: rest)
        XCTAssertEqual(contrast.scores(.dimension(0)), [0, -3, 2])
        XCTAssertEqual(contrast.scores(.l2), [0, 3, 2])
        XCTAssertEqual(contrast.ranking(.l2), [1, 2, 0])
        XCTAssertNil(AggregateScores.rest(all: part, minus: part), "no other samples")
    }

    func testBoxMembersAreTheRowsInsideTheRectangle() {
        let rows = BoxMembers.rows(xs: [0, 1, 2, 3, .nan], ys: [0, 1, 2, 3, 1], xMin: 0.5, xMax: 2.5, yMin: 0, yMax: 5)
        XCTAssertEqual(rows, [1, 2])
    }

    func testComparePanelSumsEqualTheDisplacement() throws {
        // Without PCA the sums are exact; with it they differ by J_u·P·pca.mean_ (tiny for sklearn).
        let session = try Fixtures.session(samples: 20, features: 12, pca: nil)
        let chunk = session.engine.compute(session.dataset.values, rows: 0..<20, outputs: [.contributions])
        let a = SampleExplanation(chunk: chunk, index: 3), b = SampleExplanation(chunk: chunk, index: 11)
        let contrast = Contrast(from: a, to: b)
        for (s, dz) in zip(contrast.contributionSums, contrast.displacement) { XCTAssertEqual(s, dz, accuracy: 1e-4) }
        let (panel, shown) = ComparePanel.build(contrast: contrast, idA: "s4", idB: "s12", view: .l2, names: session.featureNames,
                                                axisNames: ["z1", "z2"], offset: 0, pageSize: 5, isFocused: true, theme: theme)
        let lines = render(panel, width: 60, height: 12).lines()
        XCTAssertTrue(lines[0].contains("Compare"))
        XCTAssertTrue(lines[1].contains("A s4 (row 4) → B s12 (row 12)"), lines[1])
        XCTAssertTrue(lines[2].contains("Δz = z_B − z_A"))
        XCTAssertTrue(lines[3].contains("Σ_f ΔC") && lines[3].contains("✓"), lines[3])
        XCTAssertTrue(lines[4].contains("C_B − C_A · L2 · features"))
        XCTAssertEqual(shown, Array(contrast.table.ranking(.l2).prefix(5)))
        XCTAssertTrue(lines[5].contains(session.featureNames[shown[0]]))
        XCTAssertTrue(lines[11].contains("1–5 of 12"))
    }

    func testSelectionPanelSaysWhatTheMeansCover() {
        let scores = AggregateScores(outputCount: 2, featureCount: 3, count: 4, meanL2: [0.2, 0.5, 0.1],
                                     meanShare: [0.25, 0.625, 0.125], meanSigned: [0.1, -0.5, 0, 0.2, 0.1, 0.1])
        let names = ["CD74", "LYZ", "NKG7"]
        let coverage = SelectionPanel.Coverage(name: "group B cell", selected: 10, covered: 4, rest: nil, restNote: "once the pass is done")
        let (panel, shown) = SelectionPanel.build(coverage: coverage, scores: scores, contrast: nil, versusRest: false, view: .l2,
                                                  names: names, axisNames: ["z1", "z2"], offset: 0, pageSize: 3, isFocused: false, theme: theme)
        XCTAssertEqual(shown, [1, 0, 2])
        assertLines(render(panel, width: 56, height: 9), [
            "╭ Selection ───────────────────────────────────────────╮",
            "│group B cell  10 samples                              │",
            "│mean over 4 of 10 selected, computed so far           │",
            "│Top features · mean L2 · d: vs rest                   │",
            "│LYZ  ███████████████████████████████████████████ 0.500│",
            "│CD74 █████████████████▎                          0.200│",
            "│NKG7 ████████▋                                   0.100│",
            "│                                                      │",
            "╰──────────────────────────────────────────── 1–3 of 3 ╯",
        ])
        let signed = SelectionPanel.build(coverage: coverage, scores: scores, contrast: nil, versusRest: true, view: .dimension(0),
                                          names: names, axisNames: ["z1", "z2"], offset: 0, pageSize: 3, isFocused: false, theme: theme)
        let lines = render(signed.panel, width: 56, height: 9).lines()
        XCTAssertTrue(lines[3].contains("vs the rest: once the pass is done"))
        XCTAssertTrue(lines[4].contains("Selection vs rest"))
        XCTAssertTrue(lines[5].contains("waiting for contributions"), lines[5])
    }

    func testVerificationReportBinsByDecadeAndListsTheWorst() {
        let errors: [Float] = [0, 2e-7, 3e-7, 5e-6, .nan, 1e-7, 0]
        var acc = VerificationAccumulator()
        acc.add(z: [1.0, 2.0], reconstruction: [1.0, 2.0])
        let report = errors.withUnsafeBufferPointer {
            VerificationReport(result: acc.result, errors: $0, done: 6, tolerance: 1e-4, precision: "single (float32)", worstCount: 3)
        }
        XCTAssertEqual(report.bins.map(\.count), [2, 3, 1])
        XCTAssertEqual(report.bins[1].low, 1e-7, accuracy: 1e-20)
        XCTAssertEqual(report.worst.map(\.row), [3, 2, 1])
        XCTAssertTrue(report.passes)
        let lines = render(ReportOverlay(report: report, ids: (1...7).map { "s\($0)" }, list: ListState(selected: 0), theme: theme),
                           width: 80, height: 30).lines()
        XCTAssertTrue(lines.containsText("covers 6 of 7 samples, computed so far"))
        XCTAssertTrue(lines.containsText("relative_error"))
        XCTAssertTrue(lines.containsText("✓ PASS"))
        XCTAssertTrue(lines.containsText("precision             single (float32)"))
        XCTAssertTrue(lines.containsText("1.0e-07–1.0e-06") || lines.containsText("1e-07–1e-06"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.containsText("5.00e-06  s4  row 4"))
    }

    func testGroupsOverviewListsSizesAndTopFeatures() throws {
        let groups = GroupIndex(labels: GroupLabels(column: "kind", values: ["a", "b", "a", "a"]))
        var sums = [FeatureSums(outputCount: 1, featureCount: 2, share: true), FeatureSums(outputCount: 1, featureCount: 2, share: true)]
        var c = FeatureSums(outputCount: 1, featureCount: 2, share: true)
        let v: [Float] = [0.5, 2]
        v.withUnsafeBufferPointer { p in c.add(sample: p.baseAddress!, l2: p.baseAddress!, total: 2.5) }
        sums[0].merge(c)
        let rows = GroupsOverview.rows(groups: groups, sums: sums, names: ["CD74", "LYZ"])
        XCTAssertEqual(rows.map(\.size), [3, 1])
        XCTAssertEqual(rows[0].top.map(\.name), ["LYZ", "CD74"])
        let lines = render(GroupsOverview(rows: rows, list: ListState(selected: 0), theme: theme), width: 70, height: 10).lines()
        XCTAssertTrue(lines.containsText("▶ a        3  (1 computed) LYZ 2.00 · CD74 0.500"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.containsText("  b        1  (0 computed) waiting for contributions"))
    }
}
