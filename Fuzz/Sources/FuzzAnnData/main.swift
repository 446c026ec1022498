import Foundation
import FuzzDriver
import GlassBoxCore

/// The AnnData reader on a whole `.h5ad` file (libhdf5 needs a file: each input is written to
/// one in /dev/shm). The first byte picks options and what the model expects, so the fuzzer
/// also reaches labels, ids, layers, `--features` masks and name matching; every row is read
/// and densified, in two windows.
let path = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
    + "/glassbox-fuzz-\(getpid()).h5ad"

@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 1 else { return 0 }
    let selector = start.load(as: UInt8.self)
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: start + 1, count: count - 1)) else { return 0 }
    var options = AnnDataReadOptions()
    options.missing = selector & 1 != 0 ? .zero : .error
    switch (selector >> 1) & 3 {
    case 1: options.labelColumn = "cell_type"
    case 2: options.labelColumn = "group"
    case 3: options.idColumn = "barcode"
    default: break
    }
    if selector & 8 != 0 { options.features = "highly_variable" }
    if selector & 16 != 0 { options.layer = "counts" }
    let expectation: FeatureExpectation?
    switch selector >> 5 {
    case 1: expectation = FeatureExpectation(count: 4)
    case 2: expectation = FeatureExpectation(count: 2, names: ["g3", "g1"])
    case 3: expectation = FeatureExpectation(count: 20)
    case 4: expectation = FeatureExpectation(count: 3, names: ["G05", "G01", "G30"])
    default: expectation = nil
    }
    do {
        let source = try AnnDataSource(url: URL(fileURLWithPath: path), options: options, expecting: expectation)
        let n = source.rowCount ?? 0
        for window in [0..<(n / 2), (n / 2)..<n] {
            let data = try source.read(from: window.lowerBound, maxRows: window.count).dataset
            _ = try data.matrix.dense()
            if data.featureCount > 0 { _ = try data.matrix.column(data.featureCount - 1) }
        }
    } catch {}
    return 0
}

// SwiftPM links executables with its own `main`, so hand control to libFuzzer from here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in LLVMFuzzerTestOneInput(data, size) }
unlink(path)
exit(status)
