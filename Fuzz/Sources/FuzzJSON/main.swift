import Foundation
import FuzzDriver
import GlassBoxCore

/// The JSON reader behind safetensors headers, `encoder.json` and `attrs`. A refusal
/// (`JSONParser.Failure`) is correct; a value that parses must survive a round trip through
/// the writer (`AttributeValue.json`) unchanged, so reader and writer agree on every input.
@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count)
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    let text = JSONRoundTrip.text(value)
    guard let again = try? JSONParser.parse(Data(text.utf8)) else {
        fatalError("the JSON reader refuses what the writer made of its own output: \(text.prefix(200))")
    }
    guard again == value else { fatalError("the JSON round trip changed the value: \(text.prefix(200))") }
    return 0
}

/// JSON text of a parsed value, written the way the model writers write it.
enum JSONRoundTrip {
    static func text(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return JSONText.number(d)
        case .string(let s): return JSONText.quote(s)
        case .array(let items): return "[" + items.map(text).joined(separator: ",") + "]"
        case .object(let items): return "{" + items.map { JSONText.quote($0.key) + ":" + text($0.value) }.joined(separator: ",") + "}"
        }
    }
}

// SwiftPM links executables with its own `main`, so hand control to libFuzzer from here.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in LLVMFuzzerTestOneInput(data, size) })
