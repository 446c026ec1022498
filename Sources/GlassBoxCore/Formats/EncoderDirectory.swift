import Foundation

/// A model as a folder of text files, to read or write by hand or from any language:
/// `encoder.json` (the `EncoderDescription`) and one `<tensor name>.csv` per tensor, e.g.
/// `encoder.model.0.weight.csv`, `preprocess.mean.csv`.
///
/// Tensor CSVs have no header: a 2-D tensor (rows, cols) is `rows` lines of `cols`
/// comma-separated numbers; a 1-D tensor is written as one column (one number per line) and
/// read as either one column or one row. Numbers are decimal text (`-0.0123`, `1e-05`);
/// glassbox writes the shortest text that reads back to the same value in the tensor's dtype
/// (F64: the shortest Double; F32/F16/BF16: the shortest Float), so a round trip is bit-exact.
/// Hand-written values are rounded to the dtype. Spaces around numbers, CRLF and a final
/// newline are accepted; NaN and infinities are refused.
public enum EncoderDirectory {
    public static let descriptionFile = "encoder.json"
    static let maxDescriptionBytes = 256 << 20
    static let maxTensorFileBytes = 4 << 30

    /// Whether `url` is a directory holding an `encoder.json`.
    public static func isEncoderDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
            && FileManager.default.fileExists(atPath: url.appendingPathComponent(descriptionFile).path)
    }

    /// The tensor CSV names that `url`'s `encoder.json` describes, or nil when it cannot be read.
    static func tensorFileNames(in url: URL) -> Set<String>? {
        let jsonURL = url.appendingPathComponent(descriptionFile)
        guard let data = try? PortableFile.read(jsonURL, file: jsonURL.path, limit: maxDescriptionBytes, followSymlink: false),
            let description = try? data.withUnsafeBytes({ bytes in
                try EncoderDescription.parse(bytes, file: jsonURL.path, field: nil) { InputError(file: jsonURL.path, message: $0.message) }
            })
        else { return nil }
        return Set(description.tensorSpecs.map { $0.name + ".csv" })
    }

    public static func load(contentsOf url: URL) throws -> GlassBoxModel {
        let listing = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return try load(directory: url.relativePath, listing: listing) { name, file in
            try PortableFile.read(
                url.appendingPathComponent(name), file: file,
                limit: name == descriptionFile ? maxDescriptionBytes : maxTensorFileBytes, followSymlink: false)
        }
    }

    /// Loads a directory held in memory, `files` mapping file names to contents (fuzzing,
    /// tests); `directory` is used in messages.
    public static func load(files: [String: Data], directory: String) throws -> GlassBoxModel {
        try load(directory: directory, listing: Array(files.keys)) { name, file in
            guard let data = files[name] else { throw InputError(file: file, message: "no such file") }
            return data
        }
    }

    /// `read(name, file)` returns the contents of the directory's file `name`; `file` is its
    /// path for messages. `listing` names the directory's files: a tensor file the description
    /// does not list (say `encoder.model.00.weight.csv`) is refused rather than ignored.
    static func load(directory dir: String, listing: [String], read: (String, String) throws -> Data) throws -> GlassBoxModel {
        let jsonFile = (dir as NSString).appendingPathComponent(descriptionFile)
        let data = try read(descriptionFile, jsonFile)
        let description = try data.withUnsafeBytes { bytes in
            try EncoderDescription.parse(bytes, file: jsonFile, field: nil) { failure in
                let (line, column) = JSONParser.lineAndColumn(of: failure.offset, in: bytes)
                return InputError(file: jsonFile, line: line, column: column, message: DisplaySafe.text(failure.message))
            }
        }
        let described = Set(description.tensorSpecs.map { $0.name + ".csv" })
        if let extra = listing.filter({ $0.hasSuffix(".csv") && !described.contains($0) }).sorted().first {
            throw InputError(
                file: (dir as NSString).appendingPathComponent(DisplaySafe.text(extra)),
                message:
                    "unexpected tensor file: \(descriptionFile) does not describe it (expected only \(described.count) tensor CSVs, named after the tensors it lists)"
            )
        }
        return try description.model(file: jsonFile) { spec in
            // Names were checked when the description was read; checked again because they become paths.
            guard ModelNames.isSafe(spec.name) else {
                throw InputError(file: jsonFile, field: spec.name, message: "is not a usable file name")
            }
            let name = spec.name + ".csv"
            let csvFile = (dir as NSString).appendingPathComponent(name)
            let csv = try read(name, csvFile)
            let values = try csv.withUnsafeBytes { try TensorCSV.read($0, spec: spec, file: csvFile) }
            return Tensor(shape: spec.shape, scalarType: spec.scalarType, values: values)
        }
    }

    /// Writes atomically: the files go to a temporary folder that is renamed into place.
    public static func write(_ model: GlassBoxModel, to url: URL, force: Bool = false) throws {
        try EncoderDescription.checkWritable(model, file: url.relativePath)
        let description = EncoderDescription(model: model)
        try PortableFile.replace(url, force: force, file: url.relativePath) { temporary in
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: false)
            try PortableFile.writeNew(Array(description.json.utf8), to: temporary.appendingPathComponent(descriptionFile))
            for (name, tensor) in EncoderDescription.tensors(of: model) {
                precondition(ModelNames.isSafe(name), "unsafe tensor name \(name)")
                try PortableFile.writeNew(TensorCSV.text(tensor), to: temporary.appendingPathComponent(name + ".csv"))
            }
        }
    }
}

