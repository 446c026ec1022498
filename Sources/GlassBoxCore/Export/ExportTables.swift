/// The CSV files of an export, as text per chunk: headers, and the lines for a run of samples.
/// Ids, labels and feature names are quoted once up front (they repeat on many lines).
struct ExportTables {
    let ids: [String]
    let codes: [Int32]?
    /// Quoted label per group code.
    let labels: [[UInt8]]?
    /// Quoted feature names, and `z1`…`zm`, and `PC1`…`PCk`.
    let features: [[UInt8]]
    let components: [String]
    let pcs: [[UInt8]]

    init(dataset: Dataset, outputCount m: Int, pcaCount: Int?) {
        ids = dataset.ids
        codes = dataset.labels?.codes
        labels = dataset.labels?.categories.map(CSVText.quoted)
        features = dataset.featureNames.map(CSVText.quoted)
        components = (1...max(m, 1)).map { "z\($0)" }
        pcs = (0..<(pcaCount ?? 0)).map { Array("PC\($0 + 1)".utf8) }
    }

    private func sampleFields(_ text: inout CSVText, row: Int) {
        text.field(ids[row])
        if let labels, let codes { text.raw(labels[Int(codes[row])]) }
    }

    private var sampleHeader: [String] { labels == nil ? ["id"] : ["id", "label"] }

    // MARK: embedding.csv — id, label, z1…zm

    var embeddingHeader: [UInt8] {
        var t = CSVText()
        t.row(sampleHeader + components)
        return t.bytes
    }

    func embeddingLines<T: BLASScalar>(_ chunk: ContributionChunk<T>) -> [UInt8] {
        let m = chunk.outputCount
        var t = CSVText(reservingCapacity: chunk.count * (24 + 14 * m))
        for i in 0..<chunk.count {
            sampleFields(&t, row: chunk.rows.lowerBound + i)
            for j in 0..<m { t.number(chunk.embedding[i * m + j]) }
            t.endLine()
        }
        return t.bytes
    }

    // MARK: top_features.csv — id, label, rank, feature, l2, contribution_z1…

    var topFeaturesHeader: [UInt8] {
        var t = CSVText()
        t.row(sampleHeader + ["rank", "feature", "l2"] + components.map { "contribution_\($0)" })
        return t.bytes
    }

    func topFeatureLines<T: BLASScalar>(_ a: ChunkAnalysis<T>, outputCount m: Int) -> [UInt8] {
        var t = CSVText(reservingCapacity: a.rows.count * a.keep * (40 + 14 * m))
        for i in 0..<a.rows.count {
            for r in 0..<a.keep {
                let slot = i * a.keep + r
                sampleFields(&t, row: a.rows.lowerBound + i)
                t.integer(r + 1)
                t.raw(features[Int(a.topFeatures[slot])])
                t.number(a.topL2[slot])
                for j in 0..<m { t.number(a.topSigned[slot * m + j]) }
                t.endLine()
            }
        }
        return t.bytes
    }

    // MARK: contributions.csv / pca_contributions.csv — id, component, feature (or pc), value

    func longHeader(column: String) -> [UInt8] {
        var t = CSVText()
        t.row(["id", "component", column, "value"])
        return t.bytes
    }

    /// `values` is (b, m, width) for the samples `rows`; `names` the quoted names of the last axis.
    func longLines<T: BLASScalar>(_ values: [T], rows: Range<Int>, outputCount m: Int, names: [[UInt8]]) -> [UInt8] {
        let width = names.count
        var t = CSVText(reservingCapacity: values.count * 32)
        for i in 0..<rows.count {
            let id = CSVText.quoted(ids[rows.lowerBound + i])
            for j in 0..<m {
                let component = Array(components[j].utf8)
                for f in 0..<width {
                    t.raw(id)
                    t.raw(component)
                    t.raw(names[f])
                    t.number(values[(i * m + j) * width + f])
                    t.endLine()
                }
            }
        }
        return t.bytes
    }
}
