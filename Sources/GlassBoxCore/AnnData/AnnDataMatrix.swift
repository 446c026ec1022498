/// The data matrix (`X` or a layer) as the file stores it: a dense 2-D dataset, or a sparse
/// `csr_matrix` / `csc_matrix` group. Opened and checked without reading the values: the shape,
/// the element types, that the file holds the data the shape claims, and the ends of `indptr`.
struct AnnDataMatrix {
    enum Storage {
        case dense(HDF5Dataset)
        /// Compressed sparse rows (or, `byColumn`, columns): `indptr` has one entry per row
        /// (column) plus one.
        case sparse(SparseArrays, byColumn: Bool)
    }

    /// The three datasets of a sparse matrix.
    struct SparseArrays {
        var data: HDF5Dataset
        var indices: HDF5Dataset
        var indptr: HDF5Dataset
        /// Stored entries: `data` and `indices` hold this many.
        var count: Int
    }

    let path: String
    let rows: Int
    let columns: Int
    let storage: Storage

    init(object: HDF5Object) throws {
        path = object.path
        let encoding = try AnnDataEncoding.of(object)
        if let dataset = object as? HDF5Dataset {
            if let encoding, encoding.type != "array" {
                throw object.error("found encoding-type \(encoding.description), expected 'array', 'csr_matrix' or 'csc_matrix'")
            }
            guard dataset.shape.count == 2 else {
                throw object.error("found a dataset of shape \(dataset.shapeDescription), expected a 2-D matrix (cells × features)")
            }
            guard dataset.element.isNumeric else {
                throw object.error("found \(dataset.element.description), expected numbers (float32, float64 or integers)")
            }
            try dataset.requireStoredData()
            rows = dataset.shape[0]
            columns = dataset.shape[1]
            storage = .dense(dataset)
            return
        }
        let group = object as! HDF5Group
        // anndata < 0.7 marked sparse groups with h5sparse_format / h5sparse_shape instead.
        let format = try encoding?.type ?? group.stringAttribute("h5sparse_format").map { $0 + "_matrix" }
        guard let format else {
            throw object.error("found a group without encoding-type, expected a matrix ('array', 'csr_matrix' or 'csc_matrix')")
        }
        guard format == "csr_matrix" || format == "csc_matrix" else {
            throw object.error("found encoding-type '\(format)', expected 'array', 'csr_matrix' or 'csc_matrix'")
        }
        let byColumn = format == "csc_matrix"
        let shapeName = encoding == nil ? "h5sparse_shape" : "shape"
        guard let shape = try group.integerListAttribute(shapeName) else {
            throw object.error("found no '\(shapeName)' attribute, expected the matrix's shape (rows, columns)")
        }
        guard shape.count == 2, shape[0] >= 0, shape[1] >= 0 else {
            throw group.file.error("\(path)@\(shapeName)", "found \(shape), expected two sizes ≥ 0 (rows, columns)")
        }
        rows = shape[0]
        columns = shape[1]
        let data = try group.requiredDataset("data", expected: "the stored values")
        let indices = try group.requiredDataset("indices", expected: "the \(byColumn ? "row" : "column") of each stored value")
        let indptr = try group.requiredDataset("indptr", expected: "where each \(byColumn ? "column" : "row")'s values start")
        for (d, what) in [(data, "numbers"), (indices, "integers"), (indptr, "integers")] {
            try d.requireOneDimension()
            let ok: Bool
            if case .integer = d.element { ok = true } else { ok = what == "numbers" && d.element.isNumeric }
            guard ok else { throw d.error("found \(d.element.description), expected \(what)") }
        }
        let count = data.shape[0]
        guard indices.shape[0] == count else {
            throw indices.error("found \(indices.shape[0]) entries, expected \(count) (as many as \(data.path))")
        }
        let major = byColumn ? columns : rows
        guard indptr.shape[0] == major + 1 else {
            throw indptr.error(
                "found \(indptr.shape[0]) entries, expected \(major + 1) (the shape's \(major) \(byColumn ? "columns" : "rows") + 1)")
        }
        for d in [data, indices, indptr] { try d.requireStoredData() }
        let first = try indptr.readInt64(0..<1)[0], last = try indptr.readInt64(major..<(major + 1))[0]
        guard first == 0 else { throw group.file.error("\(indptr.path)[0]", "found \(first), expected 0") }
        guard last == Int64(count) else {
            throw group.file.error("\(indptr.path)[\(major)]", "found \(last), expected \(count) (the number of stored values)")
        }
        storage = .sparse(SparseArrays(data: data, indices: indices, indptr: indptr, count: count), byColumn: byColumn)
    }
}
