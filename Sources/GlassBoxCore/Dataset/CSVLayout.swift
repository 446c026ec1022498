/// A cell quoted in messages: where it is and what it holds.
struct CellNote: Sendable, Equatable {
    var line: Int
    var column: Int
    var text: String
}

/// What is known about the columns' contents: from a sample of the first rows, then from
/// whole-file parses (a column numeric in the sample may turn out not to be).
struct ColumnKnowledge {
    /// Columns with a cell that is neither a number nor missing, and their first such cell.
    var text: [Int: CellNote] = [:]
    /// Whether the first column counts the rows (0…n−1 or 1…n), as a written pandas index does.
    var firstColumnCountsRows = false
    /// The whole input was seen and holds no data row after the header.
    var noDataRows = false
}

/// The header row.
struct CSVHeader {
    var names: [String]
    /// Where each name is, for messages.
    var places: [(line: Int, column: Int)]
}

/// Which file columns are features, labels and ids.
///
/// The rule, in this order:
/// 1. A column whose header cell is empty (pandas' unnamed index, R's row names) is never a feature.
/// 2. Labels: `--label-column`, else the first present of `label`, `cell_type`, `celltype`,
///    `group`, `class`, `cluster` (compared in any case).
/// 3. Ids: `--id-column`, else the first present of `sample_id`, `id`, `cell_id`, `cell`,
///    `barcode`, `barcodes`, `obs_names`, `index` (compared in any case; not a column the
///    features name, and not a numeric column the features need), else a first column
///    without a name (pandas' index, R's row names), else none: a sample's id is then its
///    row, the 0-based data row — pandas' default index, as in `--rows`.
/// 4. Features:
///    a. with `--features`: exactly the listed columns, in that order;
///    b. else, when the model has feature names: the columns so named, in the model's order;
///    c. else: the numeric columns — every cell a number or missing — other than the label,
///       id and unnamed columns, in file order. When the model expects d features and there
///       are more than d, a first column counting the rows 0…n−1 or 1…n (a written index) is
///       left out.
///    In a and b, a feature cell that is neither a number nor missing is an error; in c such a
///    cell makes its column metadata. Other columns are metadata (their text is only checked
///    to be UTF-8).
/// 5. The number of features must equal the model's input width.
struct ColumnLayout {
    enum Mode { case listed, modelNames, numeric }

    var mode: Mode
    var names: [String]
    /// File column of each feature, in feature order.
    var featureColumns: [Int]
    var labelColumn: Int?
    var idColumn: Int?
    /// The first column, left out as a written index (to be confirmed over the whole file).
    var indexColumn: Int?
    var notes: [String] = []

    static let labelCandidates = ["label", "cell_type", "celltype", "group", "class", "cluster"]
    static let idCandidates = ["sample_id", "sample", "sample_name", "id", "cell_id", "cell", "barcode", "barcodes", "obs_names", "index"]

    var featureCount: Int { featureColumns.count }

    /// Per file column: a feature slot for plain numeric columns, -1 for columns only skipped,
    /// -2 for columns needing the general path (labels, ids, the index check).
    func fastCodes() -> [Int32] {
        var codes = [Int32](repeating: -1, count: names.count)
        for (k, j) in featureColumns.enumerated() { codes[j] = Int32(k) }
        for j in [labelColumn, idColumn, indexColumn].compactMap({ $0 }) { codes[j] = -2 }
        return codes
    }

    /// Per file column: the length of the run of plain numeric columns with consecutive slots
    /// that starts there, the last column excluded (`PieceParser.runs`).
    func fastRuns() -> [Int32] {
        let codes = fastCodes()
        var runs = [Int32](repeating: 0, count: codes.count)
        var j = codes.count - 2
        while j >= 0 {
            if codes[j] >= 0 { runs[j] = codes[j + 1] == codes[j] + 1 ? runs[j + 1] + 1 : 1 }
            j -= 1
        }
        return runs
    }

    func slots() -> [Int32] {
        var s = [Int32](repeating: -1, count: names.count)
        for (k, j) in featureColumns.enumerated() { s[j] = Int32(k) }
        return s
    }

