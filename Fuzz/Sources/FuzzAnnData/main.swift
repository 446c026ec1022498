import AnnDataFuzzing
import Foundation
import FuzzDriver

/// The AnnData reader on a whole `.h5ad` file (libhdf5 needs a file: each input is written to
/// one in /dev/shm). The first byte picks options and what the model expects (see
/// `readEveryRow`), so the fuzzer also reaches labels, ids, layers, `--features` masks and name
/// matching. Most mutations land in HDF5's own structures, where libhdf5 itself is fragile (see
/// README); `FuzzAnnDataValues` mutates only the datasets' stored values.
@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 1 else { return 0 }
    guard FileManager.default.createFile(atPath: scratchPath, contents: Data(bytes: start + 1, count: count - 1)) else { return 0 }
    readEveryRow(path: scratchPath, selector: start.load(as: UInt8.self))
    return 0
}

// SwiftPM links executables with its own `main`, so hand control to libFuzzer from here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in LLVMFuzzerTestOneInput(data, size) }
unlink(scratchPath)
exit(status)
