import Foundation

/// An AnnData `.h5ad` file opened for reading: the matrix, `obs` and `var` located and their
/// encodings checked, nothing read in bulk yet.
final class AnnDataFile: @unchecked Sendable {
    let hdf5: HDF5File
    let root: HDF5Group
    var name: String { hdf5.name }

    init(path: String, name: String) throws {
        hdf5 = try HDF5File(path: path, name: name)
        root = try hdf5.root()
        if let encoding = try AnnDataEncoding.of(root), encoding.type != "anndata" {
            throw hdf5.error(
                "/", "found encoding-type \(encoding.description), expected 'anndata' (an HDF5 file that is not an AnnData file?)")
        }
        if !root.contains("X") && !root.contains("obs") {
            let members = (try? root.memberNames()) ?? []
            throw hdf5.error(
                "/",
                "found no X and no obs, expected an AnnData file (the root group has \(members.isEmpty ? "no members" : quoteList(members, limit: 8)))"
            )
        }
    }

    /// `obs` (one row per sample) or `var` (one row per feature).
    func frame(_ name: String) throws -> AnnDataFrame {
        guard let object = try root.member(name) else {
            throw hdf5.error("/\(name)", "found nothing, expected the \(name) dataframe")
        }
        return try AnnDataFrame(object: object, root: root)
    }

    /// `X`, or `layers/<layer>`.
    func matrix(layer: String?) throws -> AnnDataMatrix {
        guard let layer else {
            guard let x = try root.member("X") else {
                throw hdf5.error("/X", "found nothing, expected the data matrix X (name a layer with --layer)")
            }
            return try AnnDataMatrix(object: x)
        }
        let layers = try root.group("layers")
        guard let layers, let object = try layers.member(layer) else {
            let names = (try layers?.memberNames()) ?? []
            throw hdf5.error(
                "/layers/\(layer)",
                "found no layer '\(layer)' (--layer), expected one of the file's layers: "
                    + (names.isEmpty ? "it has none" : quoteList(names, limit: 8)))
        }
        return try AnnDataMatrix(object: object)
    }
}
