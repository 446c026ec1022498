import Foundation

/// A data file opened for reading: its header or metadata read and its columns matched to the
/// model, its rows read on demand, in windows — so `export` holds one window at a time
/// whatever the file's size, and `--rows A:B` reads only those rows.
public protocol DatasetSource: AnyObject {
    /// The file, for messages and reports.
    var file: String { get }
    /// Feature names in the model's input order.
    var featureNames: [String] { get }
    /// The column the group labels come from, if any.
    var labelColumn: String? { get }
    /// Data rows in the file, when known without reading them (AnnData: from the shape; CSV:
    /// once read to the end).
    var rowCount: Int? { get }
    /// About how many data rows the file has (for a progress bar), when `rowCount` is unknown.
    var estimatedRowCount: Int? { get }
    /// Reads data rows `start ..< start + maxRows` (fewer at the end of the file, none past
    /// it). Calls with increasing `start` cost the rows read, in total (a CSV keeps its place).
    /// Label categories are shared and only grow from one window to the next, so the codes of
    /// earlier windows stay valid.
    func read(from start: Int, maxRows: Int) throws -> DatasetWindow
    /// Notes gathered so far (the label column chosen, rows dropped…), for the command line.
    var notes: [String] { get }
    /// The data rows in the file: `rowCount`, or found by reading to the end.
    func countRows() throws -> Int
}

/// Rows read from a `DatasetSource`.
public struct DatasetWindow: Sendable {
    /// The samples read; `dataset.firstRow` is the first data row covered.
    public var dataset: Dataset
    /// The file's data rows covered: `dataset` holds them all, unless rows with missing values
    /// were left out (`--missing drop`).
    public var rows: Range<Int>
    /// Whether the file ends with these rows.
    public var isLast: Bool

    public init(dataset: Dataset, rows: Range<Int>, isLast: Bool) {
        self.dataset = dataset
        self.rows = rows
        self.isLast = isLast
    }
}

extension DatasetSource {
    public var estimatedRowCount: Int? { rowCount }

    /// Reads through the file for its length (a source that can count faster does).
    public func countRows() throws -> Int {
        if let n = rowCount { return n }
        var at = 0
        while true {
            let w = try read(from: at, maxRows: 1 << 16)
            at = w.rows.upperBound
            if w.isLast || w.rows.isEmpty { return rowCount ?? at }
        }
    }

    /// Every row from `start` on (to `end`, when given), as one dataset.
    public func readAll(from start: Int = 0, to end: Int? = nil) throws -> Dataset {
        var windows: [Dataset] = []
        var at = start
        while end.map({ at < $0 }) ?? true {
            let w = try read(from: at, maxRows: (end ?? Int.max) - at)
            windows.append(w.dataset)
            at = w.rows.upperBound
            if w.isLast || w.rows.isEmpty { break }
        }
        if let end, at < end {
            throw InputError(file: file, message: "rows \(start):\(end): the file has only \(at) data rows")
        }
        return windows.count == 1 ? windows[0] : try Dataset.concatenating(windows)
    }
}

/// A dataset already in memory, read as a source (tests, and data handed over whole).
public final class LoadedDataset: DatasetSource {
    public let dataset: Dataset

    public init(_ dataset: Dataset) {
        self.dataset = dataset
    }

    public var file: String { dataset.file }
    public var featureNames: [String] { dataset.featureNames }
    public var labelColumn: String? { dataset.labels?.column }
    public var rowCount: Int? { dataset.sampleCount }
    public var notes: [String] { [] }

    public func read(from start: Int, maxRows: Int) throws -> DatasetWindow {
        let n = dataset.sampleCount
        let rows = min(start, n)..<min(n, start + min(maxRows, n - min(start, n)))
        return DatasetWindow(dataset: dataset.slice(rows), rows: rows, isLast: rows.upperBound == n)
    }
}

extension Dataset {
    /// Rows `rows` of this dataset, sharing its storage.
    public func slice(_ rows: Range<Int>) -> Dataset {
        if rows == 0..<sampleCount { return self }
        return Dataset(
            file: file, featureNames: featureNames, matrix: RowsOfMatrix(matrix, rows: rows),
            ids: Array(ids[rows]), idColumn: idColumn,
            labels: labels.map { GroupLabels(column: $0.column, categories: $0.categories, codes: Array($0.codes[rows])) },
            firstRow: firstRow + rows.lowerBound, fileRowCount: fileRowCount)
    }

    /// Consecutive windows of one file, as one dataset (their matrices copied into one).
    static func concatenating(_ parts: [Dataset]) throws -> Dataset {
        let first = parts[0]
        let d = first.featureCount, n = parts.reduce(0) { $0 + $1.sampleCount }
        var storage = [Float](repeating: 0, count: n * d)
        var at = 0
        try storage.withUnsafeMutableBufferPointer { out in
            for p in parts where p.sampleCount > 0 {
                try p.matrix.withRows(0..<p.sampleCount) { (out.baseAddress! + at * d).update(from: $0, count: p.sampleCount * d) }
                at += p.sampleCount
            }
        }
        let last = parts.last!
        let labels = last.labels.map { l in
            GroupLabels(column: l.column, categories: l.categories, codes: parts.flatMap { $0.labels!.codes })
        }
        return Dataset(
            file: first.file, featureNames: first.featureNames, values: Matrix(rows: n, cols: d, storage: storage),
            ids: parts.flatMap(\.ids), idColumn: first.idColumn, labels: labels,
            firstRow: first.firstRow, fileRowCount: last.fileRowCount)
    }
}

/// Consecutive rows of another matrix, without a copy.
final class RowsOfMatrix: SampleMatrix {
    let base: any SampleMatrix
    let rows: Range<Int>

    init(_ base: any SampleMatrix, rows: Range<Int>) {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= base.rowCount)
        if let inner = base as? RowsOfMatrix {
            self.base = inner.base
            self.rows = (inner.rows.lowerBound + rows.lowerBound)..<(inner.rows.lowerBound + rows.upperBound)
        } else {
            self.base = base
            self.rows = rows
        }
    }

    var rowCount: Int { rows.count }
    var columnCount: Int { base.columnCount }

    func withRows<R>(_ r: Range<Int>, _ body: (UnsafePointer<Float>) throws -> R) throws -> R {
        precondition(r.lowerBound >= 0 && r.upperBound <= rows.count, "rows \(r) of \(rows.count)")
        return try base.withRows((rows.lowerBound + r.lowerBound)..<(rows.lowerBound + r.upperBound), body)
    }

    func column(_ c: Int) throws -> [Float] {
        try Array(base.column(c)[rows])
    }
}
