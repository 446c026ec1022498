import Foundation

/// Reads the file upstream's `GlassBoxUMAP.save(path)` writes — a PyTorch zip checkpoint
/// holding `{attrs, state_dict, input_dims, pca, mean}` — without Python and without running
/// any code from it (see `Unpickler`).
public enum TorchCheckpoint {
    /// Whether the file starts like a zip archive (`PK\u{3}\u{4}`), as PyTorch checkpoints do.
    public static func isTorchCheckpoint(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4) else { return false }
        return head == Data([0x50, 0x4B, 0x03, 0x04])
    }

    /// Loads a model. Every problem is an `InputError` naming the file and the place in it.
    public static func load(contentsOf url: URL) throws -> GlassBoxModel {
        let file = url.isFileURL ? url.relativePath : url.absoluteString
        return try model(from: try TorchArchive(url: url, file: file))
    }

    /// Loads a model from bytes already in memory (`fileName` is used in messages).
    public static func load(data: Data, fileName: String) throws -> GlassBoxModel {
        try model(from: try TorchArchive(data: data, file: fileName))
    }

    static func model(from archive: TorchArchive) throws -> GlassBoxModel {
        try model(
            pickle: try archive.pickle(), file: archive.file, pickleField: archive.pickleField,
            elementBudget: elementBudget(fileSize: archive.size), storage: archive.storageBytes)
    }

    /// Materialized tensor elements allowed: tied weights may read a storage twice, but a
    /// hostile pickle must not expand one storage into thousands of tensors.
    static func elementBudget(fileSize: UInt64) -> Int {
        let (scaled, overflow) = Int(clamping: fileSize).multipliedReportingOverflow(by: 4)
        return overflow ? Int.max : scaled + (1 << 22)
    }

    /// Builds the model from an unpickled `data.pkl`; storages come from `storage`.
    static func model(
        pickle: [UInt8], file: String, pickleField: String, elementBudget: Int,
        storage: @escaping (StorageRef) throws -> [UInt8]
    ) throws -> GlassBoxModel {
        let graph = try Unpickler.load(pickle, file: file, field: pickleField)
        var reader = CheckpointReader(graph: graph, file: file, pickleField: pickleField, elementBudget: elementBudget, storage: storage)
        return try reader.model()
    }
}

/// Walks the unpickled graph along the known schema; never follows file-controlled depth
/// except in `attributeValue`, which is capped.
private struct CheckpointReader {
    let graph: PickleGraph
    let file: String
    let pickleField: String
    var elementBudget: Int
    let storage: (StorageRef) throws -> [UInt8]

    static let maxAttributeDepth = 32
    static let maxAttributeItems = 100_000
    private var attributeItems = 0

    init(
        graph: PickleGraph, file: String, pickleField: String, elementBudget: Int,
        storage: @escaping (StorageRef) throws -> [UInt8]
    ) {
        self.graph = graph
        self.file = file
        self.pickleField = pickleField
        self.elementBudget = elementBudget
        self.storage = storage
    }

    func fail(_ field: String, _ message: String) -> InputError {
        InputError(file: file, field: field, message: message)
    }

