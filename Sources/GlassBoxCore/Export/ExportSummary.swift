import Foundation

/// How an export was made — what must agree between parts for them to merge.
public struct ExportSettings: Equatable, Sendable {
    public var precision: Precision
    public var tolerance: Double
    public var topK: Int
    public var format: ContributionFormat
    public var plots: Bool
    public var worstCount: Int
}

/// Where an export's inputs came from, as verification.json and statistics.json record it.
public struct InputIdentity: Equatable, Sendable {
    public var modelFile: String?
    public var modelSHA256: String?
    public var dataFile: String
    /// Size and modification time (nil without provenance, as in library use).
    public var dataStamp: FileStamp?
    /// See `DataDigest.columns`.
    public var dataColumnsSHA256: String
    /// The whole data file's SHA-256: only with `--hash-data`.
    public var dataSHA256: String?
    public var version: String?
}

/// The totals over an export's rows that its summary files are made from: groups.csv, the
/// plots, group_sums.npy, statistics.json and verification.json. An export adds them up from
/// its chunks; `glassbox merge` from its parts' statistics (see `PartStatistics`), so both
/// write these files with the same code.
struct ExportSummary {
    struct WorstSample: Equatable {
        /// The sample's index in the export (0-based, in row order).
        var sample: Int
        var id: String
        var error: Double
    }

    /// Data rows of the file, 0-based, as `--rows` selects them (the samples are these rows,
    /// less any left out with `--missing drop`).
    var rows: Range<Int>
    /// Rows in the whole data, when known.
    var dataRows: Int?
    var settings: ExportSettings
    var identity: InputIdentity
    var rowsHash: RowsHash
    var outputCount: Int
    var pcaCount: Int?
    var featureNames: [String]
    var idColumn: String?
    var labelColumn: String?
    /// Group names, code g being `categories[g]`; nil: one group, `all`, code 0.
    var categories: [String]?
    var groups: [Int: FeatureSums]
    var verification: VerificationAccumulator
    /// Why samples came out NaN or infinite, when any did.
    var nonFinite: NonFiniteDiagnosis?
    var worst: [WorstSample]
    /// The per-sample files (name, bytes), in the order written: what a merge concatenates.
    var dataFiles: [(name: String, size: Int)]
    /// The data file as the plots name it, e.g. `pbmc68k/data.csv`.
    var dataTitle: String
    /// More verification.json fields (a merge lists its parts).
    var extraProvenance: [(key: String, value: AttributeValue)] = []
    /// With `--feature-sets`: the sets' table, sums per group and partition check.
    var sets: SetSummary? = nil

    var groupCount: Int { categories?.count ?? 1 }
    var sampleCount: Int { verification.sampleCount }

    /// The plots' title: the data file, and the rows unless they are all of them.
    var plotTitle: String {
        dataTitle + (rows.lowerBound == 0 && rows.upperBound == dataRows ? "" : " rows \(rows.lowerBound):\(rows.upperBound)")
    }

    /// groups.csv, with `scatter` the plots, and group_sums.npy — the files that need no
    /// provenance (so an export writes them while its inputs are still being hashed).
    func writeTables(to files: ExportFiles, scatter: (points: [Float], codes: [Int32]?)?) throws {
        let ranking = GroupRanking.rank(groups, categories: categories, keep: settings.topK, outputCount: outputCount)
        try files.create(.groups).append(GroupRanking.csv(ranking, featureNames: featureNames, outputCount: outputCount))
        if settings.plots, let scatter {
            let svg = SVGPlot.embedding(
                points: scatter.points, dimensions: outputCount, codes: scatter.codes,
                categories: categories, title: plotTitle)
            try files.create(.embeddingPlot).append(Array(svg.utf8))
            let bars = SVGPlot.groups(ranking, featureNames: featureNames, title: "Top features per group — \(plotTitle)")
            try files.create(.groupsPlot).append(Array(bars.utf8))
        }
        try files.create(.groupSums).append(
            PartStatistics.groupSumsNPY(
                groups, groupCount: groupCount, outputCount: outputCount,
                width: featureNames.count))
        try sets?.writeTables(to: files, categories: categories, groupCount: groupCount, keep: settings.topK, outputCount: outputCount)
    }

    /// statistics.json and verification.json (last: it lists every file); returns the report.
    @discardableResult
    func writeRecords(to files: ExportFiles) throws -> VerificationReport {
        try files.create(.statistics).append(Array(PartStatistics.json(self).utf8))
        var report = self.report
        report.provenance = provenance(files: files.names + [ExportFile.verification.name])
        try files.create(.verification).append(Array((report.json + "\n").utf8))
        return report
    }

    /// The verification as `verify` reports it.
    var report: VerificationReport {
        var report = VerificationReport(
            verification: verification.result, worst: worst.map { ($0.sample, $0.id, $0.error) },
            dataFile: identity.dataFile, tolerance: settings.tolerance, precision: settings.precision,
            nonFinite: nonFinite)
        report.featureSets = sets?.report
        return report
    }

    /// verification.json's fields after the verification: inputs, version, rows and files.
    func provenance(files: [String]) -> [(key: String, value: AttributeValue)] {
        var out: [(key: String, value: AttributeValue)] = []
        let i = identity
        if let file = i.modelFile { out.append(("model_file", .string(file))) }
        if let digest = i.modelSHA256 { out.append(("model_sha256", .string(digest))) }
        out.append(("data_file", .string(i.dataFile)))
        if let stamp = i.dataStamp {
            out += [("data_size", .int(stamp.size)), ("data_modified", .string(stamp.modified))]
        }
        out += [("data_columns_sha256", .string(i.dataColumnsSHA256)), ("data_rows_hash", .string(rowsHash.hex))]
        if let digest = i.dataSHA256 { out.append(("data_sha256", .string(digest))) }
        if let version = i.version { out.append(("glassbox_version", .string(version))) }
        out += [
            ("rows", .list([.int(rows.lowerBound), .int(rows.upperBound)])),
            ("top_k", .int(settings.topK)),
            ("format", .string(settings.format.rawValue)),
        ]
        out += extraProvenance
        out.append(("files", .list(files.map { .string($0) })))
        return out
    }
}
