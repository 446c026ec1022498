/// Samples to explain: their feature values plus per-sample ids and optional group labels —
/// all rows of a data file, or a run of them (`firstRow`). Produced by the data readers;
/// consumed by `verify`, `export` and the explorer.
public struct Dataset: Sendable {
    /// The file it was read from, for messages and reports.
    public var file: String
    /// Feature names, in the order of the matrix's columns (the model's input order).
    public var featureNames: [String]
    /// n × d feature values, however held (dense in memory, mapped, sparse…).
    public var matrix: any SampleMatrix
    /// One id per sample: the id column's text, or the sample's row: its 0-based data row in
    /// the file (pandas' default index; the numbering of `--rows`).
    public var ids: [String]
    /// The id column's name, when there is one.
    public var idColumn: String?
    /// Group labels, when there is a label column.
    public var labels: GroupLabels?
    /// The file's data row (0-based) of row 0: nonzero when only rows from there on were read.
    /// The engine places samples in its blocks by file row, so a slice computes bit for bit as
    /// the same rows of the whole.
    public var firstRow: Int
    /// Data rows in the whole file, when known.
    public var fileRowCount: Int?

    public init(
        file: String, featureNames: [String], matrix: any SampleMatrix, ids: [String]? = nil,
        idColumn: String? = nil, labels: GroupLabels? = nil, firstRow: Int = 0, fileRowCount: Int? = nil
    ) {
        precondition(featureNames.count == matrix.columnCount)
        precondition(ids == nil || ids!.count == matrix.rowCount)
        precondition(labels == nil || labels!.codes.count == matrix.rowCount)
        self.file = file
        self.featureNames = featureNames
        self.matrix = matrix
        self.ids = ids ?? (0..<matrix.rowCount).map { String(firstRow + $0) }
        self.idColumn = idColumn
        self.labels = labels
        self.firstRow = firstRow
        self.fileRowCount = fileRowCount
    }

    /// A dataset held in one dense in-memory matrix.
    public init(
        file: String, featureNames: [String], values: Matrix<Float>, ids: [String]? = nil,
        idColumn: String? = nil, labels: GroupLabels? = nil, firstRow: Int = 0, fileRowCount: Int? = nil
    ) {
        self.init(
            file: file, featureNames: featureNames, matrix: DenseMatrix(values), ids: ids, idColumn: idColumn,
            labels: labels, firstRow: firstRow, fileRowCount: fileRowCount)
    }

    public var sampleCount: Int { matrix.rowCount }
    public var featureCount: Int { matrix.columnCount }

    /// Every value as one dense matrix — without a copy when held dense in memory; a copy
    /// otherwise (for small data and tests).
    public func denseValues() throws -> Matrix<Float> {
        if let d = matrix as? DenseMatrix { return d.matrix }
        return try matrix.dense()
    }
}

/// A categorical column, stored as small integer codes (compact at millions of samples).
public struct GroupLabels: Sendable, Equatable {
    /// What a missing label reads as, in every input format: a group of its own, named as
    /// scanpy's plots name it (and as pandas reads back NaN).
    public static let missing = "NA"

    /// The label column's name.
    public var column: String
    /// Distinct labels in order of first appearance.
    public var categories: [String]
    /// Per sample: an index into `categories`.
    public var codes: [Int32]

    public init(column: String, categories: [String], codes: [Int32]) {
        self.column = column
        self.categories = categories
        self.codes = codes
    }

    /// Builds codes from one label per sample.
    public init(column: String, values: [String]) {
        var index: [String: Int32] = [:]
        var categories: [String] = []
        var codes: [Int32] = []
        codes.reserveCapacity(values.count)
        for v in values {
            if let c = index[v] {
                codes.append(c)
            } else {
                let c = Int32(categories.count)
                index[v] = c
                categories.append(v)
                codes.append(c)
            }
        }
        self.init(column: column, categories: categories, codes: codes)
    }

    public func label(of sample: Int) -> String { categories[Int(codes[sample])] }
}
