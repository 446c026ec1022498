import Foundation
import GlassBoxCore

/// What set contributions add to the engine pass (the work behind export and the explorer's
/// background pass): the same run with `.contributions` and with `.setContributions` too,
/// alternating, on 50 hallmark-sized sets (50–200 members drawn from the features with a fixed
/// seed, overlapping as MSigDB's hallmark sets do). Prints medians and the median ratio.
func runSetBenchmark(arguments: [String]) {
    let o = BenchOptions(arguments)
    let n = o.int("n", 50_000), threads = o.int("threads", ProcessInfo.processInfo.activeProcessorCount)
    let (model, data) = benchmarkInputs(o, n: n, d: o.int("d", 2000), k: o.int("pca", 50), hidden: 128, layers: 3, m: 2)
    let d = model.featureCount
    let names = (0..<d).map { "f\($0)" }
    let sets = try! FeatureSets(
        FeatureSetFile.parse(Data(hallmarkSizedSets(names, count: o.int("sets", 50)).utf8), file: "bench.gmt"),
        featureNames: names)
    let engine = ContributionEngine<Float>(model: model, featureSets: sets)
    print(
        "n=\(data.rows) d=\(d), \(sets.fileSetCount) sets, \(sets.membershipCount) memberships (remainder \(sets.sets.last!.members.count)), \(threads) threads"
    )

    // The product alone, on one engine block (96 samples × m rows) in cache.
    let m = model.outputCount, rows = 96 * m
    let block = (0..<(rows * d)).map { Float(($0 * 7919) % 1000) / 1000 - 0.5 }
    var product = [Float](repeating: 0, count: rows * sets.count)
    let reps = o.int("product-repeat", 200)
    var best = Double.infinity
    for _ in 0..<5 {
        let start = DispatchTime.now()
        block.withUnsafeBufferPointer { c in
            product.withUnsafeMutableBufferPointer { p in
                for _ in 0..<reps { sets.apply(c.baseAddress!, rows: rows, into: p.baseAddress!) }
            }
        }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }
    print(
        String(
            format: "product alone: %.2f µs per sample, %.2f ns per membership and row (one thread, in cache)",
            best / Double(reps * 96) * 1e6, best / Double(reps * rows * sets.membershipCount) * 1e9))

    // Wall time, and the process's CPU time: other work on a shared machine stretches the first
    // much more than the second.
    var times: [String: [Double]] = ["without sets": [], "with sets": []], cpu = times
    var checksum = 0.0
    for r in 0..<o.int("repeat", 5) {
        let order: [(String, EngineOutputs)] = [("without sets", [.contributions]), ("with sets", [.contributions, .setContributions])]
        for (name, outputs) in r % 2 == 0 ? order : order.reversed() {
            let start = DispatchTime.now(), startCPU = ProcessCPU.seconds()
            try! engine.run(data, outputs: outputs, threads: threads) { chunk in
                checksum += Double(chunk.contributions![0]) + Double(chunk.setContributions?[0] ?? 0)
            }
            times[name]!.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
            cpu[name]!.append(ProcessCPU.seconds() - startCPU)
        }
        print(
            String(
                format: "repetition %d: without sets %.2f s (CPU %.2f s), with sets %.2f s (CPU %.2f s)", r + 1,
                times["without sets"]!.last!, cpu["without sets"]!.last!, times["with sets"]!.last!, cpu["with sets"]!.last!))
    }
    func median(_ v: [Double]) -> Double {
        let s = v.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    for (what, t) in [("wall", times), ("CPU", cpu)] {
        let ratios = zip(t["with sets"]!, t["without sets"]!).map { $0 / $1 }
        print(
            String(
                format: "engine pass, %@: without sets median %.2f s, with sets median %.2f s; with / without median ratio %.3f",
                what, median(t["without sets"]!), median(t["with sets"]!), median(ratios)))
    }
    print(String(format: "(checksum %.3g)", checksum))
}
