import Foundation

/// Opens a model file in any format glassbox reads, choosing the reader by content.
public enum ModelFile {
    public static func load(_ url: URL) throws -> GlassBoxModel {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, message: "no such file")
        }
        if TorchCheckpoint.isTorchCheckpoint(url) {
            return try TorchCheckpoint.load(contentsOf: url)
        }
        throw InputError(file: path, message: "not a model glassbox can read: expected a file saved by GlassBoxUMAP.save() (a PyTorch zip archive)")
    }
}
