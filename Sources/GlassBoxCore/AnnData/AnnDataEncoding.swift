/// The `encoding-type` / `encoding-version` attributes anndata puts on every element it writes.
struct AnnDataEncoding: Equatable {
    var type: String
    var version: String?

    /// The element's encoding, or nil when it has none (files of anndata < 0.7, hand-made files).
    static func of(_ object: HDF5Object) throws -> AnnDataEncoding? {
        guard let type = try object.stringAttribute("encoding-type") else { return nil }
        return AnnDataEncoding(type: type, version: try object.stringAttribute("encoding-version"))
    }

    var description: String { "'\(type)'" + (version.map { " (version \($0))" } ?? "") }
}
