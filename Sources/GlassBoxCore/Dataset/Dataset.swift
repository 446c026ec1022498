/// Samples to explain: a numeric feature matrix plus per-sample ids and optional group labels.
/// Produced by `CSVDatasetReader`; consumed by `verify`, `export` and the explorer.
public struct Dataset: Sendable {
    /// The file it was read from, for messages and reports.
    public var file: String
    /// Feature column names, in the order of `values`' columns (the model's input order).
    public var featureNames: [String]
    /// n × d feature values, Float32 as upstream uses them.
    public var values: Matrix<Float>
    /// One id per sample: the id column's text, or the 1-based row number.
    public var ids: [String]
    /// The id column's name, when there is one.
    public var idColumn: String?
    /// Group labels, when there is a label column.
    public var labels: GroupLabels?

    public init(file: String, featureNames: [String], values: Matrix<Float>, ids: [String]? = nil,
                idColumn: String? = nil, labels: GroupLabels? = nil) {
        precondition(featureNames.count == values.cols)
        precondition(ids == nil || ids!.count == values.rows)
        precondition(labels == nil || labels!.codes.count == values.rows)
        self.file = file
        self.featureNames = featureNames
        self.values = values
        self.ids = ids ?? (0..<values.rows).map { String($0 + 1) }
        self.idColumn = idColumn
        self.labels = labels
    }

    public var sampleCount: Int { values.rows }
    public var featureCount: Int { values.cols }
}

/// A categorical column, stored as small integer codes (compact at millions of samples).
public struct GroupLabels: Sendable, Equatable {
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
