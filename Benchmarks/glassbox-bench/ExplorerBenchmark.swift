import Foundation
import GlassBoxCore
#if canImport(Glibc)
import Glibc
#endif

// The explorer's budgets, measured on synthetic models and data (see `syntheticModel`):
// (a) parsed data → first scatter frame at 100,000 samples (≤ 0.5 s),
// (b) key → frame for navigation and color-mode changes at 1,000,000 samples (≤ 30 ms),
// (c) peak resident memory at 1,000,000 × 2,000 once every contribution is summarized.
// With `--feature-sets FILE` or `--sets N` (N hallmark-sized sets), also (d): the background pass
// with and without the sets on the same data (ratio), and key → frame in the sets space.
// With `--model M --data FILE` (a .h5ad or CSV), the same on that file: (a) then times the file
// → first frame (opening and reading it included; `--budget` seconds, default 0.5; `--compare
// FILE2` times another file of the same cells too, e.g. the CSV), and (b)/(c) use its samples.
// glassbox-bench must depend on GlassBoxExplorer (Package.swift) for this to run; without it,
// it says so. (`canImport(GlassBoxExplorer)` alone can't tell: the module sits in the shared
// build folder either way. CNCursesW's module map is only visible to dependents.)
#if canImport(CNCursesW) && canImport(GlassBoxExplorer)
import GlassBoxExplorer
import GlassBoxTUI

