import Foundation

/// Reads a model from a `.safetensors` file: an 8-byte little-endian header length N, N
/// bytes of JSON header, then the tensor data. The header maps each tensor name to
/// `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the data area) and
/// holds `__metadata__`, a string-to-string map whose `glassbox` entry is the model's
/// `EncoderDescription` JSON.
///
/// Hostile input: N is bounded before anything is allocated; the header is parsed by the
/// depth-limited `JSONParser`; every shape's element count and byte size are computed with
/// overflow checks and must equal its offsets' span; spans lie inside the data area and
/// tile it exactly (as Python's `safetensors` requires), so no two overlap; a tensor is
/// decoded only after all of this, so no allocation exceeds the file's own size.
public enum SafetensorsReader {
    /// Python's `safetensors` refuses headers over 100 MB; so do we.
    public static let maxHeaderBytes = 100_000_000
    static let maxTensors = 100_000

    /// Whether the file starts like a safetensors file (a plausible header length, then `{`).
    public static func isSafetensors(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 9), head.count == 9 else { return false }
        return looksLikeSafetensors(head)
    }

    static func looksLikeSafetensors(_ head: Data) -> Bool {
        guard head.count >= 9 else { return false }
        let n = head.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        return n >= 2 && n <= UInt64(maxHeaderBytes) && head[head.startIndex + 8] == UInt8(ascii: "{")
    }

    public static func load(contentsOf url: URL) throws -> GlassBoxModel {
        let file = url.relativePath
        let data = try PortableFile.read(url, file: file, limit: Int.max)
        return try load(data: data, fileName: file)
    }

    /// Loads a model from bytes in memory (`fileName` is used in messages).
    public static func load(data: Data, fileName file: String) throws -> GlassBoxModel {
        try data.withUnsafeBytes { raw in try load(raw, file: file) }
    }

    struct Entry {
        var name: String
        var type: ScalarType
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    static func load(_ raw: UnsafeRawBufferPointer, file: String) throws -> GlassBoxModel {
        func fail(_ field: String?, _ message: String) -> InputError {
            DisplaySafe.error(InputError(file: file, field: field, message: message))
        }
        guard raw.count >= 8 else {
            throw fail(nil, "too short for a safetensors file (\(raw.count) bytes; the header length alone takes 8)")
        }
        let declared = (0..<8).reduce(UInt64(0)) { $0 | UInt64(raw[$1]) << (8 * UInt64($1)) }
        guard declared <= UInt64(maxHeaderBytes) else {
            throw fail(
                "header", "declares a \(declared)-byte header, more than the \(maxHeaderBytes) allowed (corrupt, or not a safetensors file)"
            )
        }
        guard declared <= UInt64(raw.count - 8) else {
            throw fail(
                "header", "declares a \(declared)-byte header but the file has only \(raw.count - 8) bytes after the length (truncated?)")
        }
        let headerEnd = 8 + Int(declared)
        let header = UnsafeRawBufferPointer(rebasing: raw[8..<headerEnd])
        guard header.first == UInt8(ascii: "{") else {
            throw fail("header", "does not start with '{'; not a safetensors file")
        }
        let root: JSONValue
        do {
            var limits = JSONParser.Limits()
            limits.maxDepth = 8  // the header is three levels deep: {name: {shape: [..]}}
            limits.maxValues = 12 * maxTensors
            root = try JSONParser.parse(header, limits: limits)
        } catch let failure as JSONParser.Failure {
            throw fail("header", "byte \(8 + failure.offset): \(failure.message)")
        }
        guard case .object(let items) = root else { throw fail("header", "expected a JSON object") }
        guard items.count <= maxTensors + 1 else { throw fail("header", "lists more than \(maxTensors) tensors") }

        // Tensor entries, checked one by one.
        let dataSize = raw.count - headerEnd
        var metadata: [(key: String, value: JSONValue)]? = nil
        var entries: [Entry] = []
        for (name, value) in items {
            if name == "__metadata__" {
                guard case .object(let m) = value else {
                    throw fail("__metadata__", "expected an object of strings, found \(value.kindName)")
                }
                // The format says Dict[str, str], and Python's safetensors refuses anything else.
                if let other = m.first(where: { if case .string = $0.value { return false } else { return true } }) {
                    throw fail(
                        "__metadata__['\(other.key)']",
                        "expected a string (metadata maps strings to strings), found \(other.value.kindName)")
                }
                metadata = m
                continue
            }
            let field = "header['\(name)']"
            guard case .object = value else { throw fail(field, "expected {dtype, shape, data_offsets}, found \(value.kindName)") }
            guard case .string(let dtype)? = value["dtype"] else { throw fail(field, "missing 'dtype'") }
            guard let type = TensorCodec.scalarType(dtype: dtype) else {
                throw fail(field, "dtype \(DisplaySafe.quoted(dtype)) is not supported; model weights must be \(TensorCodec.dtypeNames)")
            }
            guard case .array(let dims)? = value["shape"], dims.count <= 8 else {
                throw fail(field, "'shape' must be an array of at most 8 integers")
            }
            let shape: [Int] = try dims.map {
                guard case .int(let n) = $0, n >= 0 else { throw fail(field, "'shape' must hold non-negative integers") }
                return n
            }
            guard let count = TorchTensorView.elementCount(shape) else {
                throw fail(field, "shape \(shape) has more elements than can be counted")
            }
            guard case .array(let offsets)? = value["data_offsets"], offsets.count == 2,
                case .int(let begin) = offsets[0], case .int(let end) = offsets[1]
            else {
                throw fail(field, "'data_offsets' must be two integers [begin, end]")
            }
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw fail(field, "data_offsets [\(begin), \(end)] lie outside the \(dataSize)-byte data area (truncated or corrupt file)")
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: type.byteCount)
            guard !overflow, bytes == end - begin else {
                throw fail(
                    field,
                    "shape \(shape) of \(dtype) needs \(overflow ? "more than Int.max" : String(bytes)) bytes but data_offsets [\(begin), \(end)] span \(end - begin)"
                )
            }
            entries.append(Entry(name: name, type: type, shape: shape, begin: begin, end: end))
        }
        // The spans must tile the data area: no overlaps, no holes, nothing after the last.
        let ordered = entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) })
        for (previous, entry) in zip(ordered, ordered.dropFirst()) where entry.begin < previous.end {
            throw fail(
                "header['\(entry.name)']",
                "data_offsets [\(entry.begin), \(entry.end)] overlap those of '\(previous.name)' [\(previous.begin), \(previous.end)]")
        }
        var position = 0
        for entry in ordered {
            guard entry.begin == position else {
                throw fail(
                    "header['\(entry.name)']",
                    "data_offsets [\(entry.begin), \(entry.end)] leave bytes \(position)..<\(entry.begin) of the data area unused")
            }
            position = entry.end
        }
        guard position == dataSize else {
            throw fail("header", "the tensors end at byte \(position) of the data area but the file has \(dataSize) bytes there")
        }

        // The model description.
        guard let metadata else {
            throw fail(
                "__metadata__", "missing: this safetensors file has no glassbox model description (make one with `glassbox convert`)")
        }
        guard let glassbox = metadata.first(where: { $0.key == "glassbox" })?.value else {
            throw fail(
                "__metadata__",
                "has no 'glassbox' entry: this safetensors file holds tensors but not a glassbox model description (make one with `glassbox convert`)"
            )
        }
        guard case .string(let text) = glassbox else { throw fail("__metadata__['glassbox']", "expected a string holding JSON") }
        let utf8 = Array(text.utf8)
        let description = try utf8.withUnsafeBytes { bytes in
            try EncoderDescription.parse(bytes, file: file, field: "__metadata__['glassbox']") { failure in
                let (line, column) = JSONParser.lineAndColumn(of: failure.offset, in: bytes)
                return fail("__metadata__['glassbox']", "line \(line), column \(column): \(failure.message)")
            }
        }
        let byName = Dictionary(entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let described = Set(description.tensorSpecs.map(\.name))
        if let extra = entries.first(where: { !described.contains($0.name) }) {
            throw fail("header['\(extra.name)']", "the file holds tensor '\(extra.name)', which the glassbox description does not mention")
        }
        let dataStart = headerEnd
        return try description.model(file: file) { spec in
            guard let entry = byName[spec.name] else {
                throw fail(spec.name, "missing: the description lists this tensor but the file does not hold it")
            }
            guard entry.type == spec.scalarType, entry.shape == spec.shape else {
                throw fail(
                    "header['\(spec.name)']",
                    "is \(TensorCodec.dtypeName(entry.type)) \(entry.shape) but the description says \(TensorCodec.dtypeName(spec.scalarType)) \(spec.shape)"
                )
            }
            let count = entry.shape.reduce(1, *)
            let bytes = UnsafeRawBufferPointer(rebasing: raw[(dataStart + entry.begin)..<(dataStart + entry.end)])
            return Tensor(shape: entry.shape, scalarType: entry.type, values: TensorCodec.values(bytes, count: count, type: entry.type))
        }
    }
}

