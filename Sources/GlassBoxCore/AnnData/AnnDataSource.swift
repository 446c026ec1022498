import Foundation

/// An AnnData `.h5ad` file opened as a data source: `obs`, `var` and the matrix located and
/// checked, the features matched to the model, rows read on demand — a row range reads only
/// its own part of the file.
///
/// The matrix is read as it is stored: dense, uncompressed and contiguous data is mapped (the
/// page cache holds it; float32 in the model's column order is never copied); chunked or
/// gzip-compressed data is read through libhdf5, a block of chunks at a time; CSR stays sparse;
/// CSC is turned into rows a span at a time.
public final class AnnDataSource: DatasetSource, @unchecked Sendable {
    public let file: String
    public let featureNames: [String]
    public private(set) var notes: [String] = []
    /// Samples in the file (the rows of `obs` and of the matrix).
    public let sampleCount: Int
    public var rowCount: Int? { sampleCount }

    let anndata: AnnDataFile
    let matrix: AnnDataMatrix
    let obs: AnnDataFrame
    let features: AnnDataFeatures
    let check: AnnDataValueCheck
    let memory: MemoryBudget
    private var rows: Rows
    private let idColumn: AnnDataColumn?
    public let idColumnName: String
    private let labels: AnnDataLabels?
    /// CSC: the span of rows last turned into rows, kept for the reads that follow.
    private var convertedSpan: (rows: Range<Int>, matrix: SparseRowMatrix)?
    /// Entries of CSC data converted at once (about 0.5 GB as rows).
    var columnSpanEntries = 64 << 20
    /// Sparse entries read from the file at a time (small values exercise the block edges in tests).
    var blockEntries = 1 << 20 {
        didSet {
            switch rows {
            case .byRow(var reader):
                reader.blockEntries = blockEntries
                rows = .byRow(reader)
            case .byColumn(let converter): converter.blockEntries = blockEntries
            default: break
            }
        }
    }

    private enum Rows {
        case mapped(MappedDenseMatrix)
        case dense(HDF5Dataset)
        case byRow(SparseRowReader)
        case byColumn(SparseColumnConverter)
    }

    /// Whether the file at `url` is HDF5 (by its signature, whatever its name): an AnnData file to us.
    public static func recognizes(_ url: URL) -> Bool { HDF5File.hasSignature(path: url.path) }

    public convenience init(
        url: URL, options: AnnDataReadOptions = AnnDataReadOptions(),
        expecting expectation: FeatureExpectation? = nil
    ) throws {
        try self.init(path: url.path, file: url.relativePath, options: options, expecting: expectation)
    }

    init(path: String, file: String, options: AnnDataReadOptions, expecting expectation: FeatureExpectation?) throws {
        self.file = file
        anndata = try AnnDataFile(path: path, name: file)
        let h5 = anndata.hdf5
        matrix = try anndata.matrix(layer: options.layer)
        let obs = try anndata.frame("obs")
        self.obs = obs
        let variables = try anndata.frame("var")
        guard obs.rowCount == matrix.rows else {
            throw h5.error(obs.path, "found \(obs.rowCount) rows (one per sample), expected \(matrix.rows), as \(matrix.path) has rows")
        }
        sampleCount = matrix.rows

        var choice: AnnDataFeatures.Choice?
        if let value = options.features {
            choice = try AnnDataFeatures.choice(value, in: variables)
        } else if let list = options.featureList {
            choice = .list(names: list, file: nil)
        }
        features = try AnnDataFeatures.decide(frame: variables, matrix: matrix, choice: choice, expectation: expectation, file: h5)
        featureNames = features.names
        notes += features.notes
        check = AnnDataValueCheck(file: file, path: matrix.path, missing: options.missing, featureNames: features.names)
        memory = options.memory ?? .standard

        switch matrix.storage {
        case .dense(let dataset):
            if let element = MappedElement(dataset.element), dataset.isLittleEndian,
                let offset = dataset.contiguousOffset, matrix.rows > 0, matrix.columns > 0
            {
                let region = try MappedRegion(
                    path: path, offset: offset, byteCount: matrix.rows * matrix.columns * element.size,
                    file: h5, object: matrix.path)
                rows = .mapped(
                    MappedDenseMatrix(
                        region: region, element: element, fileColumnCount: matrix.columns,
                        fileColumns: features.isIdentity ? nil : features.fileColumns.map(Int32.init),
                        firstRow: 0, rowCount: matrix.rows, check: check))
            } else {
                rows = .dense(dataset)
            }
        case .sparse(let arrays, let byColumn):
            if byColumn {
                rows = .byColumn(try SparseColumnConverter(arrays: arrays, rowCount: matrix.rows, features: features, check: check))
            } else {
                rows = .byRow(SparseRowReader(arrays: arrays, fileColumnCount: matrix.columns, features: features, check: check))
            }
        }

        if let name = options.idColumn, name != obs.indexName {
            guard let column = try obs.column(name) else { throw Self.missingColumn(name, flag: "--id-column", in: obs) }
            idColumn = column
            idColumnName = name
        } else {
            idColumn = nil
            idColumnName = obs.indexName
        }
        if let name = options.labelColumn {
            guard let column = try obs.column(name) else { throw Self.missingColumn(name, flag: "--label-column", in: obs) }
            labels = try AnnDataLabels(column: column)
        } else if let name = AnnDataLabels.candidates.lazy.compactMap({ c in obs.columnNames.first { $0.lowercased() == c } }).first,
            let column = try obs.column(name)
        {
            labels = try AnnDataLabels(column: column)
            notes.append("using \(obs.path) column '\(name)' as group labels (choose another with --label-column)")
        } else {
            labels = nil
        }
    }

