import Foundation

/// One tensor of a portable model file: its name (the upstream state-dict key, or
/// `preprocess.*`), element type and shape.
public struct TensorSpec: Equatable, Sendable {
    public var name: String
    public var scalarType: ScalarType
    public var shape: [Int]
    /// Checked not to overflow when the spec was read.
    public var count: Int { shape.reduce(1, *) }

    init(name: String, scalarType: ScalarType, shape: [Int]) {
        self.name = name
        self.scalarType = scalarType
        self.shape = shape
    }

    /// The spec of `tensor` stored under `name`.
    init(_ name: String, _ tensor: Tensor) {
        self.init(name: name, scalarType: tensor.scalarType, shape: tensor.shape)
    }
}

/// The `glassbox` JSON that describes a model in both portable formats: the safetensors
/// `__metadata__["glassbox"]` entry and an encoder directory's `encoder.json`.
///
/// ```
/// { "format": "glassbox-encoder", "format_version": 1,
///   "n_components": 2, "input_dims": [50], "feature_names": ["CD3D", …] or null,
///   "preprocess": { "mean": {"dtype": "F32", "shape": [765]},
///                   "pca.components": {…}, "pca.mean": {…} },          // pca.* absent without PCA
///   "layers": [ {"type": "Linear", "name": "encoder.model.0", "tensors": {"weight": {"dtype": "F32", "shape": [128, 50]}}},
///               {"type": "PReLU", "name": "encoder.model.1", "tensors": {"weight": …}},
///               {"type": "LayerNormDetached", "name": "encoder.model.2", "eps": 1e-12, "tensors": {"scale": …}},
///               {"type": "Dropout", "name": "encoder.model.3"},
///               {"type": "ResidualMLPBlock", "name": …, "eps": 1e-12,
///                "tensors": {"fc1.weight": …, "norm1.scale": …, "act.weight": …, "fc2.weight": …, "norm2.scale": …}} ],
///   "attrs": { …upstream's training attributes, in order… } }
/// ```
/// A tensor's name is its layer's name (or `preprocess`), a dot, and its key in `tensors`.
public struct EncoderDescription: Sendable {
    public static let format = "glassbox-encoder"
    public static let formatVersion = 1
    static let maxLayers = 10_000

    public struct LayerSpec: Sendable {
        public var kind: LayerKind
        public var name: String
        public var eps: Double?
        /// Parameter key (e.g. `weight`, `fc1.weight`) and its tensor, in state-dict order.
        public var tensors: [(key: String, spec: TensorSpec)]
    }

    public var layers: [LayerSpec]
    public var preprocess: [(key: String, spec: TensorSpec)]
    public var outputCount: Int
    public var inputDims: [Int]?
    public var featureNames: [String]?
    public var attributes: [(key: String, value: AttributeValue)]

    /// Every tensor the file must hold, in write order (layers, then preprocessing).
    public var tensorSpecs: [TensorSpec] {
        layers.flatMap { $0.tensors.map(\.spec) } + preprocess.map(\.spec)
    }

    // MARK: - From a model

    public init(model: GlassBoxModel) {
        layers = model.encoder.layers.map { named in
            LayerSpec(
                kind: named.layer.kind, name: named.name, eps: named.layer.eps,
                tensors: named.layer.parameters.map { ($0.key, TensorSpec(named.name + "." + $0.key, $0.tensor)) })
        }
        preprocess = Self.preprocessTensors(of: model).map { ($0.key, TensorSpec("preprocess." + $0.key, $0.tensor)) }
        outputCount = model.outputCount
        inputDims = model.inputDims
        featureNames = model.featureNames
        attributes = model.attributes
    }

    private static func preprocessTensors(of model: GlassBoxModel) -> [(key: String, tensor: Tensor)] {
        [("mean", model.preprocessing.mean)]
            + (model.preprocessing.pca.map { [("pca.components", $0.components), ("pca.mean", $0.mean)] } ?? [])
    }

