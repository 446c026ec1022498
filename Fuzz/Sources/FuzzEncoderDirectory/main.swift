import Foundation
import FuzzDriver
import GlassBoxCore

/// The encoder-directory reader (encoder.json + tensor CSVs) on an in-memory directory. The
/// input is a list of files, each `name NUL contents NUL` (make_corpus.sh packs real ones).
@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let parts = bytes.split(separator: 0, omittingEmptySubsequences: false)
    var files: [String: Data] = [:]
    var i = 0
    while i + 1 < parts.count {
        files[String(decoding: parts[i], as: UTF8.self)] = Data(parts[i + 1])
        i += 2
    }
    if let model = try? EncoderDirectory.load(files: files, directory: "fuzz") {
        // A model that loads must also display: inspect renders every field of it.
        let report = ModelReport(model: model, file: "fuzz")
        _ = report.text
        _ = report.json
    }
    return 0
}

// SwiftPM links executables with its own `main`, so hand control to libFuzzer from here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in LLVMFuzzerTestOneInput(data, size) })
