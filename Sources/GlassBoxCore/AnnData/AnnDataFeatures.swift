import Foundation

/// Which of the matrix's columns (the rows of `var`) are the model's features, in the model's
/// input order.
///
/// The rule, in this order:
/// 1. `--features` naming a boolean `var` column (`highly_variable`): the columns it marks, in
///    file order — or, when the model carries feature names, in the model's order;
/// 2. `--features FILE`: exactly the listed names, in that order;
/// 3. a model that carries feature names: the columns so named, in the model's order;
/// 4. every column, in file order.
/// Names are those of `var`'s index. The count must equal the model's input width; when the
/// matrix has more columns than the model takes and nothing says which, the message suggests
/// the file's boolean `var` columns.
struct AnnDataFeatures {
    /// File column of each feature.
    let fileColumns: [Int]
    /// Feature names, in the model's order.
    let names: [String]
    let fileColumnCount: Int
    var notes: [String] = []

    var count: Int { fileColumns.count }
    var isIdentity: Bool { fileColumns.count == fileColumnCount && fileColumns.enumerated().allSatisfy { $0 == $1 } }

    /// Per file column: its feature slot, or −1 when it is not a feature.
    func slots() -> [Int32] {
        var s = [Int32](repeating: -1, count: fileColumnCount)
        for (k, j) in fileColumns.enumerated() { s[j] = Int32(k) }
        return s
    }

    /// What `--features` names in an AnnData file.
    enum Choice {
        case mask(column: AnnDataColumn)
        /// Names in the model's order, from `file` (nil: given directly).
        case list(names: [String], file: String?)
    }

    /// Resolves a `--features` value: a boolean `var` column of that name, else a file of names.
    static func choice(_ value: String, in frame: AnnDataFrame) throws -> Choice {
        if let column = try frame.column(value), column.isBoolean {
            return .mask(column: column)
        }
        let url = URL(fileURLWithPath: value)
        if !FileManager.default.fileExists(atPath: url.path) {
            let booleans = frame.booleanColumns()
            throw InputError(
                file: value,
                message: "found neither a file nor a boolean column of \(frame.path) of that name (--features), expected one of them"
                    + (booleans.isEmpty
                        ? "; \(frame.path) has no boolean columns" : "; \(frame.path)'s boolean columns: " + quoteList(booleans, limit: 6)))
        }
        return .list(names: try CSVReadOptions.loadFeatureList(from: url), file: url.relativePath)
    }

    static func decide(
        frame: AnnDataFrame, matrix: AnnDataMatrix, choice: Choice?,
        expectation: FeatureExpectation?, file: HDF5File
    ) throws -> AnnDataFeatures {
        let d = matrix.columns
        guard frame.rowCount == d else {
            throw file.error(frame.path, "found \(frame.rowCount) rows (one per feature), expected \(d), as \(matrix.path) has columns")
        }
        let names = try frame.indexTexts(0..<d)
        var index: [String: Int] = [:]
        for (j, name) in names.enumerated() where index[name] == nil { index[name] = j }
        var notes: [String] = []
        if index.count < names.count {
            notes.append("\(names.count - index.count) feature names repeat in \(frame.path)'s index: the first of each is used")
        }
        func matched(_ wanted: [String], source: String, among allowed: Set<Int>? = nil, maskName: String? = nil) throws -> [Int] {
            var columns: [Int] = [], missing: [(Int, String)] = []
            for (k, name) in wanted.enumerated() {
                if let j = index[name], allowed?.contains(j) ?? true { columns.append(j) } else { missing.append((k, name)) }
            }
            guard missing.isEmpty else {
                var message =
                    "found \(wanted.count - missing.count) of the \(wanted.count) features \(source) in \(frame.path)\(maskName.map { " among those marked by '\($0)'" } ?? "")'s index, expected all of them; missing: "
                message += missing.prefix(5).map { "'\($0.1)' (feature \($0.0 + 1))" }.joined(separator: ", ")
                if missing.count > 5 { message += " and \(missing.count - 5) more" }
                if missing.count == wanted.count {
                    message += "; the index has " + quoteList(names, limit: 4)
                }
                throw file.error("\(frame.path)/\(frame.indexName)", message)
            }
            return columns
        }
        func checkWidth(_ count: Int, marked column: AnnDataColumn) throws {
            if let expected = expectation?.count, count != expected {
                throw file.error(column.path, "marks \(count) features, expected \(expected) (the model's input width)")
            }
        }

        let columns: [Int]
        switch choice {
        case .mask(let column)?:
            let marked = try column.booleans()
            let selected = marked.indices.filter { marked[$0] }
            try checkWidth(selected.count, marked: column)
            if let modelNames = expectation?.names {
                columns = try matched(modelNames, source: "named by the model", among: Set(selected), maskName: column.name)
            } else {
                columns = selected
            }
            notes.append("using the \(selected.count) of \(d) features marked by \(column.path) (--features)")
        case .list(let wanted, let listFile)?:
            if let expected = expectation?.count, wanted.count != expected {
                throw InputError(
                    file: listFile ?? "--features",
                    message: "found \(wanted.count) feature names, expected \(expected) (the model's input width)")
            }
            columns = try matched(wanted, source: listFile.map { "listed in \($0)" } ?? "listed")
        case nil:
            if let modelNames = expectation?.names {
                columns = try matched(modelNames, source: "named by the model")
                if columns.count < d { notes.append("using the \(columns.count) of \(d) features the model names") }
            } else {
                if let expected = expectation?.count, d != expected {
                    var message = "has \(d) columns (features), expected \(expected) (the model's input width)"
                    if d > expected {
                        let booleans = frame.booleanColumns()
                        if booleans.isEmpty {
                            message += "; say which features the model takes with --features FILE (one name per line, in the model's order)"
                        } else {
                            let suggestion = booleans.contains("highly_variable") ? "highly_variable" : booleans[0]
                            message +=
                                "; say which the model takes, e.g. --features \(suggestion) (\(frame.path)'s boolean columns: \(quoteList(booleans, limit: 6))) or --features FILE"
                        }
                    }
                    throw file.error(matrix.path, message)
                }
                columns = Array(0..<d)
            }
        }
        return AnnDataFeatures(fileColumns: columns, names: columns.map { names[$0] }, fileColumnCount: d, notes: notes)
    }
}
