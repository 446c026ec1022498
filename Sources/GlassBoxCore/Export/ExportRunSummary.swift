import Foundation

/// The finishing part of an export: its totals become an `ExportSummary`, which writes
/// groups.csv, the plots, the statistics and verification.json, and the files are committed.
extension ExportRun {
    /// Adds rows `rows` of a window to the export's samples hash (called per chunk, in parallel).
    func hashRows(_ rows: Range<Int>, of data: Dataset) throws {
        var hash = RowsHash()
        try data.matrix.withRows(rows) { hash.add(rows: $0, ids: data.ids[rows], width: d) }
        rowsRead.add(hash, idColumn: data.idColumn)
    }

    /// Writes the summary files and commits; returns verification.json's provenance fields.
    /// `rows` are the data rows read, `categories` the groups seen, `plotCodes` every sample's.
    func finish(
        _ w: Writers, _ totals: Totals, rows: Range<Int>, categories: [String]?, plotCodes: [Int32],
        nonFinite: NonFiniteDiagnosis?, phase: (String) -> Void
    ) throws -> [(key: String, value: AttributeValue)] {
        let file = URL(fileURLWithPath: source.file)
        let featureNames = source.featureNames, labelColumn = source.labelColumn
        var summary = ExportSummary(
            rows: rows, dataRows: source.rowCount,
            settings: ExportSettings(
                precision: options.precision, tolerance: options.tolerance, topK: options.topK,
                format: options.format, plots: options.plots, worstCount: options.worstCount),
            identity: InputIdentity(
                dataFile: source.file,
                dataColumnsSHA256: DataDigest.columns(
                    featureNames: featureNames, idColumn: rowsRead.idColumn, labelColumn: labelColumn)),
            rowsHash: rowsRead.hash, outputCount: m, pcaCount: pcaCount, featureNames: featureNames,
            idColumn: rowsRead.idColumn, labelColumn: labelColumn, categories: labelColumn == nil ? nil : categories ?? [],
            groups: totals.groups, verification: totals.verification, nonFinite: nonFinite,
            worst: totals.worst.entries.map { ExportSummary.WorstSample(sample: $0.row, id: $0.id, error: $0.error) },
            dataFiles: try w.files.sizes(),
            dataTitle: file.deletingLastPathComponent().lastPathComponent + "/" + file.lastPathComponent,
            sets: w.sets.map { SetSummary(table: SetTable($0.sets), groups: $0.groups, partition: totals.partition) })
        try summary.writeTables(to: w.files, scatter: options.plots ? (totals.points, labelColumn == nil ? nil : plotCodes) : nil)
        phase("groups and plots")
        if let p = options.provenance {
            summary.identity.modelFile = p.model.url.relativePath
            summary.identity.modelSHA256 = try p.model.hex()
            summary.identity.dataFile = p.data.relativePath
            summary.identity.dataStamp = p.dataStamp
            summary.identity.dataSHA256 = try p.dataDigest?.hex()
            summary.identity.version = p.version
        }
        phase("wait for SHA-256")
        let report = try summary.writeRecords(to: w.files)
        try w.files.commit()
        phase("commit")
        return report.provenance
    }
}

/// What the chunks of an export read, added up from several threads: the samples' hash, and
/// the id column (the data's columns are recorded with it).
final class RowsRead: @unchecked Sendable {
    private let lock = NSLock()
    private var sum = RowsHash()
    private var id: String?

    func add(_ other: RowsHash, idColumn: String?) {
        lock.lock()
        sum.add(other)
        id = idColumn ?? id
        lock.unlock()
    }

    var hash: RowsHash {
        lock.lock(); defer { lock.unlock() }
        return sum
    }

    var idColumn: String? {
        lock.lock(); defer { lock.unlock() }
        return id
    }
}
