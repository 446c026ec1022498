import Foundation
import GlassBoxCore

/// glassbox-bench: speed figures as ratios against a reference measured in the same run.
/// Build with `swift build -c release --product glassbox-bench`.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "engine": runEngineBenchmark(arguments: Array(arguments.dropFirst()))
case "csv": runCSVBenchmark(arguments: Array(arguments.dropFirst()))
case "explorer": runExplorerBenchmark(arguments: Array(arguments.dropFirst()))
default:
    print("""
    usage: glassbox-bench engine [--n 50000] [--d 2000] [--pca 50] [--hidden 128] [--layers 3] [--threads N] [--model M --data D.csv]
           glassbox-bench csv FILE [--label-column NAME] [--id-column NAME] [--repeat N]
           glassbox-bench explorer [--n 1000000] [--first-n 100000] [--d 2000] [--pca 50] [--hidden 128] [--layers 3]
    """)
}