    /// The tensors of `model` with their names, in `tensorSpecs` order (the order they are written).
    public static func tensors(of model: GlassBoxModel) -> [(name: String, tensor: Tensor)] {
        model.encoder.layers.flatMap { named in named.layer.parameters.map { (named.name + "." + $0.key, $0.tensor) } }
            + preprocessTensors(of: model).map { ("preprocess." + $0.key, $0.tensor) }
    }

    /// Checks that the model can be written: its layer names become file names and JSON keys.
    /// (A hostile `.pt` can name its modules `encoder.a/../b.0`.)
    public static func checkWritable(_ model: GlassBoxModel, file: String) throws {
        var seen: Set<String> = []
        for named in model.encoder.layers {
            guard ModelNames.isSafe(named.name), !named.name.hasPrefix("preprocess") else {
                throw InputError(
                    file: file, field: named.name,
                    message: "this layer name cannot be stored in a portable model file (only letters, digits, '_', '-' and single dots)")
            }
            guard seen.insert(named.name).inserted else {
                throw InputError(file: file, field: named.name, message: "two layers have this name")
            }
        }
    }

    // MARK: - JSON text

    /// Pretty-printed, one layer or tensor per line, keys in a fixed order.
    public var json: String {
        func tensorJSON(_ s: TensorSpec) -> String {
            "{\"dtype\": \"\(TensorCodec.dtypeName(s.scalarType))\", \"shape\": [\(s.shape.map(String.init).joined(separator: ", "))]}"
        }
        func tensorsJSON(_ items: [(key: String, spec: TensorSpec)], indent: String) -> String {
            "{" + items.map { "\n\(indent)  \(JSONText.quote($0.key)): \(tensorJSON($0.spec))" }.joined(separator: ",") + "\n\(indent)}"
        }
        var out = "{\n"
        out += "  \"format\": \(JSONText.quote(Self.format)),\n"
        out += "  \"format_version\": \(Self.formatVersion),\n"
        out += "  \"n_components\": \(outputCount),\n"
        out += "  \"input_dims\": " + (inputDims.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" } ?? "null") + ",\n"
        out += "  \"feature_names\": " + (featureNames.map { "[" + $0.map(JSONText.quote).joined(separator: ", ") + "]" } ?? "null") + ",\n"
        out += "  \"preprocess\": " + tensorsJSON(preprocess, indent: "  ") + ",\n"
        out += "  \"layers\": ["
        out += layers.map { layer in
            var line = "\n    {\"type\": \(JSONText.quote(layer.kind.type)), \"name\": \(JSONText.quote(layer.name))"
            if let eps = layer.eps { line += ", \"eps\": \(JSONText.number(eps))" }
            if !layer.tensors.isEmpty {
                line +=
                    ", \"tensors\": {" + layer.tensors.map { "\(JSONText.quote($0.key)): \(tensorJSON($0.spec))" }.joined(separator: ", ")
                    + "}"
            }
            return line + "}"
        }.joined(separator: ",")
        out += "\n  ],\n"
        out += "  \"attrs\": " + AttributeValue.dict(attributes).withUniqueKeys.json + "\n"
        return out + "}\n"
    }

    // MARK: - Reading

    /// Reads the description from JSON text. `place(offset)` turns a byte offset into the
    /// error's location; `field` prefixes structural errors (e.g. `__metadata__['glassbox']`).
    static func parse(
        _ bytes: UnsafeRawBufferPointer, file: String, field: String?,
        syntaxError: (JSONParser.Failure) -> InputError
    ) throws -> EncoderDescription {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch let failure as JSONParser.Failure {
            throw syntaxError(failure)
        }
        return try EncoderDescription(json: root, file: file, field: field)
    }

    init(json root: JSONValue, file: String, field: String?) throws {
        func fail(_ path: String, _ message: String) -> InputError {
            DisplaySafe.error(
                InputError(
                    file: file, field: field.map { path.isEmpty ? $0 : "\($0): \(path)" } ?? (path.isEmpty ? nil : path), message: message))
        }
        guard case .object = root else { throw fail("", "expected a JSON object describing the model, found \(root.kindName)") }
        guard root["format"] == .string(Self.format) else {
            throw fail("format", "expected \"\(Self.format)\"; this is not a glassbox model description")
        }
        guard case .int(let version)? = root["format_version"] else { throw fail("format_version", "missing or not an integer") }
        guard version == Self.formatVersion else {
            throw fail("format_version", "version \(version) is not supported; this glassbox reads version \(Self.formatVersion)")
        }
        guard case .int(let m)? = root["n_components"], m > 0 else { throw fail("n_components", "expected a positive integer") }
        outputCount = m

        func positiveInts(_ v: JSONValue, _ path: String, allowZero: Bool) throws -> [Int] {
            guard case .array(let items) = v, items.count <= 8 else { throw fail(path, "expected an array of at most 8 integers") }
            return try items.map {
                guard case .int(let n) = $0, n > 0 || (allowZero && n == 0) else {
                    throw fail(
                        path, "expected \(allowZero ? "non-negative" : "positive") integers, found \($0 == .null ? "null" : $0.kindName)")
                }
                return n
            }
        }
        switch root["input_dims"] {
        case nil, .null?: inputDims = nil
        case let v?:
            let dims = try positiveInts(v, "input_dims", allowZero: false)
            guard !dims.isEmpty, TorchTensorView.elementCount(dims) != nil else { throw fail("input_dims", "expected a non-empty shape") }
            inputDims = dims
        }
        switch root["feature_names"] {
        case nil, .null?: featureNames = nil
        case .array(let items)?:
            let names: [String] = try items.map {
                guard case .string(let s) = $0 else { throw fail("feature_names", "expected strings, found \($0.kindName)") }
                return s
            }
            try FeatureNames.check(names, file: file, field: (field.map { $0 + ": " } ?? "") + "feature_names")
            featureNames = names
        case let v?: throw fail("feature_names", "expected an array of strings or null, found \(v.kindName)")
        }

        var seen: Set<String> = []
        func tensors(_ v: JSONValue?, prefix: String, path: String, allowed: [String]) throws -> [(key: String, spec: TensorSpec)] {
            guard let v else { return [] }
            guard case .object(let items) = v else { throw fail(path, "expected an object of tensors, found \(v.kindName)") }
            return try items.map { item in
                let at = "\(path)['\(item.key)']"
                guard allowed.contains(item.key) else {
                    throw fail(
                        at,
                        "unexpected tensor \(DisplaySafe.quoted(item.key)); expected \(allowed.map { "'\($0)'" }.joined(separator: ", "))")
                }
                guard case .string(let dtype)? = item.value["dtype"], let type = TensorCodec.scalarType(dtype: dtype) else {
                    throw fail(at, "'dtype' must be one of \(TensorCodec.dtypeNames)")
                }
                guard let shapeValue = item.value["shape"] else { throw fail(at, "missing 'shape'") }
                let shape = try positiveInts(shapeValue, at + ".shape", allowZero: true)
                guard TorchTensorView.elementCount(shape) != nil else { throw fail(at, "shape \(shape) overflows") }
                let name = prefix + "." + item.key
                guard seen.insert(name).inserted else { throw fail(at, "tensor '\(name)' is described twice") }
                return (item.key, TensorSpec(name: name, scalarType: type, shape: shape))
            }
        }

        preprocess = try tensors(
            root["preprocess"], prefix: "preprocess", path: "preprocess", allowed: ["mean", "pca.components", "pca.mean"])
        guard preprocess.contains(where: { $0.key == "mean" }) else { throw fail("preprocess", "missing the training mean 'mean'") }
        guard preprocess.contains(where: { $0.key == "pca.components" }) == preprocess.contains(where: { $0.key == "pca.mean" }) else {
            throw fail("preprocess", "'pca.components' and 'pca.mean' come together or not at all")
        }

        guard case .array(let layerValues)? = root["layers"], !layerValues.isEmpty else {
            throw fail("layers", "expected a non-empty array of layers")
        }
        guard layerValues.count <= Self.maxLayers else { throw fail("layers", "more than \(Self.maxLayers) layers") }
        var names: Set<String> = []
        layers = try layerValues.enumerated().map { index, v in
            let path = "layers[\(index)]"
            guard case .object = v else { throw fail(path, "expected an object, found \(v.kindName)") }
            guard case .string(let type)? = v["type"] else { throw fail(path, "missing 'type'") }
            guard case .string(let name)? = v["name"], ModelNames.isSafe(name), !name.hasPrefix("preprocess") else {
                throw fail(path, "'name' must be a dotted module name of letters, digits, '_' and '-' (e.g. encoder.model.0)")
            }
            guard ModelNames.hasCanonicalIndices(name) else {
                throw fail(
                    path,
                    "'name' \(JSONText.quote(name)) writes a module index with a leading zero; PyTorch writes indices as 0, 1, …, and another spelling could alias another layer"
                )
            }
            guard names.insert(name).inserted else { throw fail(path, "two layers are named '\(name)'") }
            guard let kind = LayerKind(type: type) else {
                throw fail(path + ".type", "unknown layer type '\(type)'; expected \(LayerKind.typeList)")
            }
            var eps: Double? = nil
            if kind.hasEps {
                switch v["eps"] {
                case nil: eps = Layer.layerNormEpsilon
                case .int(let i)?: eps = Double(i)
                case .double(let d)?: eps = d
                case let other?: throw fail(path + ".eps", "expected a number, found \(other.kindName)")
                }
                if let e = eps, e < 0 { throw fail(path + ".eps", "must be ≥ 0, found \(e)") }
            } else if v["eps"] != nil {
                throw fail(path + ".eps", "a \(type) has no eps")
            }
            let specs = try tensors(v["tensors"], prefix: name, path: path + ".tensors", allowed: kind.tensors.map(\.key))
            for slot in kind.tensors where slot.required && !specs.contains(where: { $0.key == slot.key }) {
                throw fail(path + ".tensors", "a \(type) needs the tensor '\(slot.key)'")
            }
            return LayerSpec(kind: kind, name: name, eps: eps, tensors: specs)
        }
        switch root["attrs"] {
        case nil, .null?: attributes = []
        case .object(let items)?: attributes = items.map { ($0.key, $0.value.attributeValue) }
        case let v?: throw fail("attrs", "expected an object, found \(v.kindName)")
        }
    }

    /// Assembles and validates the model; `tensor` supplies each spec's values.
    func model(file: String, tensor: (TensorSpec) throws -> Tensor) throws -> GlassBoxModel {
        var named: [NamedLayer] = []
        for layer in layers {
            var values: [String: Tensor] = [:]
            for (key, spec) in layer.tensors { values[key] = try tensor(spec) }
            named.append(
                NamedLayer(layer.name, try Layer(kind: layer.kind, tensors: values, eps: layer.eps, file: file, field: layer.name)))
        }
        let encoder = try Encoder(layers: named, file: file)
        var pre: [String: Tensor] = [:]
        for (key, spec) in preprocess { pre[key] = try tensor(spec) }
        guard let mean = pre["mean"], mean.rank == 1, mean.count > 0 else {
            throw InputError(
                file: file, field: "preprocess.mean",
                message: "expected a vector of one value per feature, found shape \(pre["mean"].map(\.shapeDescription) ?? "none")")
        }
        var pca: PCAProjection? = nil
        if let components = pre["pca.components"], let pcaMean = pre["pca.mean"] {
            guard components.rank == 2, components.shape[0] > 0 else {
                throw InputError(
                    file: file, field: "preprocess.pca.components",
                    message: "expected a (components, features) matrix, found shape \(components.shapeDescription)")
            }
            guard pcaMean.rank == 1 else {
                throw InputError(
                    file: file, field: "preprocess.pca.mean", message: "expected a vector, found shape \(pcaMean.shapeDescription)")
            }
            pca = PCAProjection(components: components, mean: pcaMean)
        }
        guard encoder.outputWidth == outputCount else {
            throw InputError(
                file: file, field: "n_components",
                message: "n_components is \(outputCount) but the encoder's last layer gives \(encoder.outputWidth) values")
        }
        return try GlassBoxModel(
            encoder: encoder, preprocessing: Preprocessing(mean: mean, pca: pca), attributes: attributes,
            featureNames: featureNames, inputDims: inputDims, file: file)
    }
}

/// Names that become file names in an encoder directory: no path separators, no `..`.
enum ModelNames {
    /// Whether every all-digit part of a dotted name is a module index as PyTorch writes it
    /// (`0`, `12`; never `00`): `encoder.model.00` would be another spelling of `encoder.model.0`.
    static func hasCanonicalIndices(_ name: String) -> Bool {
        name.split(separator: ".").allSatisfy { part in
            !part.allSatisfy { $0.isASCII && $0.isNumber } || part == "0" || part.first != "0"
        }
    }

