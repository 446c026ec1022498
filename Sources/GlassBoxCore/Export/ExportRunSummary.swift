import Foundation

/// The finishing part of an export: its totals become an `ExportSummary`, which writes
/// groups.csv, the plots, the statistics and verification.json, and the files are committed.
extension ExportRun {
    /// Adds rows `rows` of the dataset to the export's rows hash (called per chunk, in parallel).
    func hashRows(_ rows: Range<Int>) throws {
        var hash = RowsHash()
        try dataset.matrix.withRows(rows) { hash.add(rows: $0, count: rows.count, width: d, firstRow: dataset.firstRow + rows.lowerBound) }
        rowsHash.add(hash)
    }

    /// Writes the summary files and commits; returns verification.json's provenance fields.
    func finish(_ w: Writers, _ totals: Totals, phase: (String) -> Void) throws -> [(key: String, value: AttributeValue)] {
        let file = URL(fileURLWithPath: dataset.file)
        // The summary counts rows of the file (`--rows` and a merge do); the dataset may be a slice.
        let origin = dataset.firstRow
        // A dataset read from row 0 without a known file row count is the whole file.
        let dataRows = dataset.fileRowCount ?? (origin == 0 ? dataset.sampleCount : nil)
        var summary = ExportSummary(
            rows: (origin + rows.lowerBound)..<(origin + rows.upperBound), dataRows: dataRows,
            settings: ExportSettings(precision: options.precision, tolerance: options.tolerance, topK: options.topK,
                                     format: options.format, plots: options.plots, worstCount: options.worstCount),
            identity: InputIdentity(dataFile: dataset.file, dataColumnsSHA256: DataDigest.columns(
                featureNames: dataset.featureNames, idColumn: dataset.idColumn, labelColumn: dataset.labels?.column)),
            rowsHash: rowsHash.value, outputCount: m, pcaCount: pcaCount, featureNames: dataset.featureNames,
            idColumn: dataset.idColumn, labelColumn: dataset.labels?.column, categories: dataset.labels?.categories,
            groups: totals.groups, verification: totals.verification,
            worst: totals.worst.entries.map { ExportSummary.WorstSample(row: origin + $0.row, id: dataset.ids[$0.row], error: $0.error) },
            dataFiles: try w.files.sizes(),
            dataTitle: file.deletingLastPathComponent().lastPathComponent + "/" + file.lastPathComponent)
        try summary.writeTables(to: w.files, scatter: options.plots ? (totals.points, dataset.labels.map { Array($0.codes[rows]) }) : nil)
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

/// A `RowsHash` that chunks add to from several threads.
final class RowsHashTotal: @unchecked Sendable {
    private let lock = NSLock()
    private var hash = RowsHash()

    func add(_ other: RowsHash) {
        lock.lock()
        hash.add(other)
        lock.unlock()
    }

    var value: RowsHash {
        lock.lock(); defer { lock.unlock() }
        return hash
    }
}
