/// Group labels from an `obs` column, read a row range at a time. Categories are numbered in
/// order of first appearance (as the CSV reader numbers them) and only grow from one read to
/// the next, so codes handed out earlier stay valid. A missing value is a group of its own,
/// named `AnnDataColumn.missing`.
final class AnnDataLabels: @unchecked Sendable {
    let column: AnnDataColumn
    private var categories: [String] = []
    private var index: [String: Int32] = [:]
    /// For a categorical: its categories' text, and the code given to each (−1: not seen yet;
    /// the last slot is for missing values).
    private var fileCategories: [String]?
    private var fileCodes: [Int32] = []

    /// The columns tried, in order, when no `--label-column` is given (compared in any case).
    static let candidates = ["label", "cell_type", "celltype", "group", "class", "cluster"]

    init(column: AnnDataColumn) throws {
        self.column = column
        if case .categorical(_, let categories) = column.kind {
            let names = try AnnDataColumn.texts(of: categories, 0..<categories.shape[0])
            fileCategories = names
            fileCodes = [Int32](repeating: -1, count: names.count + 1)
        }
    }

    private func code(_ text: String) -> Int32 {
        if let c = index[text] { return c }
        let c = Int32(categories.count)
        index[text] = c
        categories.append(text)
        return c
    }

    func read(_ rows: Range<Int>) throws -> GroupLabels {
        var codes: [Int32]
        if case .categorical(let stored, _) = column.kind, let names = fileCategories {
            codes = try AnnDataColumn.checkedCodes(stored, rows, categoryCount: names.count)
            let missingSlot = names.count
            for i in codes.indices {
                let f = codes[i] < 0 ? missingSlot : Int(codes[i])
                if fileCodes[f] < 0 { fileCodes[f] = code(f == missingSlot ? AnnDataColumn.missing : names[f]) }
                codes[i] = fileCodes[f]
            }
        } else {
            codes = try column.texts(rows).map(code)
        }
        return GroupLabels(column: column.name, categories: categories, codes: codes)
    }
}
