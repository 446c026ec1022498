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
    /// `labels` and `features` in one buffer each, for the per-chunk lines.
    let flatLabels: FlatFields?
    let flatFeatures: FlatFields

    init(dataset: Dataset, outputCount m: Int, pcaCount: Int?) {
        self.init(
            ids: dataset.ids, codes: dataset.labels?.codes, labels: dataset.labels?.categories,
            featureNames: dataset.featureNames, outputCount: m, pcaCount: pcaCount)
    }

    init(ids: [String], codes: [Int32]?, labels: [String]?, featureNames: [String], outputCount m: Int, pcaCount: Int?) {
        self.ids = ids
        self.codes = codes
        self.labels = labels?.map(CSVText.quoted)
        features = featureNames.map(CSVText.quoted)
        components = (1...max(m, 1)).map { "z\($0)" }
        pcs = (0..<(pcaCount ?? 0)).map { Array("PC\($0 + 1)".utf8) }
        flatLabels = self.labels.map(FlatFields.init)
        flatFeatures = FlatFields(features)
    }

    /// Writes `id[,label],` — the start of a sample's lines; returns where it began.
    private func samplePrefix(_ t: inout TextCursor, row: Int) -> UnsafeMutablePointer<UInt8> {
        let start = t.p
        t.field(ids[row])
        t.byte(UInt8(ascii: ","))
        if let flatLabels, let codes {
            flatLabels.write(Int(codes[row]), to: &t)
            t.byte(UInt8(ascii: ","))
        }
        return start
    }

    /// Most bytes `samplePrefix` writes for `row`.
    private func prefixBound(row: Int) -> Int {
        TextCursor.fieldBound(ids[row]) + 1 + (flatLabels.map { $0.longest + 1 } ?? 0)
    }

    private var sampleHeader: [String] { labels == nil ? ["id"] : ["id", "label"] }

    // MARK: embedding.csv — id, label, z1…zm

    var embeddingHeader: [UInt8] {
        var t = CSVText()
        t.row(sampleHeader + components)
        return t.bytes
    }

    func embeddingLines<T: BLASScalar>(_ chunk: ContributionChunk<T>) -> [UInt8] {
        let m = chunk.outputCount, number = 1 + ShortestText.maxLength(T.self)
        precondition(m > 0)
        var capacity = 0
        for row in chunk.rows { capacity += prefixBound(row: row) + m * number }
        return chunk.embedding.withUnsafeBufferPointer { z in
            TextCursor.lines(capacity: capacity) { t in
                for i in 0..<chunk.count {
                    _ = samplePrefix(&t, row: chunk.rows.lowerBound + i)
                    // The prefix ends in a separator; the numbers are separated from each other.
                    for j in 0..<m {
                        if j > 0 { t.byte(UInt8(ascii: ",")) }
                        t.number(z[i * m + j])
                    }
                    t.byte(10)
                }
            }
        }
    }

    // MARK: top_features.csv — id, label, rank, feature, l2, contribution_z1…

    var topFeaturesHeader: [UInt8] { topHeader(column: "feature") }

    /// top_features.csv's header, or top_sets.csv's with `column` "set".
    func topHeader(column: String) -> [UInt8] {
        var t = CSVText()
        t.row(sampleHeader + ["rank", column, "l2"] + components.map { "contribution_\($0)" })
        return t.bytes
    }

    /// Each sample's `keep` lines share their id and label: those are quoted once and copied.
    /// `names` (default: the features) name what `a` ranked.
    func topFeatureLines<T: BLASScalar>(_ a: ChunkAnalysis<T>, outputCount m: Int, names: FlatFields? = nil) -> [UInt8] {
        let keep = a.keep, number = 1 + ShortestText.maxLength(T.self), names = names ?? flatFeatures
        guard keep > 0 else { return [] }
        // rank (≤ 20 digits), feature, l2 and m contributions (each with its separator), newline.
        let rest = 20 + 1 + names.longest + (1 + m) * number + 1
        var capacity = 0
        for row in a.rows { capacity += keep * (prefixBound(row: row) + rest) }
        return a.topFeatures.withUnsafeBufferPointer { features in
            a.topL2.withUnsafeBufferPointer { l2 in
                a.topSigned.withUnsafeBufferPointer { signed in
                    TextCursor.lines(capacity: capacity) { t in
                        for i in 0..<a.rows.count {
                            let start = samplePrefix(&t, row: a.rows.lowerBound + i)
                            let prefix = t.p - start
                            for r in 0..<keep {
                                let slot = i * keep + r
                                if r > 0 { t.copy(start, count: prefix) }
                                t.integer(r + 1)
                                t.byte(UInt8(ascii: ","))
                                names.write(Int(features[slot]), to: &t)
                                t.byte(UInt8(ascii: ","))
                                t.number(l2[slot])
                                for j in 0..<m {
                                    t.byte(UInt8(ascii: ","))
                                    t.number(signed[slot * m + j])
                                }
                                t.byte(10)
                            }
                        }
                    }
                }
            }
        }
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
        guard m > 0 && width > 0 else { return [] }
        let flatNames = FlatFields(names), flatComponents = FlatFields(components.map { Array($0.utf8) })
        let rest = flatComponents.longest + 1 + flatNames.longest + 1 + 1 + ShortestText.maxLength(T.self) + 1
        var capacity = 0
        for row in rows { capacity += m * width * (TextCursor.fieldBound(ids[row]) + 1 + rest) }
        return values.withUnsafeBufferPointer { v in
            TextCursor.lines(capacity: capacity) { t in
                for i in 0..<rows.count {
                    // The quoted id and its separator, copied to the sample's other lines.
                    let start = t.p
                    t.field(ids[rows.lowerBound + i])
                    t.byte(UInt8(ascii: ","))
                    let prefix = t.p - start
                    for j in 0..<m {
                        for f in 0..<width {
                            if j > 0 || f > 0 { t.copy(start, count: prefix) }
                            flatComponents.write(j, to: &t)
                            t.byte(UInt8(ascii: ","))
                            flatNames.write(f, to: &t)
                            t.byte(UInt8(ascii: ","))
                            t.number(v[(i * m + j) * width + f])
                            t.byte(10)
                        }
                    }
                }
            }
        }
    }
}

/// Pre-quoted fields in one buffer, so writing one is a copy without retaining an inner array.
struct FlatFields {
    let bytes: [UInt8]
    /// Field i is bytes[starts[i]..<starts[i + 1]].
    let starts: [Int]
    let longest: Int

    init(_ fields: [[UInt8]]) {
        bytes = Array(fields.joined())
        var starts = [0]
        starts.reserveCapacity(fields.count + 1)
        for f in fields { starts.append(starts.last! + f.count) }
        self.starts = starts
        longest = fields.map(\.count).max() ?? 0
    }

    @inline(__always)
    func write(_ i: Int, to t: inout TextCursor) {
        let from = starts[i], n = starts[i + 1] - from
        bytes.withUnsafeBufferPointer { t.copy($0.baseAddress! + from, count: n) }
    }
}
