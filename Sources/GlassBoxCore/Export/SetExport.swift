/// The per-sample feature-set files of an export (`--feature-sets`), made by the exporter's own
/// machinery with the sets in the place of the features, and the sums per group they leave
/// for the summary (`SetSummary`: sets.csv, groups_sets.csv):
///
/// - `set_contributions.npy` (n, m, S + 1), in the export's precision, in sets.csv's order —
///   the file's sets, then the remainder `(not in any set)` (or, with `--format csv`,
///   `set_contributions.csv`: id, component, set, value);
/// - `top_sets.csv`: each sample's top sets by L2 over the components, as top_features.csv.
///
/// The remainder is ranked like any set: a large one says the sets leave much unexplained.
final class SetExport<T: BLASScalar>: @unchecked Sendable {
    let sets: FeatureSets
    let outputCount: Int
    let keep: Int
    /// The quoted set names.
    let names: FlatFields
    let quotedNames: [[UInt8]]
    private var array: NPYStreamWriter?
    private var longFile: PartialFile?
    private let topFile: PartialFile
    /// Sums per group, merged in row order (by the exporter's in-order stage).
    private(set) var groups: [Int: FeatureSums] = [:]

    /// What one chunk leaves for the in-order stage.
    struct Part {
        var top: [UInt8]
        var long: [UInt8]?
        var groups: [Int: FeatureSums]
    }

    /// Opens the per-sample files; `tables` gives the headers' sample columns.
    init(sets: FeatureSets, files: ExportFiles, tables: ExportTables, format: ContributionFormat, outputCount m: Int, keep: Int) throws {
        self.sets = sets
        outputCount = m
        self.keep = keep
        quotedNames = sets.names.map(CSVText.quoted)
        names = FlatFields(quotedNames)
        switch format {
        case .npy:
            let dtype = T.npyType
            array = try NPYStreamWriter(file: files.create(.setContributions), dtype: dtype, rowShape: [m, sets.count])
        case .csv:
            let long = try files.create(.setContributionsCSV)
            try long.append(tables.longHeader(column: "set"))
            longFile = long
        }
        topFile = try files.create(.topSets)
        try topFile.append(tables.topHeader(column: "set"))
    }

    /// Makes room in the array for `rows` samples in all.
    func reserve(rows: Int) throws {
        try array?.reserve(rows: rows)
    }

    /// Writes the chunk's set contributions at export sample `firstRow` and makes its lines;
    /// runs on several threads at once.
    func process(_ chunk: ContributionChunk<T>, firstRow: Int, tables: ExportTables, codes: [Int32]?) throws -> Part {
        let values = chunk.setContributions!
        try array?.write(values, firstRow: firstRow)
        let analysis = ChunkAnalysis(
            rows: chunk.rows, contributions: values, outputCount: outputCount,
            featureCount: sets.count, keep: keep, codes: codes)
        let long = longFile == nil ? nil : tables.longLines(values, rows: chunk.rows, outputCount: outputCount, names: quotedNames)
        return Part(top: tables.topFeatureLines(analysis, outputCount: outputCount, names: names), long: long, groups: analysis.groups)
    }

    /// A chunk's part, in row order.
    func merge(_ part: Part) throws {
        for (g, s) in part.groups { groups[g, default: FeatureSums(outputCount: outputCount, featureCount: sets.count)].merge(s) }
        try topFile.append(part.top)
        if let long = part.long { try longFile?.append(long) }
    }

    /// Writes the array's header once all `rows` samples are in.
    func finish(rows: Int) throws {
        try array?.finish(rows: rows)
    }
}
