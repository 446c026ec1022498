import Foundation

/// Opens and saves model files in every format glassbox knows, choosing the reader by content:
/// upstream's PyTorch checkpoint (`.pt`, a zip), `.safetensors`, and an encoder directory.
public enum ModelFile {
    /// The portable formats glassbox writes.
    public enum Format: String, Sendable, CaseIterable {
        case safetensors
        case directory

        /// `.safetensors` for a path ending so, an encoder directory otherwise.
        public init(forPath path: String) {
            self = path.lowercased().hasSuffix(".safetensors") ? .safetensors : .directory
        }
    }

    public static func load(_ url: URL) throws -> GlassBoxModel {
        let path = url.relativePath
        let kind = FileKind(path: url.path)
        if case .unreachable = kind { throw InputError(file: path, message: kind.description) }
        if kind == .directory {
            guard EncoderDirectory.isEncoderDirectory(url) else {
                throw InputError(
                    file: path, message: "is a directory without an \(EncoderDirectory.descriptionFile), so it is not an encoder directory")
            }
            return try EncoderDirectory.load(contentsOf: url)
        }
        if url.lastPathComponent == EncoderDirectory.descriptionFile {
            return try EncoderDirectory.load(contentsOf: url.deletingLastPathComponent())
        }
        // Sniffing opens the file: a FIFO would block that open forever, a device never end.
        guard case .regular = kind else {
            throw InputError(file: path, message: "\(kind.description), expected a model file")
        }
        if TorchCheckpoint.isTorchCheckpoint(url) {
            return try TorchCheckpoint.load(contentsOf: url)
        }
        if SafetensorsReader.isSafetensors(url) || url.pathExtension.lowercased() == "safetensors" {
            return try SafetensorsReader.load(contentsOf: url)
        }
        throw InputError(
            file: path,
            message:
                "not a model glassbox can read: expected a file saved by GlassBoxUMAP.save() (a PyTorch zip archive), a .safetensors file or an encoder directory written by `glassbox convert`"
        )
    }

    /// Saves `model` in a portable format, atomically. An existing `url` is replaced only with `force`.
    public static func save(_ model: GlassBoxModel, to url: URL, format: Format, force: Bool = false) throws {
        switch format {
        case .safetensors: try SafetensorsWriter.write(model, to: url, force: force)
        case .directory: try EncoderDirectory.write(model, to: url, force: force)
        }
    }
}
