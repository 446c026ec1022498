/// A dataframe of an AnnData file — `obs` (one row per sample) or `var` (one row per feature):
/// its index and named columns, located and checked, read on demand.
final class AnnDataFrame: @unchecked Sendable {
    let group: HDF5Group
    var path: String { group.path }
    /// The index's dataset name (the `_index` attribute): the id column's name.
    let indexName: String
    let index: HDF5Dataset
    let rowCount: Int
    /// Column names in the file's order (`column-order`).
    let columnNames: [String]

    init(object: HDF5Object, root: HDF5Group) throws {
        guard let group = object as? HDF5Group else {
            if let d = object as? HDF5Dataset, case .compound(let fields) = d.element {
                throw object.error(
                    "found a table of records (\(fields.prefix(6).joined(separator: ", "))\(fields.count > 6 ? ", …" : "")): the dataframe layout of anndata < 0.7, which glassbox does not read; expected a group with encoding-type 'dataframe' — re-save the file with a current anndata (in Python: anndata.read_h5ad(path).write_h5ad(new_path))"
                )
            }
            throw object.error("found a dataset, expected a dataframe (a group with encoding-type 'dataframe')")
        }
        self.group = group
        if let encoding = try AnnDataEncoding.of(group), encoding.type != "dataframe" {
            throw group.error("found encoding-type \(encoding.description), expected 'dataframe'")
        }
        guard let indexName = try group.stringAttribute("_index") else {
            throw group.error("found no '_index' attribute, expected the name of the dataset holding the index")
        }
        self.indexName = indexName
        index = try group.requiredDataset(indexName, expected: "the dataframe's index (named by its '_index' attribute)")
        try index.requireOneDimension()
        try index.requireStoredData()
        rowCount = index.shape[0]
        columnNames = try group.stringListAttribute("column-order") ?? []
    }

    /// The index as text (AnnData indexes are strings; numbers are written out).
    func indexTexts(_ rows: Range<Int>) throws -> [String] {
        try AnnDataColumn.texts(of: index, rows)
    }

    /// Column `name`, or nil when there is none.
    func column(_ name: String) throws -> AnnDataColumn? {
        guard name != indexName || columnNames.contains(name), let object = try group.member(name) else { return nil }
        let column = try AnnDataColumn(object: object, frame: self)
        guard column.length == rowCount else {
            throw object.error("found \(column.length) values, expected \(rowCount) (one per row of \(path), as its index has)")
        }
        return column
    }

    /// The columns that hold booleans (for `--features`).
    func booleanColumns() -> [String] {
        columnNames.filter { name in
            guard let c = try? column(name) else { return false }
            return c.isBoolean
        }
    }

    /// Every column name, the index's first, for messages.
    var allNames: [String] { [indexName] + columnNames }
}