    mutating func model() throws -> GlassBoxModel {
        let root = graph.root
        guard graph.dictPairs(root) != nil else {
            throw fail(pickleField, "the pickle holds a \(graph.kindName(root)), expected the dict GlassBoxUMAP.save writes")
        }

        var attributes: [(key: String, value: AttributeValue)] = []
        if let attrs = graph.lookup(root, "attrs"), attrs != .none {
            guard case .dict(let items) = try attributeValue(attrs, depth: 0, field: "attrs") else {
                throw fail("attrs", "expected a dict, found a \(graph.kindName(attrs))")
            }
            attributes = items
        }
        func attribute(_ key: String) -> AttributeValue? { attributes.first { $0.key == key }?.value }

        // Encoder.
        guard let stateDict = graph.lookup(root, "state_dict") else {
            throw fail("state_dict", "missing: the checkpoint has no 'state_dict'")
        }
        guard let pairs = graph.dictPairs(stateDict) else {
            throw fail("state_dict", "expected a dict of tensors, found a \(graph.kindName(stateDict))")
        }
        var parameters: [EncoderParameter] = []
        var views: [String: TensorRef] = [:]
        for (key, value) in pairs {
            guard case .string(let name) = key else {
                throw fail("state_dict", "keys must be strings, found a \(graph.kindName(key))")
            }
            // Upstream's model holds nothing but its encoder, and its load_state_dict refuses
            // any other key; a key set twice in the pickle would silently replace the first.
            guard name.hasPrefix("encoder.") else {
                throw fail(
                    "state_dict['\(name)']",
                    "unexpected key: upstream's model holds only its encoder's parameters ('encoder.…'), and its load refuses any other")
            }
            guard views[name] == nil else { throw fail("state_dict['\(name)']", "the state dict holds this key twice") }
            guard case .tensor(let view)? = graph.node(value) else {
                throw fail("state_dict['\(name)']", "expected a tensor, found a \(graph.kindName(value))")
            }
            parameters.append(EncoderParameter(key: name, shape: view.size))
            views[name] = view
        }
        var encoderName: String? = nil
        if let a = attribute("encoder_name") {
            guard case .string(let s) = a else { throw fail("attrs['encoder_name']", "expected a string, found \(a)") }
            encoderName = s
        }
        let layers = try EncoderArchitecture.layers(
            parameters: parameters, encoderName: encoderName, encoderKwargs: attribute("encoder_kwargs"), file: file,
            tensor: { p in
                guard let view = views[p.key] else { throw self.fail("state_dict['\(p.key)']", "missing") }
                return try self.tensor(view, field: "state_dict['\(p.key)']")
            })
        let encoder = try Encoder(layers: layers, file: file)

        // Preprocessing.
        guard let meanValue = graph.lookup(root, "mean"), meanValue != .none else {
            throw fail("mean", "missing: the checkpoint has no training mean")
        }
        var mean = try array(meanValue, field: "mean")
        mean = Tensor(shape: [mean.count], scalarType: mean.scalarType, values: mean.values)  // nn.Flatten order
        var pca: PCAProjection? = nil
        if let p = graph.lookup(root, "pca"), p != .none {
            pca = try pcaProjection(p)
        }

        var inputDims: [Int]? = nil
        if let dims = graph.lookup(root, "input_dims"), dims != .none {
            guard let items = graph.sequence(dims), !items.isEmpty else {
                throw fail("input_dims", "expected a tuple of integers, found a \(graph.kindName(dims))")
            }
            inputDims = try items.map {
                guard case .int(let n) = $0, n > 0 else {
                    throw fail("input_dims", "expected positive integers, found a \(graph.kindName($0))")
                }
                return n
            }
        }

        return try GlassBoxModel(
            encoder: encoder, preprocessing: Preprocessing(mean: mean, pca: pca),
            attributes: attributes, featureNames: nil, inputDims: inputDims, file: file)
    }

    // MARK: - Tensors and arrays

    mutating func tensor(_ view: TensorRef, field: String) throws -> Tensor {
        let count = TorchTensorView.elementCount(view.size)!  // checked by the unpickler
        guard count <= elementBudget else {
            throw fail(field, "the checkpoint's tensors hold more elements than the file could store; refusing it")
        }
        elementBudget -= count
        let bytes = try storage(view.storage)
        guard bytes.count == view.storage.numel * view.storage.scalarType.byteCount else {
            throw fail(
                field,
                "storage '\(view.storage.key)' has \(bytes.count) bytes, expected \(view.storage.numel) elements of \(view.storage.scalarType.byteCount) bytes"
            )
        }
        if let problem = TorchTensorView.boundsProblem(view) { throw fail(field, problem) }
        return Tensor(
            shape: view.size, scalarType: view.storage.scalarType,
            values: TorchTensorView.values(view, storage: bytes))
    }