/// The tensor CSV text of an encoder directory (see `EncoderDirectory`).
enum TensorCSV {
    static func text(_ t: Tensor) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(t.count * 12)
        let columns = t.rank == 2 ? t.shape[1] : 1
        for (i, v) in t.values.enumerated() {
            out += Array(TensorCodec.text(v, t.scalarType).utf8)
            out.append(columns > 1 && (i + 1) % columns != 0 ? UInt8(ascii: ",") : 0x0A)
        }
        return out
    }

    /// Parses the values of `spec`, reporting problems at `FILE:LINE:COL`. Values are
    /// appended as they are read and the read stops at the first extra one, so memory follows
    /// the smaller of the file and the declared shape.
    static func read(_ bytes: UnsafeRawBufferPointer, spec: TensorSpec, file: String) throws -> [Double] {
        guard spec.shape.count == 1 || spec.shape.count == 2 else {
            throw InputError(file: file, message: "\(spec.name) has shape \(spec.shape); tensor CSVs hold vectors and matrices only")
        }
        let expected = spec.count
        let (rows, columns) = spec.shape.count == 2 ? (spec.shape[0], spec.shape[1]) : (spec.shape[0], 1)
        let asRow = spec.shape.count == 1 && expected > 1 && firstLineHasComma(bytes)
        let (wantRows, wantColumns) = asRow ? (1, expected) : (rows, columns)
        var values: [Double] = []
        values.reserveCapacity(min(expected, bytes.count / 2 + 1))
        var line = 1, lineStart = 0, pos = 0, row = 0
        func fail(_ at: Int, _ message: String) -> InputError {
            InputError(file: file, line: line, column: at - lineStart + 1, message: DisplaySafe.text(message))
        }
        while pos < bytes.count {
            // One line: fields up to '\n' (a '\r' before it is dropped).
            var end = pos
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var contentEnd = end
            if contentEnd > pos, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if isBlank(bytes, pos, contentEnd) {
                // Only trailing blank lines are allowed.
                var rest = end
                while rest < bytes.count, bytes[rest] == 0x0A || bytes[rest] == 0x0D || bytes[rest] == 0x20 || bytes[rest] == 0x09 {
                    rest += 1
                }
                guard rest == bytes.count else {
                    throw fail(pos, "empty line inside the tensor; expected \(wantRows) lines of \(wantColumns) numbers")
                }
                break
            }
            guard row < wantRows else {
                throw fail(
                    pos,
                    "more than \(wantRows) lines: \(spec.name) has shape \(spec.shape)\(spec.shape.count == 1 ? " (one number per line, or all on one line)" : "")"
                )
            }
            var column = 0
            var fieldStart = pos
            while true {
                var fieldEnd = fieldStart
                while fieldEnd < contentEnd, bytes[fieldEnd] != UInt8(ascii: ",") { fieldEnd += 1 }
                var a = fieldStart, b = fieldEnd
                while a < b, bytes[a] == 0x20 || bytes[a] == 0x09 { a += 1 }
                while b > a, bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09 { b -= 1 }
                guard column < wantColumns else {
                    throw fail(a, "more than \(wantColumns) numbers on this line: \(spec.name) has shape \(spec.shape)")
                }
                let token = UnsafeRawBufferPointer(rebasing: bytes[a..<b])
                switch TensorCodec.parse(token, spec.scalarType) {
                case .success(let v): values.append(v)
                case .failure(let problem):
                    let shown = a == b ? "an empty field" : DisplaySafe.quoted(String(decoding: token, as: UTF8.self))
                    switch problem {
                    case .syntax: throw fail(a, "expected a number, found \(shown)")
                    case .notFinite: throw fail(a, "\(shown) is not allowed: weights must be finite, or the embedding is undefined")
                    case .outOfRange: throw fail(a, "\(shown) is out of range for \(TensorCodec.dtypeName(spec.scalarType))")
                    }
                }
                column += 1
                if fieldEnd >= contentEnd { break }
                fieldStart = fieldEnd + 1
            }
            guard column == wantColumns else {
                throw fail(
                    contentEnd, "expected \(wantColumns) numbers on this line, found \(column): \(spec.name) has shape \(spec.shape)")
            }
            row += 1
            pos = end + 1
            line += 1
            lineStart = pos
        }
        guard row == wantRows else {
            throw InputError(
                file: file, line: line, column: 1,
                message: "the file ends after \(row) lines, expected \(wantRows): \(spec.name) has shape \(spec.shape)")
        }
        return values
    }

    private static func isBlank(_ bytes: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Bool {
        (from..<to).allSatisfy { bytes[$0] == 0x20 || bytes[$0] == 0x09 }
    }

    private static func firstLineHasComma(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for b in bytes {
            if b == 0x0A { return false }
            if b == UInt8(ascii: ",") { return true }
        }
        return false
    }
}
