import Foundation
import GlassBoxCore

/// glassbox-bench: speed figures as ratios against a reference measured in the same run.
/// Build with `swift build -c release --product glassbox-bench`.
let arguments = Array(CommandLine.arguments.dropFirst())
// The engine benchmark's sgemm reference runs on every core: OpenBLAS needs that many threads
// from the start (glassbox itself loads it with one; see `OpenBLAS`).
setenv("OPENBLAS_NUM_THREADS", "\(ProcessInfo.processInfo.activeProcessorCount)", 0)
try? BLASLibrary.load()
switch arguments.first {
case "engine": runEngineBenchmark(arguments: Array(arguments.dropFirst()))
case "csv": runCSVBenchmark(arguments: Array(arguments.dropFirst()))
case "explorer": runExplorerBenchmark(arguments: Array(arguments.dropFirst()))
case "analysis": runAnalysisBenchmark(arguments: Array(arguments.dropFirst()))
case "sets": runSetBenchmark(arguments: Array(arguments.dropFirst()))
default:
    print(
        """
        usage: glassbox-bench engine [--n 50000] [--d 2000] [--pca 50] [--hidden 128] [--layers 3] [--threads N] [--model M --data D.csv]
               glassbox-bench csv FILE [--label-column NAME] [--id-column NAME] [--repeat N]
               glassbox-bench explorer [--n 1000000] [--first-n 100000] [--d 2000] [--pca 50] [--hidden 128] [--layers 3]
               glassbox-bench explorer --model M --data FILE [--compare FILE2] [--budget SECONDS]
                                       [--feature-sets FILE.gmt | --sets 50] [--pass-repeat 3]
               glassbox-bench analysis [--n 1000000] [--d 2000] [--rows 20000]
               glassbox-bench sets [--n 50000] [--d 2000] [--pca 50] [--sets 50] [--repeat 5] [--threads N] [--model M --data D.csv]
        """)
}
