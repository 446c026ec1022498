import Foundation
import FuzzDriver
import GlassBoxCore

/// The dataset reader on in-memory text (or gzip). The first byte picks options so the
/// fuzzer also reaches the label/id/missing-value and feature-matching paths.
@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let selector = start.load(as: UInt8.self)
    let data = Data(bytes: start + 1, count: count - 1)
    var options = CSVReadOptions()
    options.missing = MissingPolicy.allCases[Int(selector & 3) % MissingPolicy.allCases.count]
    if selector & 4 != 0 { options.labelColumn = "label" }
    if selector & 8 != 0 { options.idColumn = "id" }
    switch (selector >> 4) & 3 {
    case 1: options.delimiter = UInt8(ascii: "\t")
    case 2: options.delimiter = UInt8(ascii: ";")
    default: break
    }
    let expectation: FeatureExpectation? = selector & 0x40 != 0
        ? FeatureExpectation(count: 2, names: selector & 0x80 != 0 ? ["a", "b"] : nil) : nil
    _ = try? CSVDatasetReader.read(data: data, fileName: "fuzz.csv", options: options, expecting: expectation)
    return 0
}

// SwiftPM links executables with its own `main`, so hand control to libFuzzer from here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in LLVMFuzzerTestOneInput(data, size) })
