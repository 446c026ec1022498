import AnnDataFuzzing
import Foundation
import FuzzDriver

/// The AnnData reader on anndata-written files whose HDF5 structure stays intact while the
/// stored values change: `indptr`, `indices`, `data`, categorical codes, numbers, compressed
/// chunks — what glassbox itself checks. Templates come from `make_anndata_templates.py`
/// (each `NAME.h5ad` with `NAME.ranges`: the file offset and length of every dataset's raw
/// data, variable-length strings left out). An input is a byte choosing the template, a byte
/// choosing the options (as `readEveryRow`'s), then patches of 5 bytes: a position in the
/// template's raw data (UInt32, little-endian, wrapped) and the byte to put there.
struct Template {
    var bytes: [UInt8]
    var ranges: [(offset: Int, length: Int)]
    var total: Int
}

let directory = ProcessInfo.processInfo.environment["GLASSBOX_FUZZ_TEMPLATES"] ?? "corpus/anndata-templates"
let templates: [Template] = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
    .filter { $0.hasSuffix(".h5ad") }.sorted().compactMap { name in
        let base = directory + "/" + name
        guard let bytes = FileManager.default.contents(atPath: base),
              let text = try? String(contentsOfFile: String(base.dropLast(5)) + ".ranges", encoding: .utf8) else { return nil }
        let ranges = text.split(separator: "\n").compactMap { line -> (Int, Int)? in
            let f = line.split(separator: " ").compactMap { Int($0) }
            return f.count == 2 && f[0] >= 0 && f[1] > 0 && f[0] + f[1] <= bytes.count ? (f[0], f[1]) : nil
        }
        let total = ranges.reduce(0) { $0 + $1.1 }
        return total > 0 ? Template(bytes: [UInt8](bytes), ranges: ranges.map { (offset: $0.0, length: $0.1) }, total: total) : nil
    }
if templates.isEmpty {
    FileHandle.standardError.write(Data("no templates in \(directory) (run make_anndata_templates.py)\n".utf8))
    exit(1)
}

@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 1 else { return 0 }
    let input = UnsafeRawBufferPointer(start: start, count: count)
    let template = templates[Int(input[0]) % templates.count]
    let selector = input[1]
    var bytes = template.bytes
    var at = 2
    while at + 5 <= count {
        var position = Int(input.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) % template.total
        for range in template.ranges {
            if position < range.length {
                bytes[range.offset + position] = input[at + 4]
                break
            }
            position -= range.length
        }
        at += 5
    }
    guard FileManager.default.createFile(atPath: scratchPath, contents: Data(bytes)) else { return 0 }
    readEveryRow(path: scratchPath, selector: selector)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in LLVMFuzzerTestOneInput(data, size) }
unlink(scratchPath)
exit(status)
