import Foundation

/// What `inspect` prints about a model: its layers with shapes, dimensions, parameter count
/// and training attributes — as text or as one JSON object.
public struct ModelReport {
    public var model: GlassBoxModel
    public var file: String

    public init(model: GlassBoxModel, file: String) {
        self.model = model
        self.file = file
    }

    /// One row per layer: name, kind, and "in → out" or parameter shapes.
    public var layerRows: [(name: String, kind: String, detail: String, parameters: Int)] {
        model.encoder.layers.map { ($0.name, $0.layer.name, $0.layer.summary, $0.layer.parameterCount) }
    }

    /// Display-safe: layer names, attribute keys and feature names come from the file.
    public var text: String {
        DisplaySafe.text(plainText, keepingNewlines: true)
    }

    private var plainText: String {
        var lines: [String] = []
        lines.append("model      \(file)")
        lines.append("input      \(model.featureCount) features")
        if let k = model.pcaComponentCount {
            lines.append("PCA        \(model.featureCount) → \(k) components")
        } else {
            lines.append("PCA        none (the encoder sees the centered features)")
        }
        lines.append("encoder    \(model.encoder.inputWidth) → \(model.outputCount) (embedding dimensions)")
        lines.append("parameters \(model.parameterCount) in the encoder")
        if let names = model.featureNames {
            lines.append("features   named (\(names.prefix(3).joined(separator: ", "))\(names.count > 3 ? ", …" : ""))")
        }
        lines.append("")
        lines.append("layers")
        let rows = layerRows
        let nameWidth = rows.map(\.name.count).max() ?? 0
        let kindWidth = rows.map(\.kind.count).max() ?? 0
        for r in rows {
            lines.append(
                "  " + r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                    + r.kind.padding(toLength: kindWidth, withPad: " ", startingAt: 0) + "  " + r.detail)
        }
        if !model.attributes.isEmpty {
            lines.append("")
            lines.append("training attributes")
            let w = model.attributes.map(\.key.count).max() ?? 0
            for (k, v) in model.attributes {
                // A long value (a list of 256,000 numbers) is cut; --json gives it whole.
                let value = DisplaySafe.excerpt(v.description, limit: 200)
                lines.append("  " + k.padding(toLength: w, withPad: " ", startingAt: 0) + "  " + value)
            }
        }
        return lines.joined(separator: "\n")
    }

    public var json: String {
        let layers = layerRows.enumerated().map { i, r -> String in
            let shapes = model.encoder.layers[i].layer.tensors.map { "[" + $0.shape.map(String.init).joined(separator: ", ") + "]" }
            return
                "{\"name\": \(JSONText.quote(r.name)), \"type\": \(JSONText.quote(r.kind)), \"parameters\": \(r.parameters), \"shapes\": [\(shapes.joined(separator: ", "))]}"
        }
        var fields: [String] = [
            "\"file\": \(JSONText.quote(file))",
            "\"input_dim\": \(model.featureCount)",
            "\"pca_dim\": \(model.pcaComponentCount.map(String.init) ?? "null")",
            "\"encoder_input_dim\": \(model.encoder.inputWidth)",
            "\"output_dim\": \(model.outputCount)",
            "\"parameter_count\": \(model.parameterCount)",
            "\"layers\": [\(layers.joined(separator: ", "))]",
            "\"attrs\": \(AttributeValue.dict(model.attributes).json)",
        ]
        if let names = model.featureNames { fields.append("\"feature_names\": [\(names.map(JSONText.quote).joined(separator: ", "))]") }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

/// Short, readable numbers for reports: 4 significant digits, scientific when tiny or huge.
public func formatValue(_ v: Double) -> String {
    if v == 0 { return "0" }
    if !v.isFinite { return "\(v)" }
    let a = abs(v)
    if a >= 1e-3 && a < 1e6 {
        var s = String(format: "%.4g", v)
        if s.contains("e") { s = String(format: "%.4e", v) }
        return s
    }
    return String(format: "%.3e", v)
}
