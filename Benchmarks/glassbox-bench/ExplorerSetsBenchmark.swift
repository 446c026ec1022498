import Foundation
import GlassBoxCore
#if canImport(CNCursesW) && canImport(GlassBoxExplorer)
import GlassBoxExplorer
import GlassBoxTUI

/// `explorer --feature-sets FILE` or `--sets N` (N hallmark-sized sets drawn over the data's
/// features): the sets matched to the data, or nil without either option.
func benchmarkSets(_ o: BenchOptions, featureNames: [String]) -> FeatureSets? {
    do {
        if let path = o.string("feature-sets") { return try FeatureSets.read(URL(fileURLWithPath: path), featureNames: featureNames) }
        if let count = o.string("sets").flatMap(Int.init) {
            return try FeatureSets(
                FeatureSetFile.parse(Data(hallmarkSizedSets(featureNames, count: count).utf8), file: "hallmark-sized.gmt"),
                featureNames: featureNames)
        }
    } catch {
        print("feature sets: \(error)")
    }
    return nil
}

/// The explorer's whole background pass (pilot, engine, summaries; the sets' sums and columns
/// too in `withSets`) on the same data without and with sets, alternating: wall and process
/// CPU time, and the median ratios. The two sessions share the embedding.
func measureBackgroundPass(without: ExplorerSession, withSets: ExplorerSession, repeats: Int) {
    var wall: [String: [Double]] = ["without sets": [], "with sets": []], cpu = wall
    for r in 0..<repeats {
        let order = [("without sets", without), ("with sets", withSets)]
        for (name, session) in r % 2 == 0 ? order : order.reversed() {
            let start = DispatchTime.now(), startCPU = ProcessCPU.seconds()
            let pass = BackgroundComputation(session: session)
            pass.start()
            while pass.store.progress.phase != .finished { Thread.sleep(forTimeInterval: 0.01) }
            wall[name]!.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
            cpu[name]!.append(ProcessCPU.seconds() - startCPU)
        }
        print(
            String(
                format: "  repetition %d: without sets %.2f s (CPU %.2f s), with sets %.2f s (CPU %.2f s)", r + 1,
                wall["without sets"]!.last!, cpu["without sets"]!.last!, wall["with sets"]!.last!, cpu["with sets"]!.last!))
    }
    func median(_ v: [Double]) -> Double {
        let s = v.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    for (what, t) in [("wall", wall), ("CPU", cpu)] {
        let ratios = zip(t["with sets"]!, t["without sets"]!).map { $0 / $1 }
        print(
            String(
                format: "background pass, %@: without sets median %.2f s, with sets median %.2f s; with / without median ratio %.3f",
                what, median(t["without sets"]!), median(t["with sets"]!), median(ratios)))
    }
}

/// Key → frame in the sets space (the app's session has sets and its pass is done); `series`
/// times a list of events as the other keys are timed. Leaves the app in the features space.
func setSpaceSeries(_ app: ExplorerApp<TestBackend>, sets: FeatureSets, series: (String, [InputEvent], Int) -> Void) {
    app.handle(.key(.tab))
    while app.state.space != .sets { app.handle(.key(.char("p"))) }
    app.draw()
    series("p (space cycle, through sets)", [.key(.char("p"))], 9)
    while app.state.space != .sets { app.handle(.key(.char("p"))) }
    series("sets: j/k", [.key(.char("j")), .key(.char("j")), .key(.char("k"))], 20)
    series("sets: v (view)", [.key(.char("v"))], 20)
    series("sets: z (waterfall z1, z2, off)", [.key(.char("z"))], 12)
    series("sets: Enter (members), Esc", [.key(.enter), .key(.escape)], 10)
    let name = sets.names[0]
    series("sets: / name Enter (color by a set)", [.key(.char("/"))] + name.map { .key(.char($0)) } + [.key(.enter)], 3)
    series("sets: c (color mode cycle)", [.key(.char("c"))], 10)
    series("sets: s Enter (select a group)", [.key(.char("s")), .key(.enter)], 5)
    series("sets: d (vs rest)", [.key(.char("d"))], 6)
    series("sets: o, Esc (groups overview)", [.key(.char("o")), .key(.escape)], 5)
    app.handle(.key(.escape))
    app.handle(.key(.escape))
    while app.state.space != .features { app.handle(.key(.char("p"))) }
    app.handle(.key(.tab))
    app.draw()
}
#endif