    private static func missingColumn(_ name: String, flag: String, in obs: AnnDataFrame) -> InputError {
        var message = "found no column '\(name)' (\(flag)), expected one of \(obs.path)'s columns"
        if let close = obs.allNames.first(where: { $0.lowercased() == name.lowercased() }) {
            message += "; did you mean '\(close)'?"
        } else {
            message += ": " + (obs.allNames.isEmpty ? "it has none" : quoteList(obs.allNames, limit: 8))
        }
        return obs.group.file.error(obs.path, message)
    }

    public var labelColumn: String? { labels?.column.name }

    func note(_ text: String) { notes.append(text) }

    /// Data rows `start ..< start + maxRows` (fewer at the end, none past it): only their part
    /// of the file is read (a dense mapped matrix is not read at all until the engine asks).
    public func read(from start: Int, maxRows: Int) throws -> DatasetWindow {
        let lower = min(max(start, 0), sampleCount)
        let upper = lower + min(max(maxRows, 0), sampleCount - lower)
        return DatasetWindow(dataset: try read(lower..<upper), rows: lower..<upper, isLast: upper == sampleCount)
    }

    func read(_ range: Range<Int>) throws -> Dataset {
        let values: any SampleMatrix
        switch rows {
        case .mapped(let m): values = m.window(range)
        case .dense(let d):
            try memory.check(rows: range.count, features: features.count, file: file)
            values = DenseMatrix(try HDF5DenseRows.read(d, rows: range, features: features, check: check))
        case .byRow(let reader):
            // Only the model's columns are kept: about their share of the stored values.
            let stored = try reader.entryCount(rows: range)
            try checkMemory(entries: features.isIdentity ? stored : stored / max(matrix.columns, 1) * features.count, rows: range)
            values = try reader.read(rows: range)
        case .byColumn(let converter): values = try convertColumns(converter, range)
        }
        let ids = try idColumn?.texts(range) ?? obs.indexTexts(range)
        return Dataset(
            file: file, featureNames: featureNames, matrix: values, ids: ids, idColumn: idColumnName,
            labels: try labels?.read(range), firstRow: range.lowerBound, fileRowCount: sampleCount)
    }

    /// CSC rows: from the span converted last when it covers them; else a new span from
    /// `range`'s start, as long as `columnSpanEntries` allows (at least `range`).
    private func convertColumns(_ converter: SparseColumnConverter, _ range: Range<Int>) throws -> SparseRowMatrix {
        if convertedSpan == nil
            || !(convertedSpan!.rows.lowerBound <= range.lowerBound && range.upperBound <= convertedSpan!.rows.upperBound)
        {
            var end = range.upperBound
            var step = max(range.count, 1024)
            while end < sampleCount {
                let next = min(end + step, sampleCount)
                if try converter.entryCount(rows: range.lowerBound..<next) > columnSpanEntries { break }
                end = next
                step *= 2
            }
            try checkMemory(entries: try converter.entryCount(rows: range.lowerBound..<end), rows: range.lowerBound..<end)
            convertedSpan = (range.lowerBound..<end, try converter.read(rows: range.lowerBound..<end))
        }
        let (span, m) = convertedSpan!
        if span == range { return m }
        return m.slice((range.lowerBound - span.lowerBound)..<(range.upperBound - span.lowerBound))
    }
}

extension AnnDataSource {
    /// Refuses to hold `entries` sparse values (a column index and a value each) at once past
    /// the memory budget.
    func checkMemory(entries: Int, rows: Range<Int>) throws {
        let needed = entries.multipliedReportingOverflow(by: MemoryLayout<Int32>.size + MemoryLayout<Float>.size)
        guard needed.overflow || needed.partialValue > memory.bytes else { return }
        throw InputError(
            file: file, field: matrix.path,
            message:
                "rows \(rows.lowerBound):\(rows.upperBound) hold \(entries) stored values, which need \(MemoryBudget.describe(needed.partialValue)) in memory, more than the \(MemoryBudget.describe(memory.bytes)) allowed (four fifths of the memory available); export them instead (glassbox export reads a window at a time), or raise the limit with --max-memory"
        )
    }
}

extension SparseRowMatrix {
    /// Rows `rows`, copied.
    func slice(_ rows: Range<Int>) -> SparseRowMatrix {
        let lo = rowStarts[rows.lowerBound], hi = rowStarts[rows.upperBound]
        return SparseRowMatrix(
            rowCount: rows.count, columnCount: columnCount,
            rowStarts: rowStarts[rows.lowerBound...rows.upperBound].map { $0 - lo },
            columns: Array(columns[lo..<hi]), values: Array(values[lo..<hi]))
    }
}