    static func decide(
        header: CSVHeader, knowledge: ColumnKnowledge, options: CSVReadOptions,
        featureList: (names: [String], file: String)?, expectation: FeatureExpectation?,
        file: String
    ) throws -> ColumnLayout {
        let names = header.names
        var index: [String: Int] = [:]
        for (j, name) in names.enumerated() where !name.isEmpty && index[name] == nil { index[name] = j }
        var notes: [String] = []

        func headerError(_ message: String, at column: Int? = nil) -> InputError {
            let place = column.map { header.places[$0] } ?? (line: 1, column: 1)
            return InputError(file: file, line: place.line, column: place.column, message: message)
        }
        func lookup(_ name: String, flag: String) throws -> Int {
            if let j = index[name] { return j }
            var message = "found no column named \(DisplaySafe.quoted(name)) (\(flag)), expected one of the header's columns"
            if let close = names.first(where: { $0.lowercased() == name.lowercased() }) {
                message += "; did you mean '\(close)'?"
            } else {
                message += ": " + quoteList(names.filter { !$0.isEmpty }, limit: 8)
            }
            throw headerError(message)
        }

        var labelColumn: Int?
        if let name = options.labelColumn {
            labelColumn = try lookup(name, flag: "--label-column")
        } else {
            let lowered = names.map { $0.lowercased() }
            for candidate in labelCandidates {
                if let j = lowered.firstIndex(of: candidate) {
                    labelColumn = j
                    notes.append("using column \(DisplaySafe.quoted(names[j])) as group labels (choose another with --label-column)")
                    break
                }
            }
        }
        var idColumn = try options.idColumn.map { try lookup($0, flag: "--id-column") }

        let wanted: [String]?
        let mode: Mode
        if let list = featureList {
            wanted = list.names
            mode = .listed
        } else if let modelNames = expectation?.names {
            wanted = modelNames
            mode = .modelNames
        } else {
            wanted = nil
            mode = .numeric
        }

        if idColumn == nil {
            idColumn = detectIdColumn(
                names: names, knowledge: knowledge, labelColumn: labelColumn, wanted: wanted,
                expectedCount: expectation?.count, notes: &notes)
        } else if let first = names.first, first.isEmpty, idColumn != 0 {
            notes.append("column 1 has no name: taken as the row index, not a feature")
        }

        if let wanted {
            let source = mode == .listed ? "listed in \(featureList!.file)" : "named by the model"
            if let expected = expectation?.count, wanted.count != expected {
                throw InputError(
                    file: featureList?.file ?? file,
                    message: "found \(wanted.count) feature names, expected \(expected) (the model's input width)")
            }
            var columns: [Int] = []
            var missing: [(Int, String)] = []
            for (k, name) in wanted.enumerated() {
                if let j = index[name] { columns.append(j) } else { missing.append((k, name)) }
            }
            if !missing.isEmpty {
                var message =
                    "found \(wanted.count - missing.count) of the \(wanted.count) feature columns \(source), expected all of them; missing: "
                message += missing.prefix(5).map { "\(DisplaySafe.quoted($0.1)) (feature \($0.0 + 1))" }.joined(separator: ", ")
                if missing.count > 5 { message += " and \(missing.count - 5) more" }
                if missing.count == wanted.count {
                    message += "; the header has " + quoteList(names.filter { !$0.isEmpty }, limit: 4)
                    if mode == .modelNames { message += " (name the columns with --features FILE)" }
                }
                throw headerError(message)
            }
            let used = Set(columns)
            let unused = names.indices.filter {
                !used.contains($0) && knowledge.text[$0] == nil && !names[$0].isEmpty && $0 != labelColumn && $0 != idColumn
            }
            if !unused.isEmpty {
                notes.append(
                    "ignoring \(unused.count) numeric column\(unused.count == 1 ? "" : "s") the features do not name: "
                        + quoteList(unused.map { names[$0] }, limit: 5))
            }
            return ColumnLayout(
                mode: mode, names: names, featureColumns: columns, labelColumn: labelColumn,
                idColumn: idColumn, indexColumn: nil, notes: notes)
        }

        // Numeric columns, in file order.
        var columns = names.indices.filter {
            knowledge.text[$0] == nil && !names[$0].isEmpty && $0 != labelColumn && $0 != idColumn
        }
        var indexColumn: Int?
        if let d = expectation?.count, columns.count > d, columns.first == 0, knowledge.firstColumnCountsRows {
            indexColumn = 0
            columns.removeFirst()
            notes.append("column \(DisplaySafe.quoted(names[0])) counts the rows: taken as the row index, not a feature")
        }
        let metadata = names.indices.filter { knowledge.text[$0] != nil && $0 != labelColumn && $0 != idColumn }
        if let d = expectation?.count, columns.count != d {
            var message =
                "found \(columns.count) numeric column\(columns.count == 1 ? "" : "s") to use as features, expected \(d) (the model's input width)"
            if !columns.isEmpty { message += "; took " + describeColumns(columns, names: names) }
            var at: Int?
            if columns.count > d {
                let surplus = columns[d]
                message += "; the first surplus column is \(DisplaySafe.quoted(names[surplus])) (column \(surplus + 1))"
                message += "; name the features with --features FILE"
                at = surplus
                throw headerError(message, at: at)
            }
            if !metadata.isEmpty {
                message +=
                    "; not numeric, so metadata: "
                    + metadata.prefix(4).map { j in
                        let cell = knowledge.text[j]!
                        return "\(DisplaySafe.quoted(names[j])) (line \(cell.line): '\(cell.text)')"
                    }.joined(separator: ", ")
                if metadata.count > 4 { message += " and \(metadata.count - 4) more" }
                let cell = knowledge.text[metadata[0]]!
                throw InputError(file: file, line: cell.line, column: cell.column, message: message)
            }
            throw headerError(message)
        }
        if columns.isEmpty {
            throw headerError("found no numeric columns, expected at least one feature column of numbers")
        }
        return ColumnLayout(
            mode: mode, names: names, featureColumns: columns, labelColumn: labelColumn,
            idColumn: idColumn, indexColumn: indexColumn, notes: notes)
    }
}