func runExplorerBenchmark(arguments: [String]) {
    let o = BenchOptions(arguments)
    var d = o.int("d", 2000)
    let k = o.int("pca", 50), h = o.int("hidden", 128), layers = o.int("layers", 3)
    let model: GlassBoxModel
    if let path = o.string("model") {
        do { model = try ModelFile.load(URL(fileURLWithPath: path)) } catch { print("\(error)"); return }
        d = model.featureCount
        print("explorer benchmark: \(path), \(d) features, \(ProcessInfo.processInfo.activeProcessorCount) cores")
    } else {
        model = syntheticModel(d: d, k: k, hidden: h, layers: layers, m: 2)
        print(
            "explorer benchmark: synthetic model d=\(d) → PCA \(k) → \(h)×\(layers) → 2, \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
    }
    /// Opens and reads a data file as the explorer's loader does.
    func read(_ path: String) -> Dataset? {
        do {
            let source = try DatasetReader.open(
                URL(fileURLWithPath: path), csv: CSVReadOptions(), anndata: AnnDataReadOptions(),
                expecting: FeatureExpectation(model: model))
            return try source.readAll()
        } catch {
            print("\(path): \(error)")
            return nil
        }
    }
    let file = o.string("data")

    // (a) A file → first frame: read, embedding, spatial index, the frame.
    for path in [file, o.string("compare")].compactMap({ $0 }) {
        var best = (total: Double.infinity, read: 0.0, embed: 0.0, index: 0.0, frame: 0.0)
        for _ in 0..<3 {
            let start = DispatchTime.now()
            guard let data = read(path) else { return }
            let loaded = elapsed(since: start)
            guard let session = try? ExplorerSession(model: model, dataset: data) else { print("\(path): the embedding failed"); return }
            let embedded = elapsed(since: start)
            _ = session.axisData(AxisPair(x: 0, y: 1))
            let indexed = elapsed(since: start)
            let app = ExplorerApp(backend: TestBackend(width: 200, height: 60), session: session, theme: Theme())
            app.draw()
            let seconds = elapsed(since: start)
            app.stopBackground()
            if seconds < best.total { best = (seconds, loaded, embedded - loaded, indexed - embedded, seconds - indexed) }
        }
        print(
            String(
                format: "    read %.3f s, embedding %.3f s, spatial index %.3f s, first frame %.3f s", best.read, best.embed, best.index,
                best.frame))
        report("(a) \(path) → first scatter frame", seconds: best.total, budget: Double(o.string("budget") ?? "") ?? 0.5)
    }

    // (a) First frame at 100,000 samples.
    if file == nil {
        let n = o.int("first-n", 100_000)
        let data = syntheticDataset(n: n, d: d, groups: 12)
        var best = (total: Double.infinity, embed: 0.0, index: 0.0, frame: 0.0)
        for _ in 0..<3 {
            let start = DispatchTime.now()
            let session = try! ExplorerSession(model: model, dataset: data)
            let embedded = elapsed(since: start)
            _ = session.axisData(AxisPair(x: 0, y: 1))
            let indexed = elapsed(since: start)
            let backend = TestBackend(width: 200, height: 60)
            let app = ExplorerApp(backend: backend, session: session, theme: Theme())
            app.draw()
            let seconds = elapsed(since: start)
            app.stopBackground()
            if seconds < best.total { best = (seconds, embedded, indexed - embedded, seconds - indexed) }
        }
        print(String(format: "    embedding %.3f s, spatial index %.3f s, first frame %.3f s", best.embed, best.index, best.frame))
        report("(a) parsed data → first scatter frame, n=\(n)", seconds: best.total, budget: 0.5)
    }

    // (b) + (c) at 1,000,000 × 2,000 with the background pass complete.
    let data: Dataset
    if let file {
        guard let read = read(file) else { return }
        data = read
    } else {
        print("building \(o.int("n", 1_000_000)) × \(d) samples…")
        data = syntheticDataset(n: o.int("n", 1_000_000), d: d, groups: 20)
    }
    let n = data.sampleCount
    let start = DispatchTime.now()
    var session = try! ExplorerSession(model: model, dataset: data)
    _ = session.axisData(AxisPair(x: 0, y: 1))
    print(String(format: "embedding + spatial index: %.2f s", elapsed(since: start)))
    let sets = benchmarkSets(o, featureNames: data.featureNames)
    if let sets {
        print(
            "(d) \(sets.fileSetCount) feature sets, \(sets.membershipCount) memberships, \(sets.overlappingFeatureCount) features in 2+ sets"
        )
        let withSets = try! ExplorerSession(model: model, dataset: data, featureSets: sets, embedding: session.embedding)
        measureBackgroundPass(without: session, withSets: withSets, repeats: o.int("pass-repeat", 3))
        session = withSets
        _ = session.axisData(AxisPair(x: 0, y: 1))
    }
    let backend = TestBackend(width: 200, height: 60)
    let app = ExplorerApp(backend: backend, session: session, theme: Theme())
    app.draw()
    let pass = DispatchTime.now()
    let store = app.background!.store
    while store.progress.phase != .finished {
        Thread.sleep(forTimeInterval: 0.5)
        if case .failed(let why) = store.progress.phase { print("background pass failed: \(why)"); return }
    }
    print(
        String(
            format: "background pass (Jacobians, contributions, summary): %.1f s, %.0f samples/s; J_u stored: %@",
            elapsed(since: pass), Double(n) / elapsed(since: pass), store.storesJacobians ? "yes" : "no"))
    app.draw()

    func timeKey(_ event: InputEvent) -> Double {
        let t = DispatchTime.now()
        app.handle(event)
        app.draw()
        return elapsed(since: t)
    }
    func series(_ name: String, _ events: [InputEvent], repeats: Int = 20) {
        var times: [Double] = []
        for _ in 0..<repeats { for e in events { times.append(timeKey(e)) } }
        times.sort()
        let median = times[times.count / 2], worst = times.last!
        print(
            String(
                format: "(b) %-34@ median %6.2f ms  max %6.2f ms  → %.2f× budget (max)", name as NSString,
                median * 1000, worst * 1000, worst / 0.030))
    }
    if let sets { setSpaceSeries(app, sets: sets) { series($0, $1, repeats: $2) } }
    series("j/k (file order)", [.key(.char("j")), .key(.char("j")), .key(.char("k"))])
    series("h/l/arrows (nearest that way)", [.key(.char("l")), .key(.up), .key(.char("h")), .key(.down)])
    series("n/N (same group)", [.key(.char("n")), .key(.char("n")), .key(.char("N"))])
    series("g + row + Enter", [.key(.char("g"))] + String(n / 2 + 1).map { .key(.char($0)) } + [.key(.enter)], repeats: 3)
    series("v (sample view)", [.key(.char("v"))])
    series("c (color mode cycle)", [.key(.char("c"))], repeats: 12)
    while app.state.colorMode != .group { app.handle(.key(.char("c"))) }
    app.draw()

    // Round two's keys (#14).
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    app.directory = scratch
    func chars(_ s: String) -> [InputEvent] { s.map { .key(.char($0)) } }
    series("] / [ (highlight a group)", [.key(.char("]")), .key(.char("]")), .key(.char("["))])
    app.handle(.key(.escape))
    series("z (waterfall z1, z2, off)", [.key(.char("z"))], repeats: 12)
    series("g + part of an id + Enter (find)", [.key(.char("g"))] + chars("1234") + [.key(.enter)], repeats: 3)
    series("Y (copy the focused id)", [.key(.char("Y"))])
    series("w (write the sample: frame)", [.key(.char("w"))], repeats: 5)
    app.waitForWrites()
    series("s Enter (select a group)", [.key(.char("s")), .key(.enter)], repeats: 5)
    series("d (vs rest)", [.key(.char("d"))], repeats: 6)
    series("a + Enter (keep), A (list), Esc", [.key(.char("a")), .key(.enter), .key(.char("A")), .key(.escape)], repeats: 3)
    series("C (copy the selection's ids)", [.key(.char("C"))], repeats: 3)
    series("w (write the selection: frame)", [.key(.char("w"))], repeats: 3)
    app.waitForWrites()
    series(
        "f, arrows, Space, Enter (keyboard lasso)",
        [
            .key(.char("f")), .key(.char(" ")), .key(.right), .key(.right), .key(.char(" ")), .key(.up), .key(.up), .key(.char(" ")),
            .key(.enter),
        ],
        repeats: 3)
    // A lasso dragged over the scatter (its canvas is on the left of the 200×60 screen).
    let drag: [InputEvent] =
        [.mouse(MouseEvent(x: 40, y: 15, button: .left, kind: .press))]
        + [(60, 15), (70, 30), (55, 45), (35, 35)].map { .mouse(MouseEvent(x: $0.0, y: $0.1, button: .left, kind: .drag)) }
        + [.mouse(MouseEvent(x: 35, y: 35, button: .left, kind: .release))]
    series("mouse drag lasso (press, drags, release)", drag, repeats: 3)
    app.handle(.key(.escape))
    app.handle(.key(.escape))
    app.draw()

    guard app.state.input == .normal else { print("a key series left a text field open"); return }

    // Columns that are not kept arrive in the background: time until they are drawn.
    let feature = (0..<d).first { !store.keptFeatures.contains($0) }!
    let pick = DispatchTime.now()
    app.handle(.key(.char("/")))
    for c in session.featureNames[feature] { app.handle(.key(.char(c))) }
    app.handle(.key(.enter))
    app.draw()
    let frame = elapsed(since: pick)
    while store.withContributionColumn(feature, { _, known in known }) ?? 0 < n {
        Thread.sleep(forTimeInterval: 0.005)
        if elapsed(since: pick) > 60 { print("the column did not arrive within a minute"); return }
    }
    print(
        String(
            format: "(b) / pick an untracked feature: frame %.2f ms; its column (from stored J_u) ready after %.0f ms",
            frame * 1000, elapsed(since: pick) * 1000))

    // Raw values of a feature not read yet: one strided pass down the n × d matrix.
    while app.state.colorMode != .value { app.handle(.key(.char("c"))) }
    let valueStart = DispatchTime.now()
    app.draw()
    let valueFrame = elapsed(since: valueStart)
    while store.valueColumn(feature) == nil {
        Thread.sleep(forTimeInterval: 0.002)
        if elapsed(since: valueStart) > 60 { print("the value column did not arrive within a minute"); return }
    }
    app.draw()
    print(
        String(
            format: "(b) value coloring of a new feature: frame %.2f ms; colored after %.0f ms",
            valueFrame * 1000, elapsed(since: valueStart) * 1000))

    let rss = peakResidentBytes()
    let floor = Double(n * d * 4)
    print(
        String(
            format:
                "(c) peak RSS %.2f GB at %d × %d: the data matrix alone is %.2f GB; the rest %.2f GB (n×m×d contributions would be %.1f GB)",
            rss / 1e9, n, d, floor / 1e9, (rss - floor) / 1e9, Double(n * 2 * d * 4) / 1e9))
    app.stopBackground()
}

/// Uniform features in [-1, 1) (a cheap LCG: 2·10⁹ values must not dominate the run) and
/// `groups` labels.
func syntheticDataset(n: Int, d: Int, groups: Int) -> Dataset {
    var state: UInt32 = 12345
    let values = [Float](unsafeUninitializedCapacity: n * d) { buffer, initialized in
        for i in 0..<(n * d) {
            state = state &* 1_664_525 &+ 1_013_904_223
            buffer[i] = Float(state >> 8) / Float(1 << 23) - 1
        }
        initialized = n * d
    }
    let labels = GroupLabels(
        column: "group", categories: (0..<groups).map { "group \($0)" },
        codes: (0..<n).map { Int32($0 * 7 % groups) })
    return Dataset(
        file: "synthetic", featureNames: (0..<d).map { "feature\($0)" },
        values: Matrix(rows: n, cols: d, storage: values), labels: labels)
}

private func elapsed(since t: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9
}

private func report(_ name: String, seconds: Double, budget: Double) {
    print(String(format: "%@: %.3f s (budget %.1f s) → %.2f× budget", name, seconds, budget, seconds / budget))
}

/// Peak resident set size in bytes (Linux: ru_maxrss is in kilobytes).
private func peakResidentBytes() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_maxrss) * 1024
}
#else
func runExplorerBenchmark(arguments: [String]) {
    print(
        "glassbox-bench explorer: this build of glassbox-bench does not link GlassBoxExplorer and GlassBoxTUI; add them to its dependencies in Package.swift"
    )
}
#endif
