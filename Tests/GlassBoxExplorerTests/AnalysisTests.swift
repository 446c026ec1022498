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
            v.withUnsafeBufferPointer { s in
                l2.withUnsafeBufferPointer { n in
                    c.add(sample: s.baseAddress!, l2: n.baseAddress!, total: l2.reduce(0, +))
                }
            }
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
        let contrast = SpaceContrast(from: a, to: b, space: .features)
        for (s, dz) in zip(contrast.sums, contrast.displacement) { XCTAssertEqual(s, dz, accuracy: 1e-4) }
        let built = ComparePanel.build(
            contrast: contrast, idA: "s4", idB: "s12", view: .l2, space: .features, names: session.featureNames,
            axisNames: ["z1", "z2"], offset: 0, isFocused: true, theme: theme, area: Rect(width: 60, height: 12))
        let lines = render(built.panel, width: 60, height: 12).lines()
        XCTAssertTrue(lines[0].contains("Compare"))
        XCTAssertTrue(lines[1].hasPrefix("┃A  s4") && lines[1].contains("row 3"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("┃B  s12") && lines[2].contains("row 11"), lines[2])
        XCTAssertTrue(lines[3].contains("Δz  "), lines[3])
        XCTAssertTrue(lines[4].contains("Σ ΔC") && lines[4].contains("✓"), lines[4])
        XCTAssertTrue(lines[5].contains("C_B − C_A · L2 · features"), lines[5])
        XCTAssertTrue(lines[5].hasSuffix("ΔL2┃"), "the value column's title: \(lines[5])")
        XCTAssertEqual(built.shown, Array(contrast.table.ranking(.l2).prefix(5)))
        XCTAssertTrue(lines[6].contains(session.featureNames[built.shown[0]]))
        XCTAssertTrue(lines[11].contains("1–5 of 12"))
    }

    /// At 80×24 the compare panel is 36 columns: A and B each on their line, and a
    /// 3-component Δz fits.
    func testCompareHeaderNamesBothSamplesAndFitsThreeComponents() throws {
        let session = try Fixtures.session(samples: 20, features: 12, pca: nil, outputs: 3)
        let chunk = session.engine.compute(session.dataset.values, rows: 0..<20, outputs: [.contributions])
        let contrast = SpaceContrast(
            from: SampleExplanation(chunk: chunk, index: 3), to: SampleExplanation(chunk: chunk, index: 11), space: .features)
        let longA = "AAACATACAACCAC-1-sample-with-a-very-long-barcode", longB = "AAACATACAACCAC-1-sample-with-another-long-barcode"
        let lines = ComparePanel.header(contrast, idA: longA, idB: longB, width: 34, theme: theme).map(\.plainText)
        XCTAssertTrue(lines[0].hasPrefix("A  AAACATAC") && lines[0].hasSuffix("row 3"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("B  AAACATAC") && lines[1].hasSuffix("row 11"), lines[1])
        XCTAssertNotEqual(lines[0].dropFirst(3), lines[1].dropFirst(3), "cut in the middle, the ids still differ")
        XCTAssertEqual(lines[2].split(separator: " ").count, 4, "Δz and its three values: \(lines[2])")
        for line in lines { XCTAssertLessThanOrEqual(TextWidth.width(line), 34, line) }
    }

    func testSelectionPanelSaysWhatTheMeansCoverAndTheMakeUp() {
        let scores = AggregateScores(
            outputCount: 2, featureCount: 3, count: 4, meanL2: [0.2, 0.5, 0.1],
            meanShare: [0.25, 0.625, 0.125], meanSigned: [0.1, -0.5, 0, 0.2, 0.1, 0.1])
        let names = ["CD74", "LYZ", "NKG7"]
        let coverage = SelectionPanel.Coverage(
            name: "box z1 0…1 × z2 0…1", selected: 10, covered: 4,
            makeup: [("B cell", 7), ("T cell", 2), ("NK", 1)], versusName: "the rest",
            versusNote: "once the pass is done")
        let built = SelectionPanel.build(
            coverage: coverage, scores: scores, contrast: nil, versus: nil, view: .l2,
            names: names, axisNames: ["z1", "z2"], offset: 0, isFocused: false, theme: theme,
            area: Rect(width: 56, height: 10))
        XCTAssertEqual(built.shown, [1, 0, 2])
        assertLines(
            render(built.panel, width: 56, height: 10),
            [
                "╭ Selection ───────────────────────────────────────────╮",
                "│box z1 0…1 × z2 0…1  10 samples                       │",
                "│B cell 7 · T cell 2 · NK 1                            │",
                "│mean over 4 of 10 selected, computed so far           │",
                "│Top features · mean L2                         mean L2│",
                "│LYZ  █████████████████████████████████████████   0.500│",
                "│CD74 ████████████████▍                           0.200│",
                "│NKG7 ████████▎                                   0.100│",
                "│                                                      │",
                "╰─────────────────────────────────── 1–3 of 3 features ╯",
            ])
        let signed = SelectionPanel.build(
            coverage: coverage, scores: scores, contrast: nil, versus: .rest, view: .dimension(0),
            names: names, axisNames: ["z1", "z2"], offset: 0, isFocused: false, theme: theme,
            area: Rect(width: 56, height: 10))
        let lines = render(signed.panel, width: 56, height: 10).lines()
        XCTAssertTrue(lines[4].contains("vs the rest: once the pass is done"), lines[4])
        XCTAssertTrue(lines[5].contains("vs rest"), lines[5])
        XCTAssertTrue(lines[6].contains("waiting for contributions"), lines[6])
        // One label: "all …".
        let one = SelectionPanel.header(
            SelectionPanel.Coverage(name: "group B", selected: 3, covered: 3, makeup: [("B", 3)]),
            versus: nil, width: 40, theme: theme)
        XCTAssertEqual(one[1].plainText, "all B")
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
        let lines = render(
            ReportOverlay(report: report, ids: (1...7).map { "s\($0)" }, list: ListState(selected: 0), theme: theme),
            width: 80, height: 30
        ).lines()
        XCTAssertTrue(lines.containsText("covers 6 of 7 samples, computed so far"))
        XCTAssertTrue(lines.containsText("relative_error"))
        XCTAssertTrue(lines.containsText("✓ PASS"))
        XCTAssertTrue(lines.containsText("precision             single (float32)"))
        XCTAssertTrue(lines.containsText("1.0e-07–1.0e-06") || lines.containsText("1e-07–1e-06"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.containsText("5.00e-06  s4  row 3"), "rows are 0-based")
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
