import Foundation
import FuzzDriver
import GlassBoxCore

/// The safetensors reader: header length, the depth-limited JSON parser, the `glassbox`
/// metadata, data offsets and dtypes, then model validation.
@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    if let model = try? SafetensorsReader.load(data: data, fileName: "fuzz.safetensors") {
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
