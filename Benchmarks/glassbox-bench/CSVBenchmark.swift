#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GlassBoxCore

/// `glassbox-bench csv FILE [--label-column NAME] [--id-column NAME] [--repeat N]`: reads FILE with
/// the CSV dataset reader and prints rows, columns, seconds, MB/s, peak RSS and matrix bytes,
/// then one `key=value` line for scripts/bench_csv.py. Generate a file with scripts/make_csv_bench.py.
func runCSVBenchmark(arguments: [String]) {
    guard let path = arguments.first, !path.hasPrefix("--") else {
        print("usage: glassbox-bench csv FILE [--label-column NAME] [--id-column NAME] [--repeat N]")
        return
    }
    let flags = BenchOptions(Array(arguments.dropFirst()))
    var options = CSVReadOptions()
    options.labelColumn = flags.string("label-column")
    options.idColumn = flags.string("id-column")
    let url = URL(fileURLWithPath: path)
    let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    var best = Double.infinity
    var bestCPU = Double.infinity
    var dataset: Dataset?
    for _ in 0..<max(1, flags.int("repeat", 1)) {
        dataset = nil
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = cpuSeconds()
        do {
            dataset = try CSVDatasetReader.read(url, options: options, expecting: nil) { note in
                FileHandle.standardError.write(Data("note: \(note)\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        bestCPU = min(bestCPU, cpuSeconds() - cpuStart)
    }
    let data = dataset!
    let peakRSS = peakResidentBytes()
    let matrixBytes = data.sampleCount * data.featureCount * MemoryLayout<Float>.stride
    var checksum = 0.0
    for v in try! data.denseValues().storage { checksum += Double(v) }
    let mb = Double(fileBytes) / 1e6
    print(
        """
        file:          \(path) (\(String(format: "%.1f", mb)) MB)
        rows × cols:   \(data.sampleCount) × \(data.featureCount)\(data.labels.map { ", labels '\($0.column)' (\($0.categories.count) groups)" } ?? "")
        seconds:       \(String(format: "%.3f", best)) (CPU \(String(format: "%.3f", bestCPU)) s over the cores)
        throughput:    \(String(format: "%.0f", mb / best)) MB/s
        peak RSS:      \(String(format: "%.1f", Double(peakRSS) / 1e6)) MB (\(String(format: "%.2f", Double(peakRSS) / Double(max(matrixBytes, 1))))× the matrix)
        matrix bytes:  \(String(format: "%.1f", Double(matrixBytes) / 1e6)) MB
        checksum:      \(String(format: "%.6e", checksum))
        """)
    print(
        "RESULT rows=\(data.sampleCount) cols=\(data.featureCount) seconds=\(best) cpu_seconds=\(bestCPU) peak_rss=\(peakRSS) matrix_bytes=\(matrixBytes) checksum=\(checksum)"
    )
}

/// User + system CPU time of this process so far.
private func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Peak resident set size. On Linux this is VmHWM of /proc/self/status: getrusage's ru_maxrss
/// would include the high-water mark of the process that spawned us (kept across fork and exec).
private func peakResidentBytes() -> Int {
    #if os(Linux)
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kB = Int(line.split(separator: " ").dropFirst().first ?? "")
    {
        return kB * 1024
    }
    #endif
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Int(usage.ru_maxrss)
    #endif
}
