import Foundation
import FuzzDriver
import GlassBoxCore

/// The feature-set reader (GMT and set,feature tables) and the matching to features. The first
/// byte picks the form (detected, GMT, CSV, TSV) and case-insensitive matching; what loads is
/// also applied to a block of 17 rows of contributions and checked against the plain loop.
let features = ["CD3D", "CD3E", "MS4A1", "cd79a", "NKG7", "GNLY", "a", "b,c", "\"q\""]
// 17 rows: a full tile of 16 (the AVX2 kernel, where the CPU has it) and one on the Swift path.
let block = (0..<(17 * features.count)).map { Float($0 % 97) - 3 }

@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let selector = start.load(as: UInt8.self)
    let data = Data(bytes: start + 1, count: count - 1)
    let format: FeatureSetFile.Format? = [nil, .gmt, .csv, .tsv][Int(selector & 3)]
    guard let file = try? FeatureSetFile.parse(data, file: "fuzz.gmt", format: format),
          let sets = try? FeatureSets(file, featureNames: features, caseSensitive: selector & 4 == 0) else { return 0 }
    _ = sets.notes
    _ = sets.partitionStatement
    precondition(sets.count == file.entries.count + 1)
    let out = sets.apply(block, rows: 17)
    precondition(out.count == 17 * sets.count)
    // The plain loop's sums, bit for bit.
    for r in 0..<17 {
        for (s, set) in sets.sets.enumerated() {
            var sum: Float = 0
            for f in set.members { sum += block[r * features.count + f] }
            precondition(out[r * sets.count + s] == sum, "row \(r), set \(s): \(out[r * sets.count + s]) ≠ \(sum)")
        }
    }
    return 0
}

// SwiftPM links executables with its own `main`, so hand control to libFuzzer from here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in LLVMFuzzerTestOneInput(data, size) })
