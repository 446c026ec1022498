import Foundation
import XCTest
@testable import GlassBoxCore

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `glassbox export` in the core: its files against upstream's own outputs, `--rows` slices
/// against the whole, failures, and the plots.
final class ExportTests: XCTestCase {
    typealias S = ExportSupport

    func assertClose(_ ours: [Double], _ theirs: NPY.Array, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(ours.count, theirs.values.count, "\(what) size", file: file, line: line)
        let scale = theirs.values.map(abs).max() ?? 1
        let worst = zip(ours, theirs.values).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 1e-5 * scale, "\(what): max |Δ| \(worst) vs max |·| \(scale)", file: file, line: line)
    }

    func testExportsOfBothSamplesEqualUpstreamFixtures() throws {
        for sample in S.samples {
            let (model, dataset) = try S.load(sample)
            let dir = try S.scratch(self)
            let result = try S.export(model, dataset, to: dir) { $0.chunkSize = 128 }
            let n = dataset.sampleCount, m = model.outputCount, d = model.featureCount
            XCTAssertTrue(result.report.passed)

            // contributions.npy: float32, (n, m, d), C order — element by element against upstream.
            let c = try NPY.read(dir.appendingPathComponent("contributions.npy"))
            XCTAssertEqual(c.dtype, .float32)
            XCTAssertEqual(c.shape, [n, m, d])
            assertClose(c.values, try S.fixture(sample, "contributions"), "\(sample.name) contributions.npy")

            // pca_contributions.npy only with PCA: (n, m, n_pca), and J ⊙ u from the fixtures.
            let pcaURL = dir.appendingPathComponent("pca_contributions.npy")
            if let k = model.pcaComponentCount {
                let pc = try NPY.read(pcaURL)
                XCTAssertEqual(pc.shape, [n, m, k])
                let j = try S.fixture(sample, "jacobian"), u = try S.fixture(sample, "encoder_input")
                let expected = (0..<(n * m * k)).map { e in j.values[e] * u.values[(e / (m * k)) * k + e % k] }
                assertClose(
                    pc.values, NPY.Array(shape: [n, m, k], dtype: .float64, values: expected), "\(sample.name) pca_contributions.npy")
            } else {
                XCTAssertFalse(FileManager.default.fileExists(atPath: pcaURL.path))
            }

            // embedding.csv: id, label, z1…zm.
            let embedding = try S.readCSV(dir.appendingPathComponent("embedding.csv"))
            XCTAssertEqual(embedding[0], ["id", "label"] + (1...m).map { "z\($0)" })
            XCTAssertEqual(embedding.count, n + 1)
            XCTAssertEqual(embedding.dropFirst().map { $0[0] }, dataset.ids)
            XCTAssertEqual(embedding.dropFirst().map { $0[1] }, (0..<n).map { dataset.labels!.label(of: $0) })
            assertClose(
                embedding.dropFirst().flatMap { $0[2...].map { Double($0)! } }, try S.fixture(sample, "embedding"),
                "\(sample.name) embedding.csv")

            // top_features.csv: K rows per sample, in rank order, against upstream's L2 (n, d).
            let k = min(20, d)
            let l2 = try S.fixture(sample, "l2")
            let top = try S.readCSV(dir.appendingPathComponent("top_features.csv"))
            XCTAssertEqual(top[0], ["id", "label", "rank", "feature", "l2"] + (1...m).map { "contribution_z\($0)" })
            XCTAssertEqual(top.count, n * k + 1)
            let featureIndex = Dictionary(uniqueKeysWithValues: dataset.featureNames.enumerated().map { ($1, $0) })
            let l2Scale = l2.values.map(abs).max()!
            for i in 0..<n {
                let lines = top[(1 + i * k)...(i * k + k)]
                XCTAssertEqual(lines.map { $0[0] }, Array(repeating: dataset.ids[i], count: k))
                XCTAssertEqual(lines.map { $0[2] }, (1...k).map(String.init))
                let upstream = (0..<d).map { l2.values[i * d + $0] }
                let features = lines.map { featureIndex[$0[3]]! }
                for (line, f) in zip(lines, features) {
                    XCTAssertEqual(Double(line[4])!, upstream[f], accuracy: 1e-5 * l2Scale)
                    for j in 0..<m {
                        XCTAssertEqual(
                            Float(line[5 + j])!, Float(c.values[(i * m + j) * d + f]), "\(sample.name) sample \(i) signed contribution")
                    }
                }
                // Ranked by L2: what upstream ranks K-th is not clearly below what we kept.
                let kth = upstream.sorted(by: >)[k - 1]
                XCTAssertTrue(features.allSatisfy { upstream[$0] >= kth - 1e-5 * l2Scale })
                XCTAssertEqual(lines.map { Double($0[4])! }, lines.map { Double($0[4])! }.sorted(by: >))
            }

            // groups.csv: per label, mean upstream L2 over its samples.
            let groups = try S.readCSV(dir.appendingPathComponent("groups.csv"))
            XCTAssertEqual(Array(groups[0][..<6]), ["label", "n_samples", "rank", "feature", "mean_l2", "share"])
            let labels = dataset.labels!
            XCTAssertEqual(Set(groups.dropFirst().map { $0[0] }), Set(labels.categories))
            for row in groups.dropFirst() {
                let g = Int32(labels.categories.firstIndex(of: row[0])!)
                let members = (0..<n).filter { labels.codes[$0] == g }
                let f = featureIndex[row[3]]!
                XCTAssertEqual(Int(row[1]), members.count)
                var sum = 0.0, total = 0.0
                for i in members {
                    sum += l2.values[i * d + f]
                    for e in 0..<d { total += l2.values[i * d + e] }
                }
                let mean = sum / Double(members.count)
                total /= Double(members.count)
                XCTAssertEqual(Double(row[4])!, mean, accuracy: 1e-5 * l2Scale)
                XCTAssertEqual(Double(row[5])!, mean / total, accuracy: 1e-5)
            }

            // verification.json: upstream's fields plus the run's provenance.
            let json = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("verification.json"))) as? [String: Any])
            XCTAssertEqual(json["n_samples"] as? Int, n)
            XCTAssertEqual(json["passed"] as? Bool, true)
            XCTAssertEqual(json["precision"] as? String, "single")
            XCTAssertEqual(json["rows"] as? [Int], [0, n])
            XCTAssertLessThan(try XCTUnwrap(json["relative_error"] as? Double), 1e-5)

            XCTAssertEqual(Set(S.listing(dir)), Set(result.files))
            XCTAssertEqual(result.files.last, "verification.json")
        }
    }

    func testDoublePrecisionWritesFloat64() throws {
        let (model, dataset) = try S.load(S.wine)
        let dir = try S.scratch(self)
        let result = try S.export(model, dataset, to: dir) { $0.precision = .double }
        let c = try NPY.read(dir.appendingPathComponent("contributions.npy"))
        XCTAssertEqual(c.dtype, .float64)
        assertClose(c.values, try S.fixture(S.wine, "contributions"), "wine float64 contributions")
        XCTAssertLessThan(result.verification.relativeError, 1e-12)
    }

    func testProvenanceRecordsFilesDigestsAndVersion() throws {
        let (model, dataset) = try S.load(S.wine)
        let modelURL = S.sampleURL(S.wine, "model.pt"), dataURL = S.sampleURL(S.wine, "data.csv")
        let stamp = try FileStamp(of: dataURL)
        for hashData in [false, true] {
            let dir = try S.scratch(self)
            _ = try S.export(model, dataset, to: dir) {
                $0.rows = 10..<50
                $0.provenance = ExportProvenance(
                    model: FileDigest(modelURL), data: dataURL, dataStamp: stamp,
                    dataDigest: hashData ? FileDigest(dataURL) : nil, version: "9.9.9")
            }
            let json = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("verification.json"))) as? [String: Any])
            if hashData {
                var hasher = SHA256()
                hasher.update(try Data(contentsOf: dataURL))
                XCTAssertEqual(json["data_sha256"] as? String, SHA256.hex(hasher.finalize()))
            } else {
                XCTAssertNil(json["data_sha256"], "the whole-file hash is opt-in")
            }
            XCTAssertEqual((json["model_sha256"] as? String)?.count, 64)
            XCTAssertEqual(json["data_file"] as? String, dataURL.relativePath)
            XCTAssertEqual(json["model_file"] as? String, modelURL.relativePath)
            XCTAssertEqual(json["glassbox_version"] as? String, "9.9.9")
            // The cheap identity: size and time from stat, the columns, and the rows read.
            XCTAssertEqual(json["data_size"] as? Int, try Data(contentsOf: dataURL).count)
            XCTAssertEqual(json["data_modified"] as? String, stamp.modified)
            XCTAssertEqual(
                json["data_columns_sha256"] as? String,
                Self.sha256Hex(Data((["sample", "class"] + dataset.featureNames).map { $0 + "\n" }.joined().utf8)))
            XCTAssertEqual(json["data_rows_hash"] as? String, try Self.rowsHash(dataset, 10..<50))
            for key in [
                "z_range", "reconstruction_range", "max_error", "mean_error", "relative_error", "n_samples", "tolerance", "passed",
                "precision",
            ] {
                XCTAssertNotNil(json[key], key)
            }
        }
    }

    func testFileStampIsSizeAndNanosecondModificationTime() throws {
        let dir = try S.scratch(self)
        let file = dir.appendingPathComponent("f")
        try Data(count: 1234).write(to: file)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000.25)], ofItemAtPath: file.path)
        let stamp = try FileStamp(of: file)
        XCTAssertEqual(stamp.size, 1234)
        XCTAssertEqual(stamp.modified, "2023-11-14T22:13:20.250000000Z")
        XCTAssertThrowsError(try FileStamp(of: dir.appendingPathComponent("missing")))
    }

    static func sha256Hex(_ data: Data) -> String {
        var hasher = SHA256()
        hasher.update(data)
        return SHA256.hex(hasher.finalize())
    }

    /// The README's definition, computed the slow way: Σ SHA-256(id ‖ 0 ‖ values as f32 LE) mod 2²⁵⁶, little-endian hex.
    static func rowsHash(_ dataset: Dataset, _ rows: Range<Int>) throws -> String {
        var sum = [UInt8](repeating: 0, count: 32)
        for i in rows {
            var bytes = Data(dataset.ids[i].utf8) + [0]
            for v in try dataset.matrix.row(i) { bytes += (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt32($0))) } }
            var hasher = SHA256()
            hasher.update(bytes)
            var carry = 0
            for (k, b) in hasher.finalize().enumerated() {
                let t = Int(sum[k]) + Int(b) + carry
                sum[k] = UInt8(t & 0xff)
                carry = t >> 8
            }
        }
        return SHA256.hex(sum)
    }

    /// `--rows` slices, each run on its own (as separate jobs would), concatenate to the full
    /// export bit for bit, whatever the chunk sizes.
    func testRowSlicesConcatenateToTheFullExportBitForBit() throws {
        for sample in S.samples {
            let (model, dataset) = try S.load(sample)
            let n = dataset.sampleCount
            let full = try S.scratch(self)
            _ = try S.export(model, dataset, to: full) { $0.chunkSize = 192 }
            let cuts = [0, 37, n / 2, n / 2 + min(101, n / 4), n]
            var parts: [URL] = []
            for (p, (a, b)) in zip(cuts, cuts.dropFirst()).enumerated() {
                let dir = try S.scratch(self)
                _ = try S.export(model, dataset, to: dir) {
                    $0.rows = a..<b; $0.chunkSize = [96, 100, 1000, 7][p % 4]
                }
                parts.append(dir)
            }
            for name in ["contributions.npy"] + (model.pcaComponentCount == nil ? [] : ["pca_contributions.npy"]) {
                let whole = try S.npyBody(full.appendingPathComponent(name))
                let joined = try parts.reduce(into: Data()) { $0.append(try S.npyBody($1.appendingPathComponent(name))) }
                XCTAssertEqual(whole, joined, "\(sample.name) \(name)")
                let shape = try NPY.read(parts[1].appendingPathComponent(name)).shape
                XCTAssertEqual(shape[0], cuts[2] - cuts[1])
            }
            for name in ["embedding.csv", "top_features.csv"] {
                let whole = try String(contentsOf: full.appendingPathComponent(name), encoding: .utf8)
                var header = "", body = ""
                for dir in parts {
                    let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
                    let split = text.firstIndex(of: "\n")!
                    header = String(text[...split])
                    body += text[text.index(after: split)...]
                }
                XCTAssertEqual(whole, header + body, "\(sample.name) \(name)")
            }
        }
    }

    func testLongFormCSVHoldsTheSameValuesAsTheNPY() throws {
        let (model, dataset) = try S.load(S.pbmc)
        let rows = 10..<15
        let npyDir = try S.scratch(self), csvDir = try S.scratch(self)
        _ = try S.export(model, dataset, to: npyDir) { $0.rows = rows }
        _ = try S.export(model, dataset, to: csvDir) {
            $0.rows = rows; $0.format = .csv
        }
        XCTAssertFalse(S.listing(csvDir).contains("contributions.npy"))
        let m = model.outputCount, d = model.featureCount, k = model.pcaComponentCount!
        for (name, width, column, names) in [
            ("contributions", d, "feature", dataset.featureNames),
            ("pca_contributions", k, "pc", (1...k).map { "PC\($0)" }),
        ] {
            let npy = try NPY.read(npyDir.appendingPathComponent("\(name).npy"))
            let long = try S.readCSV(csvDir.appendingPathComponent("\(name).csv"))
            XCTAssertEqual(long[0], ["id", "component", column, "value"])
            XCTAssertEqual(long.count, rows.count * m * width + 1)
            for (e, line) in long.dropFirst().enumerated() {
                let i = e / (m * width), j = (e / width) % m, f = e % width
                XCTAssertEqual(line[0], dataset.ids[rows.lowerBound + i])
                XCTAssertEqual(line[1], "z\(j + 1)")
                XCTAssertEqual(line[2], names[f])
                // Shortest round-trip text: the same float32, bit for bit.
                XCTAssertEqual(Float(line[3])!.bitPattern, Float(npy.values[e]).bitPattern, "\(name) element \(e)")
            }
        }
    }

    func testWithoutLabelsThereIsOneGroupAndNoLabelColumn() throws {
        let model = try ModelFile.load(S.sampleURL(S.pbmc, "model.pt"))
        // bulk_labels is not a name glassbox picks by itself.
        let dataset = try CSVDatasetReader.read(
            S.sampleURL(S.pbmc, "data.csv"), options: CSVReadOptions(idColumn: "cell"),
            expecting: FeatureExpectation(model: model), notes: { _ in })
        XCTAssertNil(dataset.labels)
        let dir = try S.scratch(self)
        _ = try S.export(model, dataset, to: dir) {
            $0.plots = true; $0.topK = 5
        }
        XCTAssertEqual(try S.readCSV(dir.appendingPathComponent("embedding.csv"))[0], ["id", "z1", "z2"])
        XCTAssertEqual(
            try S.readCSV(dir.appendingPathComponent("top_features.csv"))[0],
            ["id", "rank", "feature", "l2", "contribution_z1", "contribution_z2"])
        let groups = try S.readCSV(dir.appendingPathComponent("groups.csv"))
        XCTAssertEqual(groups.count, 6)
        XCTAssertEqual(Set(groups.dropFirst().map { $0[0] }), ["all"])
        XCTAssertEqual(groups[1][1], "700")
        let scatter = try SVGCounter.parse(dir.appendingPathComponent("embedding.svg"))
        XCTAssertEqual(scatter.count(element: "circle", class: "sample"), 700)
        XCTAssertEqual(try SVGCounter.parse(dir.appendingPathComponent("groups.svg")).count(element: "rect", class: "bar"), 5)
    }

    // MARK: Failures leave no complete-looking file

    func testAFailureMidwayLeavesNoFiles() throws {
        let (model, loaded) = try S.load(S.pbmc)
        let dir = try S.scratch(self)
        /// The data read until row 300, then unreadable (a corrupt chunk of a file read as it goes).
        final class FailsAt300: SampleMatrix {
            let base: DenseMatrix
            init(_ base: DenseMatrix) { self.base = base }
            var rowCount: Int { base.rowCount }
            var columnCount: Int { base.columnCount }
            func withRows<R>(_ rows: Range<Int>, _ body: (UnsafePointer<Float>) throws -> R) throws -> R {
                if rows.contains(300) { throw InputError(file: "data", message: "row 300 is unreadable") }
                return try base.withRows(rows, body)
            }
            func column(_ c: Int) throws -> [Float] { try base.column(c) }
        }
        var dataset = loaded
        dataset.matrix = FailsAt300(DenseMatrix(loaded.values))
        XCTAssertThrowsError(
            try S.export(model, dataset, to: dir) {
                $0.chunkSize = 96; $0.threads = 1
            }
        ) {
            XCTAssertTrue("\($0)".contains("row 300 is unreadable"), "\($0)")
        }
        XCTAssertEqual(S.listing(dir), [], "a failed export left files behind")
    }

    func testCancellationLeavesTheEarlierExportAsItWas() throws {
        let (model, dataset) = try S.load(S.pbmc)
        let dir = try S.scratch(self)
        _ = try S.export(model, dataset, to: dir) {
            $0.rows = 0..<10; $0.plots = true
        }
        let before = try S.snapshot(dir)
        let token = CancellationToken()
        var options = ExportOptions(directory: dir)
        options.chunkSize = 96
        options.threads = 1
        // Cancelled once the first chunk is in (as Ctrl-C would be).
        XCTAssertThrowsError(
            try Exporter.run(
                model: model, dataset: dataset, options: options, token: token,
                progress: { _, _ in token.cancel() })
        ) {
            XCTAssertTrue($0 is EngineCancelled, "\($0)")
        }
        XCTAssertEqual(try S.snapshot(dir), before, "nothing is replaced until everything is complete")
        XCTAssertEqual(
            S.listing(dir.deletingLastPathComponent()).filter { $0.hasPrefix(".\(dir.lastPathComponent).glassbox-") }, [],
            "the staging directory is gone")

        _ = try S.export(model, dataset, to: dir)
        XCTAssertFalse(S.listing(dir).contains("embedding.svg"), "the new export replaced the old one whole")
        XCTAssertEqual(try S.readCSV(dir.appendingPathComponent("embedding.csv")).count, 701)
    }

    func testDiscardAllRemovesTheStagingDirectory() throws {
        let dir = try S.scratch(self).appendingPathComponent("out")
        let files = try ExportFiles(directory: dir)
        let a = try files.create("a.npy")
        try a.append([1, 2, 3])
        _ = try files.create("b.csv")
        XCTAssertEqual(S.listing(files.staging), ["a.npy", "b.csv"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path), "nothing at --out before the commit")
        ExportFiles.discardAll()
        XCTAssertEqual(S.listing(dir.deletingLastPathComponent()), [])
        XCTAssertThrowsError(try files.commit())
    }

    func testAnOutputPathThatIsAFileIsAnInputError() throws {
        let (model, dataset) = try S.load(S.wine)
        let dir = try S.scratch(self)
        let file = dir.appendingPathComponent("taken")
        try Data().write(to: file)
        XCTAssertThrowsError(try S.export(model, dataset, to: file)) { error in
            XCTAssertTrue((error as? InputError)?.description.contains("taken") == true, "\(error)")
        }
    }

    // MARK: Plots

    func testSVGsAreWellFormedWithOneMarkPerSample() throws {
        for sample in S.samples {
            let (model, dataset) = try S.load(sample)
            let dir = try S.scratch(self)
            let rows = 3..<(dataset.sampleCount - 5)
            _ = try S.export(model, dataset, to: dir) {
                $0.plots = true; $0.rows = rows
            }
            let scatter = try SVGCounter.parse(dir.appendingPathComponent("embedding.svg"))
            XCTAssertEqual(scatter.count(element: "circle", class: "sample"), rows.count, sample.name)
            XCTAssertEqual(scatter.count(element: "circle"), rows.count, "\(sample.name): only samples are circles")
            // The legend names every group.
            for label in dataset.labels!.categories { XCTAssertTrue(scatter.texts.contains(label), "\(sample.name) legend lacks \(label)") }
            XCTAssertEqual(scatter.root, "svg")

            let bars = try SVGCounter.parse(dir.appendingPathComponent("groups.svg"))
            let groupsPresent = Set(rows.map { dataset.labels!.codes[$0] }).count
            XCTAssertEqual(bars.count(element: "g", class: "group"), groupsPresent)
            XCTAssertEqual(bars.count(element: "rect", class: "bar"), groupsPresent * min(10, model.featureCount))
        }
    }

    func testThreeComponentEmbeddingsAreDrawnAsPairs() throws {
        // Three samples, z = (i, 2i, 3i): panels z1×z2, z1×z3 and z2×z3, one circle per sample in each.
        let points: [Float] = [0, 0, 0, 1, 2, 3, 2, 4, 6]
        let svg = SVGPlot.embedding(points: points, dimensions: 3, codes: nil, categories: nil, title: "3-D")
        let parsed = try SVGCounter.parse(Data(svg.utf8))
        XCTAssertEqual(parsed.count(element: "circle", class: "sample"), 9)
        XCTAssertEqual(parsed.count(element: "g", class: "axes"), 3)
        for name in ["z1", "z2", "z3"] { XCTAssertTrue(parsed.texts.contains(name), "no axis named \(name)") }
        XCTAssertEqual(SVGPlot.pairs(dimensions: 3).map { "\($0.x)\($0.y!)" }, ["01", "02", "12"])
        // Past four coordinates the title says which are left out.
        let five = SVGPlot.embedding(points: [Float](repeating: 1, count: 10), dimensions: 5, codes: nil, categories: nil, title: "5-D")
        XCTAssertTrue(five.contains("z5–z5 not drawn"))
    }

    func testGroupPanelsShareOneScale() throws {
        func ranking(_ label: String, _ code: Int, _ values: [Double]) -> GroupRanking {
            GroupRanking(
                label: label, code: code, sampleCount: 10,
                top: values.enumerated().map {
                    GroupRanking.Entry(feature: $0.offset, meanL2: $0.element, share: 0.25, meanSigned: [0, 0])
                })
        }
        let svg = SVGPlot.groups([ranking("big", 0, [2, 1]), ranking("small", 1, [1, 0.5])], featureNames: ["a", "b"], title: "t")
        let widths = svg.components(separatedBy: "class=\"bar\"").dropFirst().map { part -> Double in
            let w = part.components(separatedBy: "width=\"")[1]
            return Double(w.prefix { $0 != "\"" })!
        }
        XCTAssertEqual(widths.count, 4)
        // The same value draws the same length in both panels, half the largest.
        XCTAssertEqual(widths[1], widths[2])
        XCTAssertEqual(widths[0], 2 * widths[1], accuracy: 0.1)
        let parsed = try SVGCounter.parse(Data(svg.utf8))
        XCTAssertEqual(parsed.count(element: "g", class: "scale"), 2, "an axis under each panel")
        XCTAssertTrue(parsed.texts.contains("1.5"), "tick labels trimmed")
        XCTAssertTrue(svg.contains(">2.00 (25.0%)<"), "values in the shared significant-digit format")
    }

    func testSVGEscapesLabelsAndSurvivesDegenerateData() throws {
        let labels = GroupLabels(column: "g", values: ["a<b", "c&d", "\"q\"", "a<b"])
        let svg = SVGPlot.embedding(
            points: [0, 0, 0, 0, .nan, 1, 0, 0], dimensions: 2, codes: labels.codes,
            categories: labels.categories, title: "t <&>")
        let parsed = try SVGCounter.parse(Data(svg.utf8))
        XCTAssertEqual(parsed.count(element: "circle", class: "sample"), 4)
        XCTAssertTrue(parsed.texts.contains("c&d"))
        let oneD = SVGPlot.embedding(points: [1, 2, 3], dimensions: 1, codes: nil, categories: nil, title: "1-D")
        XCTAssertEqual(try SVGCounter.parse(Data(oneD.utf8)).count(element: "circle", class: "sample"), 3)
    }
}

/// Parses an SVG as XML (so it must be well-formed) and counts its elements.
final class SVGCounter: NSObject, XMLParserDelegate {
    private(set) var elements: [(name: String, cls: String?)] = []
    private(set) var texts: Set<String> = []
    private var text = ""
    var root: String? { elements.first?.name }

    static func parse(_ url: URL) throws -> SVGCounter { try parse(Data(contentsOf: url)) }

    static func parse(_ data: Data) throws -> SVGCounter {
        let counter = SVGCounter()
        let parser = XMLParser(data: data)
        parser.delegate = counter
        guard parser.parse() else {
            throw NSError(
                domain: "SVG", code: 1,
                userInfo: [NSLocalizedDescriptionKey: "not well-formed XML: \(String(describing: parser.parserError))"])
        }
        return counter
    }

    func count(element: String, class cls: String? = nil) -> Int {
        elements.filter { $0.name == element && (cls == nil || $0.cls == cls) }.count
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        elements.append((name, attributes["class"]))
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.insert(text) }
        text = ""
    }
}
