import Foundation
import GlassBoxCore
import GlassBoxTUI
import GlassBoxTestSupport
import XCTest
@testable import GlassBoxExplorer

/// The sets space (`--feature-sets`): the cycle of spaces, `/` and Enter on sets, every view
/// with sets in the place of features at 80×24 and 200×60, the numbers against the members'
/// feature contributions, and the files `w` writes.
final class SetsSpaceTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-sets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func sets(_ gmt: String, features d: Int = 12) throws -> FeatureSets {
        try FeatureSets(FeatureSetFile.parse(Data(gmt.utf8), file: "sets.gmt", format: .gmt), featureNames: (0..<d).map { "gene\($0)" })
    }

    /// A finished session with sets in an app on a `width`×`height` backend.
    func app(
        _ gmt: String = Fixtures.disjointSets, width: Int = 80, height: Int = 24, pca: Int? = 4
    ) throws -> (ExplorerApp<TestBackend>, TestBackend) {
        let session = try Fixtures.session(samples: 60, features: 12, pca: pca, sets: gmt)
        let backend = TestBackend(width: width, height: height)
        let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: true, threads: 1)
        app.directory = directory
        app.draw()
        app.awaitBackgroundPass()
        return (app, backend)
    }

    // MARK: Reducer

    func testPCyclesFeaturesComponentsSetsAndSkipsWhatIsMissing() throws {
        let xs: [Float] = [0, 1, 2], ys: [Float] = [0, 1, 2]
        let s = try sets(Fixtures.disjointSets, features: 5)
        func cycle(_ ctx: ExplorerContext) -> [FeatureSpace] {
            var state = ExplorerState(hasLabels: false), seen: [FeatureSpace] = []
            for _ in 0..<3 {
                state = reduce(state, .toggleSpace, ctx).state
                seen.append(state.space)
            }
            return seen
        }
        XCTAssertEqual(cycle(context(xs: xs, ys: ys, components: 4, sets: s)), [.components, .sets, .features])
        XCTAssertEqual(cycle(context(xs: xs, ys: ys, sets: s)), [.sets, .features, .sets])
        XCTAssertEqual(cycle(context(xs: xs, ys: ys, components: 4)), [.components, .features, .components])
        let none = reduce(ExplorerState(hasLabels: false), .toggleSpace, context(xs: xs, ys: ys))
        XCTAssertEqual(none.state.space, .features)
        XCTAssertEqual(none.state.message?.text, "features only: this model has no PCA step, and no --feature-sets were given")
        XCTAssertEqual(none.effects, [])
    }

    func testFindPicksASetInTheSetsSpaceAndEnterListsItsMembers() throws {
        let s = try sets(Fixtures.disjointSets, features: 12)
        let ctx = context(xs: [0, 1], ys: [0, 1], features: (0..<12).map { "gene\($0)" }, sets: s)
        var state = ExplorerState(hasLabels: false)
        state.space = .sets
        state = apply([.startSearch] + "mono".map { .insert($0) }, from: state, ctx)
        let (found, effects) = reduce(state, .submit, ctx)
        XCTAssertEqual(found.highlightedSet, 2)
        XCTAssertEqual(found.colorSet, 2)
        XCTAssertEqual(found.colorMode, .contribution)
        XCTAssertEqual(found.highlightedFeature, nil, "a set is not a feature")
        XCTAssertEqual(effects, [], "the pass keeps every set's column: nothing to request")
        let open = reduce(found, .showMembers, ctx).state
        XCTAssertEqual(open.overlay, .members(set: 2, ListState(selected: 0)))
        XCTAssertEqual(reduce(open, .moveSelection(1), ctx).state.overlay, .members(set: 2, ListState(selected: 1)))
        XCTAssertNil(reduce(open, .back, ctx).state.overlay)
        // In the features space, Enter says where sets are.
        var features = found
        features.space = .features
        XCTAssertEqual(reduce(features, .showMembers, ctx).state.message?.text, "Enter lists a set's members: show the sets (p)")
        // A feature found in the features space colors by the feature again.
        let back = reduce(apply([.startSearch, .insert("g")], from: features, ctx), .submit, ctx).state
        XCTAssertNil(back.colorSet)
        XCTAssertEqual(back.colorFeature, 0)
    }

    func testWritingInTheSetsSpaceAsksForSets() throws {
        let s = try sets(Fixtures.disjointSets, features: 12)
        let ctx = context(xs: [0, 1], ys: [0, 1], labels: ["a", "b"], features: (0..<12).map { "gene\($0)" }, sets: s)
        var state = ExplorerState(hasLabels: true)
        state.space = .sets
        XCTAssertEqual(reduce(state, .write, ctx).effects, [.save(.sample(row: 0, space: .sets))])
        state.selection = .group(0)
        XCTAssertEqual(reduce(state, .write, ctx).effects, [.save(.selection(.group(0), versus: nil, kept: [], view: .l2, space: .sets))])
        state.overlay = .groups(ListState(selected: 0))
        XCTAssertEqual(reduce(state, .write, ctx).effects, [.save(.groups(space: .sets))])
    }

    // MARK: Loading

    /// The set file is read with the inputs: a bad one stops the loader before the screen opens
    /// (exit 2), and a warning about sets with no member is what the status line shows first.
    func testSetsAreReadWithTheInputsAndTheirWarningIsShown() throws {
        let model = try Fixtures.model(features: 12, pca: 4), data = Fixtures.dataset(samples: 30, features: 12)
        func loader(_ gmt: String) -> ExplorerLoader {
            ExplorerLoader(
                inputs: ExplorerInputs(
                    modelPath: "m.pt", dataPath: "d.csv", loadModel: { model }, loadData: { _, _ in data },
                    loadSets: { names in
                        try FeatureSets(FeatureSetFile.parse(Data(gmt.utf8), file: "s.gmt", format: .gmt), featureNames: names)
                    }))
        }
        let bad = loader("no tab here\n")
        bad.start()
        XCTAssertTrue(bad.waitForInputs(timeout: 10))
        XCTAssertEqual(
            (bad.snapshot.error as? InputError)?.description,
            "s.gmt:1: found 'no tab here' with no tab, expected name<TAB>description<TAB>feature<TAB>…")

        let good = loader("A\tna\tgene0\tgene1\nEmpty\tna\tNOPE\n")
        good.start()
        let deadline = Date(timeIntervalSinceNow: 30)
        while good.session == nil && Date() < deadline { usleep(1000) }
        XCTAssertEqual(try XCTUnwrap(good.session).featureSets?.fileSetCount, 2)
        let backend = TestBackend(width: 200, height: 30)
        let app = ExplorerApp(backend: backend, loader: good, theme: Theme(), threads: 1)
        _ = app.run(pollMs: 0, idleTicks: 2)
        XCTAssertTrue(
            backend.lines().last!.contains("warning: s.gmt: 1 set has no member among the model's 12 features: 'Empty' (line 2)"),
            backend.lines().last!)
        app.stopBackground()
    }

    // MARK: Numbers

    /// Every set's value is the sum of its members' feature contributions, added in a plain
    /// loop in float64 — bit for bit — and with the remainder they add up to z.
    func testSetValuesAreTheSumsOfTheirMembersContributions() throws {
        let session = try Fixtures.session(samples: 20, features: 12, pca: 4, sets: Fixtures.disjointSets)
        let sets = try XCTUnwrap(session.featureSets)
        let cache = ExplanationCache(session: session)
        for row in [0, 7, 19] {
            let e = cache.explanation(for: row), table = cache.table(for: row, space: .sets)
            XCTAssertEqual(table.columnCount, 4)
            for j in 0..<e.outputCount {
                for s in 0..<sets.count {
                    var sum = 0.0
                    for f in sets.sets[s].members { sum += e.contributions[j * e.featureCount + f] }
                    XCTAssertEqual(table.value(component: j, feature: s), sum, "row \(row) z\(j + 1) \(sets.names[s])")
                }
                // A partition adds up to Σ_f C, which is z (up to the fixture's PCA mean term).
                XCTAssertEqual(table.sums[j], e.contributionSums[j], accuracy: 1e-12 * max(1, abs(e.embedding[j])))
            }
        }
    }

    /// The pass's set sums and columns are the sets of each sample's contributions.
    func testThePassKeepsEverySetsSumsAndColumns() throws {
        let (app, _) = try app()
        let session = try XCTUnwrap(app.session), store = try XCTUnwrap(app.background?.store)
        let sets = try XCTUnwrap(session.featureSets)
        let cache = ExplanationCache(session: session)
        var signed = [Double](repeating: 0, count: 2 * sets.count)
        for row in 0..<session.sampleCount {
            let t = cache.table(for: row, space: .sets)
            for e in 0..<signed.count { signed[e] += t.values[e] }
            let l2 = t.l2
            for s in 0..<sets.count {
                let kept = try XCTUnwrap(store.withSetColumn(s) { Double($0[row]) })
                XCTAssertEqual(kept, l2[s], accuracy: 1e-5 * max(1, l2[s]), "row \(row) set \(s)")
            }
        }
        let all = try XCTUnwrap(store.withSetSummaries { $0.all })
        XCTAssertEqual(all.count, session.sampleCount)
        for e in 0..<signed.count { XCTAssertEqual(all.signed[e], signed[e], accuracy: 1e-4 * max(1, abs(signed[e]))) }
        let groups: [FeatureSums]? = store.withSetSummaries { $0.groups } ?? nil
        XCTAssertEqual(groups?.map { $0.count }, [20, 20, 20])
        app.stopBackground()
    }

    // MARK: Screens

    func testEveryViewInTheSetsSpaceAtTheReferenceSizeAndLarge() throws {
        for (width, height) in [(80, 24), (200, 60)] {
            let (app, backend) = try app(width: width, height: height)
            let what = "\(width)×\(height)"
            func check(_ view: String, _ needles: [String], absent: [String] = []) {
                let text = backend.lines()
                for n in needles { XCTAssertTrue(text.containsText(n), "\(what) \(view): no '\(n)'\n" + text.joined(separator: "\n")) }
                for n in absent { XCTAssertFalse(text.containsText(n), "\(what) \(view): '\(n)'\n" + text.joined(separator: "\n")) }
            }
            app.press([.tab, .char("p"), .char("p")])
            XCTAssertEqual(app.state.space, .sets)
            check(
                "sample", ["Contributions · sets", "Monocytes", "z = Σ_set C", "partition (+3 in none): Σ = z", "of 4 sets"],
                absent: ["3.00"])  // a set's size is a count
            // Long names are cut in the middle (NameFit), so their ends still tell them apart.
            if width == 80 {
                check("cut names", ["B cell…arkers", "T cell…arkers", "(not i…y set)"])
            } else {
                check("names", ["B cell markers", "T cell and nat…xicity markers", "(not in any set)"])
            }

            app.press([.char("z")])
            check("waterfall", ["Waterfall · z1 · sets", "Σ = z1", "error"], absent: ["overlap"])
            app.press([.char("v")])

            app.press([.enter])
            check("members", ["Members of", "members · sample s1", "set L2", "gene"])
            app.press([.escape])

            app.press([.char("m"), .char("j")])
            check("compare", ["C_B − C_A", "sets", "A  s1", "B  s2"])
            app.press([.char("z")])
            check("compare waterfall", ["Waterfall · Δz1 · sets", "Σ = Δz1"])
            app.press([.char("v"), .char("m")])

            app.press([.char("s"), .enter])
            check("selection", ["Top sets", "group alpha", "mean over all 20 selected", "Monocytes"])
            app.press([.char("d")])
            check("vs rest", ["vs the rest: 40 samples", "of 4 sets"])
            app.press([.char("z")])
            check("selection waterfall", ["Waterfall · Δ mean z1", "of 4 sets"])
            app.press([.char("v"), .enter])
            check("selection members", ["Members of", "Δ mean, group alpha"])
            app.press([.escape, .escape, .escape])

            app.press([.char("o")])
            check("groups overview", ["top sets by mean L2", "alpha"])
            app.press([.escape])

            app.press([.char("/")] + "mono".map { .char($0) })
            check("find set", ["Monocytes"])
            app.press([.enter])
            check(
                "color by set", ["color: set Monocytes", "Monocytes: coloring by its contribution"], absent: ["computing", "not computed"])
            if width == 200 { check("color legend", ["color: set Monocytes contribution", "‖C[:, Monocytes]‖"]) }
            app.stopBackground()
        }
    }

    /// Overlapping sets: the waterfall says plainly that its rows don't add up to z.
    /// The status line's word on the sets, short enough for 80 columns.
    func testTheStatusNoteSaysWhetherTheSetsAddUpToZ() throws {
        XCTAssertEqual(
            ExplorerLoader.statusNote(try sets(Fixtures.overlappingSets)),
            "sets.gmt: \(try sets(Fixtures.overlappingSets).fileSetCount) sets overlap: their contributions do not add up to z")
        let disjoint = try sets(Fixtures.disjointSets)
        let rest = disjoint.sets[disjoint.remainderIndex].members.count
        XCTAssertGreaterThan(rest, 0)
        XCTAssertEqual(
            ExplorerLoader.statusNote(disjoint),
            "sets.gmt: \(disjoint.fileSetCount) sets (+\(rest) features in none) partition the features: they add up to z")
        let whole = try sets("all\t\t" + (0..<12).map { "gene\($0)" }.joined(separator: "\t") + "\n")
        XCTAssertEqual(ExplorerLoader.statusNote(whole), "sets.gmt: 1 set partitions the features: it adds up to z")
        XCTAssertLessThanOrEqual(ExplorerLoader.statusNote(disjoint).count, 80)
    }

    func testOverlappingSetsSayTheirRowsDoNotAddUpToZ() throws {
        let (app, backend) = try app(Fixtures.overlappingSets, pca: nil)
        app.press([.char("p"), .char("z")])
        let text = backend.lines()
        XCTAssertTrue(text.containsText("sets overlap (1 feature): Σ ≠ z"), text.joined(separator: "\n"))
        XCTAssertTrue(text.containsText("Σ (overlap)"), text.joined(separator: "\n"))
        XCTAssertFalse(text.containsText("Σ = z1"), text.joined(separator: "\n"))
        XCTAssertTrue(text.containsText("sets overlap: Σ ≠ z1 "), text.joined(separator: "\n"))
        XCTAssertTrue(text.containsText("(not i…y set)"), "the remainder is a row: " + text.joined(separator: "\n"))
        app.stopBackground()
    }

    // MARK: Files

    func testWritingInTheSetsSpaceNamesTheSets() throws {
        let (app, _) = try app()
        app.press([.char("p"), .char("p"), .char("w")])
        var files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(files, ["glassbox-sample-s1-1.csv"])
        let sample = try String(contentsOf: directory.appendingPathComponent(files[0]), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(sample.first, "id,rank,set,l2,share,contribution_z1,contribution_z2,n_members")
        XCTAssertEqual(sample.count, 5)
        XCTAssertTrue(sample.contains { $0.contains(",Monocytes,") && $0.hasSuffix(",3") })

        app.press([.char("s"), .enter, .char("w")])
        files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix("-sets.csv") }
        XCTAssertEqual(files, ["glassbox-selection-alpha-1-sets.csv"])
        let selection = try String(contentsOf: directory.appendingPathComponent(files[0]), encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(selection[0].hasPrefix("rank,set,mean_l2,mean_share"))
        XCTAssertEqual(selection.count, 5)
        app.stopBackground()
    }
}