/// Writes a model as `.safetensors`, loadable by Python's `safetensors` (`load_file`,
/// `safe_open`). Tensors are laid out in description order, contiguous, little-endian.
public enum SafetensorsWriter {
    public static func bytes(of model: GlassBoxModel) -> [UInt8] {
        let description = EncoderDescription(model: model)
        var data: [UInt8] = []
        var header = "{\"__metadata__\": {\"glassbox\": \(JSONText.quote(description.json))}"
        for (name, tensor) in EncoderDescription.tensors(of: model) {
            let begin = data.count
            TensorCodec.appendBytes(of: tensor, to: &data)
            header +=
                ", \(JSONText.quote(name)): {\"dtype\": \"\(TensorCodec.dtypeName(tensor.scalarType))\", "
                + "\"shape\": [\(tensor.shape.map(String.init).joined(separator: ", "))], \"data_offsets\": [\(begin), \(data.count)]}"
        }
        header += "}"
        // Pad with spaces to 8 bytes, as Python's safetensors does, so the data is aligned.
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + data.count)
        let n = UInt64(headerBytes.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
        out += headerBytes
        out += data
        return out
    }

    /// Writes atomically; an existing file is replaced only with `force`.
    public static func write(_ model: GlassBoxModel, to url: URL, force: Bool = false) throws {
        try EncoderDescription.checkWritable(model, file: url.relativePath)
        let bytes = bytes(of: model)
        try PortableFile.replace(url, force: force, file: url.relativePath) { temporary in
            try PortableFile.writeNew(bytes, to: temporary)
        }
    }
}