    /// A float numpy array (f2/f4/f8, either byte order, C or Fortran order) as a row-major Tensor.
    func array(_ value: PickleValue, field: String) throws -> Tensor {
        guard case .ndarray(let built)? = graph.node(value) else {
            throw fail(field, "expected a numpy array, found a \(graph.kindName(value))")
        }
        guard let a = built else { throw fail(field, "the numpy array was never filled in (no BUILD)") }
        let type: ScalarType
        switch (a.dtype.kind, a.dtype.itemSize, a.dtype.structured) {
        case ("f", 2, false): type = .float16
        case ("f", 4, false): type = .float32
        case ("f", 8, false): type = .float64
        default: throw fail(field, "numpy dtype \(a.dtype.description) is not supported; expected float16, float32 or float64")
        }
        guard let data = a.data else { throw fail(field, "the numpy array holds Python objects, not numbers") }
        let count = TorchTensorView.elementCount(a.shape)!  // the unpickler matched it to the data
        let bigEndian = a.dtype.byteOrder == ">"
        var flat = [Double](repeating: 0, count: count)
        data.withUnsafeBytes { raw in
            for i in 0..<count {
                let o = i * type.byteCount
                switch type {
                case .float16:
                    let bits = raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)
                    flat[i] = TorchTensorView.halfToDouble(bigEndian ? UInt16(bigEndian: bits) : UInt16(littleEndian: bits))
                case .float32:
                    let bits = raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)
                    flat[i] = Double(Float(bitPattern: bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits)))
                default:
                    let bits = raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)
                    flat[i] = Double(bitPattern: bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits))
                }
            }
        }
        if a.fortranOrder, a.shape.count > 1, count > 0 {
            // Column-major storage: walk row-major indices, tracking the column-major position.
            var fortranStride = [Int](repeating: 1, count: a.shape.count)
            for d in 1..<a.shape.count { fortranStride[d] = fortranStride[d - 1] * a.shape[d - 1] }
            var rowMajor = [Double](repeating: 0, count: count)
            var index = [Int](repeating: 0, count: a.shape.count)
            var position = 0
            for i in 0..<count {
                rowMajor[i] = flat[position]
                var d = a.shape.count - 1
                while d >= 0 {
                    index[d] += 1
                    position += fortranStride[d]
                    if index[d] < a.shape[d] { break }
                    position -= fortranStride[d] * a.shape[d]
                    index[d] = 0
                    d -= 1
                }
            }
            flat = rowMajor
        }
        return Tensor(shape: a.shape, scalarType: type, values: flat)
    }

    func pcaProjection(_ value: PickleValue) throws -> PCAProjection {
        guard case .pcaObject(let stateValue)? = graph.node(value) else {
            throw fail("pca", "expected a sklearn PCA or None, found a \(graph.kindName(value))")
        }
        guard let state = stateValue else { throw fail("pca", "the PCA object has no state") }
        if let whiten = graph.lookup(state, "whiten"), whiten != .bool(false), whiten != .none, whiten != .int(0) {
            throw fail(
                "pca.whiten",
                "the PCA was fitted with whiten=True, which is not supported: upstream never sets it, and whitening would rescale the scores the encoder expects"
            )
        }
        guard let componentsValue = graph.lookup(state, "components_") else {
            throw fail("pca.components_", "missing: the PCA was never fitted")
        }
        guard let meanValue = graph.lookup(state, "mean_") else { throw fail("pca.mean_", "missing: the PCA was never fitted") }
        let components = try array(componentsValue, field: "pca.components_")
        guard components.rank == 2, components.shape[0] > 0 else {
            throw fail("pca.components_", "expected a (components, features) matrix, found shape \(components.shapeDescription)")
        }
        let mean = try array(meanValue, field: "pca.mean_")
        guard mean.rank == 1 else { throw fail("pca.mean_", "expected a vector, found shape \(mean.shapeDescription)") }
        return PCAProjection(components: components, mean: mean)
    }

    // MARK: - Attributes

    /// Plain data → `AttributeValue`. Recursive, so depth and total size are capped (a file can
    /// nest lists a million deep, share one list exponentially often, or contain itself).
    mutating func attributeValue(_ v: PickleValue, depth: Int, field: String) throws -> AttributeValue {
        attributeItems += 1
        guard attributeItems <= Self.maxAttributeItems else {
            throw fail(field, "the attributes hold more than \(Self.maxAttributeItems) values; refusing them")
        }
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .string(String(b.map { Character(Unicode.Scalar($0)) }))
        case .ref: break
        }
        guard depth < Self.maxAttributeDepth else {
            throw fail(field, "the attributes nest deeper than \(Self.maxAttributeDepth) levels (or contain themselves)")
        }
        switch graph.node(v)! {
        case .tuple(let items), .list(let items), .set(let items):
            return .list(try items.map { try attributeValue($0, depth: depth + 1, field: field) })
        case .dict:
            var out: [(key: String, value: AttributeValue)] = []
            for (key, value) in graph.orderedItems(v)! {
                let name: String
                if case .string(let s) = key {
                    name = s
                } else {
                    name = try attributeValue(key, depth: depth + 1, field: field).description
                }
                out.append((name, try attributeValue(value, depth: depth + 1, field: field + "['\(name)']")))
            }
            return .dict(out)
        case .path(let p): return .string(p)
        case .numpyScalar(let dtype, let raw):
            return Self.scalar(dtype, raw) ?? .string("<numpy scalar \(dtype.description)>")
        case .ndarray(let a):
            return .string("<numpy array " + (a.map { "\($0.shape) \($0.dtype.description)" } ?? "") + ">")
        case .tensor(let t): return .string("<tensor \(t.size) \(t.storage.scalarType.rawValue)>")
        case let other: return .string("<\(other.kindName)>")
        }
    }

    /// Numeric numpy scalars (e.g. a numpy float in `attrs`) as numbers.
    static func scalar(_ dtype: NumpyDType, _ raw: [UInt8]) -> AttributeValue? {
        guard !dtype.structured, raw.count == dtype.itemSize, (1...8).contains(raw.count) else { return nil }
        var bits: UInt64 = 0
        let ordered = dtype.byteOrder == ">" ? raw : raw.reversed()
        for b in ordered { bits = bits << 8 | UInt64(b) }
        switch (dtype.kind, raw.count) {
        case ("f", 2): return .double(TorchTensorView.halfToDouble(UInt16(bits)))
        case ("f", 4): return .double(Double(Float(bitPattern: UInt32(bits))))
        case ("f", 8): return .double(Double(bitPattern: bits))
        case ("i", let n):
            let shift = UInt64(64 - 8 * n)
            return .int(Int(Int64(bitPattern: bits << shift) >> Int64(shift)))
        case ("u", 8): return bits <= UInt64(Int.max) ? .int(Int(bits)) : .double(Double(bits))
        case ("u", _): return .int(Int(bits))
        case ("b", 1): return .bool(bits != 0)
        default: return nil
        }
    }
}