    static func isSafe(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 200, !name.hasPrefix("."), !name.hasSuffix("."), !name.contains("..") else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
        }
    }
}

/// Feature names a model carries: as many as it has features, non-empty, distinct.
public enum FeatureNames {
    public static func check(_ names: [String], file: String, field: String?) throws {
        var seen: Set<String> = []
        for (i, name) in names.enumerated() {
            guard !name.isEmpty else { throw InputError(file: file, field: field, message: "feature name #\(i + 1) is empty") }
            // Names are printed to terminals: escape sequences in a downloaded file must not reach one.
            guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw InputError(file: file, field: field, message: "feature name #\(i + 1) contains a control character")
            }
            guard seen.insert(name).inserted else {
                throw InputError(
                    file: file, field: field, message: "feature name '\(DisplaySafe.text(name))' appears twice; names must identify columns"
                )
            }
        }
    }

    /// Reads a names file: one name per line (surrounding whitespace and a final newline ignored).
    public static func read(_ url: URL, expecting count: Int) throws -> [String] {
        let file = url.relativePath
        let data = try PortableFile.read(url, file: file, limit: 256 << 20)
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: file, message: "is not UTF-8 text")
        }
        // Split on scalars: in a Swift String "\r\n" is one Character, not a "\n".
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(Substring($0)) }
            .map { $0.trimmingCharacters(in: .whitespaces.union(["\r"])) }
        if text.hasPrefix("\u{FEFF}"), !lines.isEmpty { lines[0] = String(lines[0].dropFirst()) }
        while lines.last == "" { lines.removeLast() }
        if let blank = lines.firstIndex(of: "") {
            throw InputError(file: file, line: blank + 1, column: 1, message: "empty line; expected one feature name per line")
        }
        guard lines.count == count else {
            throw InputError(file: file, message: "lists \(lines.count) feature names but the model has \(count) features")
        }
        try check(lines, file: file, field: nil)
        return lines
    }
}

extension AttributeValue {
    /// The value with each dict's repeated keys dropped (first one kept): a pickled dict can
    /// hold both `1` and `'1'`, which are one JSON key, and JSON readers disagree on duplicates.
    var withUniqueKeys: AttributeValue {
        switch self {
        case .list(let items): return .list(items.map(\.withUniqueKeys))
        case .dict(let items):
            var seen: Set<String> = []
            return .dict(items.filter { seen.insert($0.key).inserted }.map { ($0.key, $0.value.withUniqueKeys) })
        default: return self
        }
    }
}