extension ColumnLayout {
    /// The id column when `--id-column` isn't given (rule 3), with a note saying which.
    static func detectIdColumn(
        names: [String], knowledge: ColumnKnowledge, labelColumn: Int?, wanted: [String]?,
        expectedCount: Int?, notes: inout [String]
    ) -> Int? {
        let lowered = names.map { $0.lowercased() }
        let named = Set(wanted ?? [])
        // Without named features, every numeric column but the ids and labels is one.
        let numeric = names.indices.filter { knowledge.text[$0] == nil && !names[$0].isEmpty && $0 != labelColumn }
        for candidate in idCandidates {
            guard let j = lowered.firstIndex(of: candidate), j != labelColumn, !named.contains(names[j]) else { continue }
            if wanted == nil, knowledge.text[j] == nil, let d = expectedCount, numeric.count == d { continue }
            notes.append("using column '\(names[j])' as sample ids (choose another with --id-column)")
            return j
        }
        if let first = names.first, first.isEmpty {
            notes.append("column 1 has no name: taking it as the sample ids (pandas' index, R's row names), not a feature")
            return 0
        }
        return nil
    }
}

/// `'a', 'b', 'c', … (12 columns)`.
func quoteList(_ items: [String], limit: Int) -> String {
    var s = items.prefix(limit).map { DisplaySafe.quoted($0) }.joined(separator: ", ")
    if items.count > limit { s += ", … (\(items.count) in all)" }
    return s
}

/// `'g0', 'g1', 'g2', …, 'g1999' (columns 3–2002)`, or a short list.
func describeColumns(_ columns: [Int], names: [String]) -> String {
    let contiguous = zip(columns, columns.dropFirst()).allSatisfy { $1 == $0 + 1 }
    var s: String
    if columns.count <= 5 {
        s = columns.map { "\(DisplaySafe.quoted(names[$0]))" }.joined(separator: ", ")
    } else {
        s =
            columns.prefix(3).map { "\(DisplaySafe.quoted(names[$0]))" }.joined(separator: ", ")
            + ", …, \(DisplaySafe.quoted(names[columns.last!]))"
    }
    if contiguous && columns.count > 1 {
        s += " (columns \(columns.first! + 1)–\(columns.last! + 1))"
    } else if columns.count == 1 {
        s += " (column \(columns[0] + 1))"
    } else {
        s += " (\(columns.count) columns)"
    }
    return s
}
