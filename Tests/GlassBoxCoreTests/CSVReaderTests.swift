import Foundation
import XCTest
@testable import GlassBoxCore
import GlassBoxTestSupport

/// Shapes and dialects the CSV reader accepts.
final class CSVReaderTests: XCTestCase {
    typealias F = CSVFixture

    func testHeaderAndRowsWithAutomaticLabelColumn() throws {
        let r = try F.read("x,y,Cell_Type\n1,2,T\n3,4,B\n5,6,T\n")
        XCTAssertEqual(r.dataset.featureNames, ["x", "y"])
        XCTAssertEqual(r.dataset.values, Matrix(rows: 3, cols: 2, storage: [1, 2, 3, 4, 5, 6]))
        // Without an id column a sample's id is its 0-based data row (pandas' default index).
        XCTAssertEqual(r.dataset.ids, ["0", "1", "2"])
        XCTAssertNil(r.dataset.idColumn)
        XCTAssertEqual(r.dataset.labels, GroupLabels(column: "Cell_Type", categories: ["T", "B"], codes: [0, 1, 0]))
        XCTAssertTrue(r.notes.contains { $0.contains("'Cell_Type'") }, "\(r.notes)")
    }

    func testLabelCandidatesInPriorityOrder() throws {
        let r = try F.read("cluster,a,label\n1,2,x\n")
        XCTAssertEqual(r.dataset.labels?.column, "label")
        XCTAssertEqual(r.dataset.featureNames, ["cluster", "a"], "a numeric cluster column that is not the label is a feature")
    }

    func testLabelAndIdColumnsFromOptions() throws {
        let options = CSVReadOptions(labelColumn: "bulk_labels", idColumn: "barcode")
        let r = try F.read("barcode,f1,bulk_labels,f2,group\nAAC,1,CD4,2,g\nAAG,3,CD8,4,h\n", options: options)
        XCTAssertEqual(r.dataset.ids, ["AAC", "AAG"])
        XCTAssertEqual(r.dataset.idColumn, "barcode")
        XCTAssertEqual(r.dataset.labels?.categories, ["CD4", "CD8"])
        XCTAssertEqual(r.dataset.featureNames, ["f1", "f2"])
        XCTAssertFalse(r.notes.contains { $0.contains("as group labels") })
    }

    func testIdColumnDetection() throws {
        // Named candidates, in any case, the first present in the list's order.
        let named = try F.read("x,Cell,barcode,y\n1,AAC,b1,2\n3,AAG,b2,4\n")
        XCTAssertEqual(named.dataset.ids, ["AAC", "AAG"])
        XCTAssertEqual(named.dataset.idColumn, "Cell")
        XCTAssertEqual(named.dataset.featureNames, ["x", "y"])
        XCTAssertTrue(named.notes.contains { $0.contains("using column 'Cell' as sample ids") }, "\(named.notes)")
        let sampleID = try F.read("cell,sample_id,x\nc1,s1,1\nc2,s2,2\n")
        XCTAssertEqual(sampleID.dataset.ids, ["s1", "s2"])
        // pandas' written index (an unnamed first column) holds the ids.
        let pandas = try F.read(",x,y\nAAAC-1,1,2\nAAAG-1,3,4\n", expecting: FeatureExpectation(count: 2))
        XCTAssertEqual(pandas.dataset.ids, ["AAAC-1", "AAAG-1"])
        XCTAssertEqual(pandas.dataset.featureNames, ["x", "y"])
        let rangeIndex = try F.read(",x,y\n0,1,2\n1,3,4\n", expecting: FeatureExpectation(count: 2))
        XCTAssertEqual(rangeIndex.dataset.ids, ["0", "1"])
        // --id-column wins; a column the model's features name is never taken as ids.
        XCTAssertEqual(try F.read("id,cell,x\n1,c1,5\n2,c2,6\n", options: CSVReadOptions(idColumn: "cell")).dataset.ids, ["c1", "c2"])
        let featureNamedId = try F.read("id,cell,x\n1,c1,5\n2,c2,6\n", expecting: FeatureExpectation(count: 2, names: ["id", "x"]))
        XCTAssertEqual(featureNamedId.dataset.ids, ["c1", "c2"])
        XCTAssertEqual(featureNamedId.dataset.values.storage, [1, 5, 2, 6])
        // A numeric candidate the model needs as a feature stays one.
        let needed = try F.read("id,x\n1,5\n2,6\n", expecting: FeatureExpectation(count: 2))
        XCTAssertEqual(needed.dataset.featureNames, ["id", "x"])
        XCTAssertEqual(needed.dataset.ids, ["0", "1"])
    }

    func testNumericIdColumnIsNotAFeature() throws {
        let r = try F.read(
            "id,a,b\n10,1,2\n20,3,4\n", options: CSVReadOptions(idColumn: "id"),
            expecting: FeatureExpectation(count: 2))
        XCTAssertEqual(r.dataset.featureNames, ["a", "b"])
        XCTAssertEqual(r.dataset.ids, ["10", "20"])
    }

    func testRFC4180Quoting() throws {
        let text =
            "name,\"a,1\",\"b \"\"q\"\"\",label\n" + "\"Smith, J.\",\"1.5\",2,\"multi\nline \"\"label\"\"\"\n" + "plain,3,\"4\",\"x,y\"\n"
        let r = try F.read(text, options: CSVReadOptions(idColumn: "name"))
        XCTAssertEqual(r.dataset.featureNames, ["a,1", "b \"q\""])
        XCTAssertEqual(r.dataset.values.storage, [1.5, 2, 3, 4])
        XCTAssertEqual(r.dataset.ids, ["Smith, J.", "plain"])
        XCTAssertEqual(r.dataset.labels?.categories, ["multi\nline \"label\"", "x,y"])
    }

    /// An empty label is a group of its own named as AnnData's missing labels are ("NA"),
    /// so a CSV and the .h5ad it came from show the same groups.
    func testEmptyLabelIsTheMissingGroup() throws {
        let r = try F.read("label,a\nT,1\n,2\n\"\",3\nT,4\n")
        XCTAssertEqual(r.dataset.labels?.categories, ["T", GroupLabels.missing])
        XCTAssertEqual(r.dataset.labels?.codes, [0, 1, 1, 0])
    }

    func testQuoteInsideUnquotedFieldIsLiteral() throws {
        let r = try F.read("note,a\nsays 5\",1\n6\"x,2\n")
        XCTAssertEqual(r.dataset.values.storage, [1, 2])
    }

    func testCRLFAndMissingFinalNewlineAndBOM() throws {
        let text = "\u{FEFF}a,b,label\r\n1,2,x\r\n3,4,y"
        let r = try F.read(text)
        XCTAssertEqual(r.dataset.featureNames, ["a", "b"])
        XCTAssertEqual(r.dataset.values.storage, [1, 2, 3, 4])
        XCTAssertEqual(r.dataset.labels?.categories, ["x", "y"])
        let noNewline = try F.read("a,b\n1,2\n3,4")
        XCTAssertEqual(noNewline.dataset.values.storage, [1, 2, 3, 4])
        let crlfQuoted = try F.read("a,\"b\"\r\n\"1\",\"2\"\r\n")
        XCTAssertEqual(crlfQuoted.dataset.values.storage, [1, 2])
    }

    func testTabSeparatedByExtensionAndDetected() throws {
        let tsv = try F.read("a\tb,c\n1\t2\n", name: "x.tsv")
        XCTAssertEqual(tsv.dataset.featureNames, ["a", "b,c"])
        XCTAssertEqual(tsv.dataset.values.storage, [1, 2])
        let detected = try F.read("a\tb\tc\n1\t2\t3\n", name: "x.csv")
        XCTAssertEqual(detected.dataset.values.storage, [1, 2, 3])
        XCTAssertTrue(detected.notes.contains { $0.contains("tab") })
    }

    func testSemicolonDetectedAndDelimiterOverride() throws {
        let r = try F.read("a;b;c\n1;2;3\n")
        XCTAssertEqual(r.dataset.featureNames, ["a", "b", "c"])
        XCTAssertTrue(r.notes.contains { $0.contains("';'") })
        var options = CSVReadOptions()
        options.delimiter = CSVReadOptions.delimiter(from: "|")
        let piped = try F.read("a|b;c\n1|2\n", options: options)
        XCTAssertEqual(piped.dataset.featureNames, ["a", "b;c"])
        XCTAssertEqual(CSVReadOptions.delimiter(from: "tab"), 9)
        XCTAssertNil(CSVReadOptions.delimiter(from: "ab"))
    }

    func testScientificNotationAndSpellings() throws {
        let r = try F.read("a,b,c,d,e,f,g,h\n1e-5,1E+05,-2.5e3,.5,5.,+7,-0,  3.25 \n")
        XCTAssertEqual(r.dataset.values.storage, [1e-5, 1e5, -2500, 0.5, 5, 7, 0, 3.25])
        XCTAssertEqual(r.dataset.values.storage[6].sign, .minus)
    }

    func testGzipFileReadTransparently() throws {
        let dir = try F.directory(for: self)
        var text = "id,label,a,b\n"
        for i in 0..<500 { text += "s\(i),\(i % 3 == 0 ? "\"x,\(i % 2)\"" : "y"),\(i),\(Double(i) / 8)\n" }
        let url = dir.appendingPathComponent("data.csv.gz")
        try Data(gzipCompress(Array(text.utf8))).write(to: url)
        let plain = dir.appendingPathComponent("data.csv")
        try Data(text.utf8).write(to: plain)
        let expected = try CSVDatasetReader.read(plain, options: CSVReadOptions(idColumn: "id"))
        let gz = try CSVDatasetReader.read(url, options: CSVReadOptions(idColumn: "id"))
        XCTAssertEqual(gz.values, expected.values)
        XCTAssertEqual(gz.ids, expected.ids)
        XCTAssertEqual(gz.labels, expected.labels)
        XCTAssertEqual(gz.values.rows, 500)
        // Streamed in blocks smaller than a row, cut into pieces of a few bytes.
        let small = try CSVDatasetReader.read(url, options: F.tiny(CSVReadOptions(idColumn: "id"), piece: 5, block: 16))
        XCTAssertEqual(small.values, expected.values)
        XCTAssertEqual(small.ids, expected.ids)
        XCTAssertEqual(small.labels, expected.labels)
        // Concatenated members, and gzip detected without the .gz name.
        let half = text.utf8.count / 2
        let bytes = Array(text.utf8)
        let twoMembers = gzipCompress(Array(bytes[..<half])) + gzipCompress(Array(bytes[half...]))
        let joined = try F.read(bytes: twoMembers, name: "data.csv", options: F.tiny(CSVReadOptions(idColumn: "id"), piece: 50, block: 100))
        XCTAssertEqual(joined.dataset.values, expected.values)
    }

    func testGzipTsvAndTruncatedGzip() throws {
        let gz = gzipCompress(Array("a\tb\n1\t2\n".utf8))
        XCTAssertEqual(try F.read(bytes: gz, name: "x.tsv.gz").dataset.values.storage, [1, 2])
        let e = F.error(bytes: Array(gz.prefix(gz.count - 12)), name: "x.tsv.gz")
        XCTAssertTrue(e?.message.contains("truncated") ?? false, "\(String(describing: e))")
    }

    /// Bytes after the last gzip member are refused (as Python's gzip and pandas do), except NUL padding.
    func testGzipWithTrailingGarbageIsRefused() throws {
        let gz = gzipCompress(Array("a,b\n1,2\n".utf8))
        XCTAssertEqual(try F.read(bytes: gz + [0, 0, 0, 0], name: "x.csv.gz").dataset.values.storage, [1, 2])
        XCTAssertEqual(
            F.error(bytes: gz + Array("garbage".utf8), name: "x.csv.gz")?.message,
            "found 7 bytes that are not gzip data after the compressed stream (from compressed byte \(gz.count)), expected the end of the file or another gzip member"
        )
        XCTAssertEqual(
            F.error(bytes: gz + [0, 0, 0x78], name: "x.csv.gz")?.message,
            "found 1 byte that is not gzip data after the compressed stream (from compressed byte \(gz.count + 2)), expected the end of the file or another gzip member"
        )
    }

    func testMappedFileAndRelativePathInMessages() throws {
        let dir = try F.directory(for: self)
        let url = dir.appendingPathComponent("m.csv")
        try Data("a,b\n1,2\n3,x\n".utf8).write(to: url)
        XCTAssertThrowsError(try CSVDatasetReader.read(url, expecting: FeatureExpectation(count: 2, names: ["a", "b"]))) { error in
            XCTAssertEqual(
                "\(error)", "\(url.path):3:3: found 'x' in feature column 'b', expected a number (or a missing value: empty, NA, NaN)")
        }
        let missing = URL(fileURLWithPath: dir.appendingPathComponent("nope.csv").path)
        XCTAssertThrowsError(try CSVDatasetReader.read(missing)) { error in
            XCTAssertTrue(error is InputError)
        }
    }

    func testNamedPipeIsReadWhole() throws {
        let dir = try F.directory(for: self)
        let fifo = dir.appendingPathComponent("pipe.csv")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: fifo.path)!
            handle.write(Data(gzipCompress(Array("a,b\n1,2\n3,4\n".utf8))))
            handle.closeFile()
        }
        writer.start()
        let d = try CSVDatasetReader.read(fifo)
        XCTAssertEqual(d.values.storage, [1, 2, 3, 4])
        XCTAssertThrowsError(try CSVDatasetReader.read(dir)) { error in
            XCTAssertEqual((error as? InputError)?.message, "found a directory or device, expected a CSV file")
        }
    }

    func testMissingValuesPolicies() throws {
        let text = "a,b,label\n1,NA,x\n2,3,y\n,4,z\nNaN,5,w\n6,7,v\n"
        let e = F.error(text)
        XCTAssertEqual(e?.line, 2)
        XCTAssertEqual(e?.column, 3)
        XCTAssertEqual(
            e?.message.hasPrefix("found 3 missing values in feature columns (the first, 'NA' in column 'b')"), true, e?.message ?? "")
        let zero = try F.read(text, options: CSVReadOptions(missing: .zero))
        XCTAssertEqual(zero.dataset.values.storage, [1, 0, 2, 3, 0, 4, 0, 5, 6, 7])
        let drop = try F.read(text, options: CSVReadOptions(missing: .drop))
        XCTAssertEqual(drop.dataset.values.storage, [2, 3, 6, 7])
        XCTAssertEqual(drop.dataset.ids, ["1", "4"])
        XCTAssertEqual(drop.dataset.labels?.label(of: 1), "v")
        XCTAssertTrue(drop.notes.contains { $0.contains("left out 3 rows") }, "\(drop.notes)")
        // Missing in a metadata column is fine.
        XCTAssertEqual(try F.read("a,note\n1,NA\n2,\n3,text\n").dataset.values.storage, [1, 2, 3])
        // Every row dropped.
        let none = F.error("a,b\n1,\n,2\n", options: CSVReadOptions(missing: .drop))
        XCTAssertEqual(none?.message.hasPrefix("found missing values in every one of the 2 rows"), true)
    }

    func testPandasMissingSpellings() throws {
        let r = try F.read("a,b,c,d,e,f\nnan,NULL,n/a,<NA>,#N/A,None\n", options: CSVReadOptions(missing: .zero))
        XCTAssertEqual(r.dataset.values.storage, [0, 0, 0, 0, 0, 0])
    }

    func testFeaturesMatchedByModelNamesInAnyOrder() throws {
        let text = "c,extra,a,label,b\n3,9,1,x,2\n6,9,4,y,5\n"
        let r = try F.read(text, expecting: FeatureExpectation(count: 3, names: ["a", "b", "c"]))
        XCTAssertEqual(r.dataset.featureNames, ["a", "b", "c"])
        XCTAssertEqual(r.dataset.values.storage, [1, 2, 3, 4, 5, 6])
        XCTAssertTrue(r.notes.contains { $0.contains("'extra'") }, "\(r.notes)")
    }

    func testFeatureListSelectsAndOrders() throws {
        let dir = try F.directory(for: self)
        let list = dir.appendingPathComponent("features.txt")
        try Data("b\r\n\n  a \n".utf8).write(to: list)
        let options = CSVReadOptions(featuresFile: list)
        let r = try F.read("a,b,c\n1,2,3\n", options: options, expecting: FeatureExpectation(count: 2, names: ["x", "y"]))
        XCTAssertEqual(r.dataset.featureNames, ["b", "a"])
        XCTAssertEqual(r.dataset.values.storage, [2, 1])
        let short = F.error("a,b,c\n1,2,3\n", options: options, expecting: FeatureExpectation(count: 3))
        XCTAssertEqual(short?.file, list.relativePath)
        XCTAssertEqual(short?.message, "found 2 feature names, expected 3 (the model's input width)")
        try Data("a\nb\na\n".utf8).write(to: list)
        let twice = F.error("a,b,c\n1,2,3\n", options: options)
        XCTAssertEqual(twice?.line, 3)
        let listed = F.error("a,b,c\n1,2,3\n", options: CSVReadOptions(featureList: ["a", "q"]))
        XCTAssertEqual(
            listed?.message.hasPrefix(
                "found 1 of the 2 feature columns listed in the feature list, expected all of them; missing: 'q' (feature 2)"), true,
            listed?.message ?? "")
    }

    func testFeatureCountMismatchNamesColumns() throws {
        let surplus = F.error("a,b,c,label\n5,2,3,x\n", expecting: FeatureExpectation(count: 2))
        XCTAssertEqual(surplus?.line, 1)
        XCTAssertEqual(surplus?.column, 5)
        XCTAssertEqual(
            surplus?.message,
            "found 3 numeric columns to use as features, expected 2 (the model's input width); took 'a', 'b', 'c' (columns 1–3); the first surplus column is 'c' (column 3); name the features with --features FILE"
        )
        let short = F.error("a,b,note\n1,2,x\n", expecting: FeatureExpectation(count: 3))
        XCTAssertEqual(short?.line, 2)
        XCTAssertEqual(short?.column, 5)
        XCTAssertEqual(
            short?.message,
            "found 2 numeric columns to use as features, expected 3 (the model's input width); took 'a', 'b' (columns 1–2); not numeric, so metadata: 'note' (line 2: 'x')"
        )
        let named = F.error("a,b\n1,2\n", expecting: FeatureExpectation(count: 3, names: ["a", "q", "r"]))
        XCTAssertEqual(
            named?.message,
            "found 1 of the 3 feature columns named by the model, expected all of them; missing: 'q' (feature 2), 'r' (feature 3)")
    }

    func testColumnNumericOnlyInTheSampleBecomesMetadata() throws {
        // 300 numeric rows (past the sample), then text: column b is metadata, so 2 features are short of 3.
        var text = "a,b,c\n"
        for i in 0..<300 { text += "\(i),\(i),\(i)\n" }
        text += "1,oops,2\n"
        let e = F.error(text, options: F.tiny(piece: 64), expecting: FeatureExpectation(count: 3))
        XCTAssertEqual(e?.line, 302)
        XCTAssertEqual(e?.column, 3)
        XCTAssertTrue(e?.message.contains("'b' (line 302: 'oops')") ?? false, e?.message ?? "")
        // Without a model: b is left out, with a note.
        let r = try F.read(text, options: F.tiny(piece: 64))
        XCTAssertEqual(r.dataset.featureNames, ["a", "c"])
        XCTAssertTrue(r.notes.contains { $0.contains("'b' is not all numbers") }, "\(r.notes)")
    }

    func testPandasIndexColumns() throws {
        // Unnamed first column (pandas to_csv with index, R write.csv): never a feature.
        let unnamed = try F.read(",a,b\n0,1,2\n1,3,4\n", expecting: FeatureExpectation(count: 2))
        XCTAssertEqual(unnamed.dataset.featureNames, ["a", "b"])
        // A named index counting 0…n−1 is left out when there is one column too many.
        var text = "idx,a,b\n"
        for i in 0..<250 { text += "\(i),\(i * 2),\(i * 3)\n" }
        let named = try F.read(text, options: F.tiny(piece: 100), expecting: FeatureExpectation(count: 2))
        XCTAssertEqual(named.dataset.featureNames, ["a", "b"])
        XCTAssertEqual(named.dataset.values.rows, 250)
        // …but not when it stops counting after the sample: then it is a feature and there is one too many.
        text += "7,1,1\n"
        let broken = F.error(text, options: F.tiny(piece: 100), expecting: FeatureExpectation(count: 2))
        XCTAssertEqual(broken?.message.contains("the first surplus column is 'b'"), true, broken?.message ?? "")
        // …and when it turns out to hold text, it is metadata.
        let textual = text.replacingOccurrences(of: "\n7,1,1\n", with: "\nseven,1,1\n")
        XCTAssertEqual(
            try F.read(textual, options: F.tiny(piece: 100), expecting: FeatureExpectation(count: 2)).dataset.featureNames, ["a", "b"])
        // Without a model it is an ordinary feature.
        XCTAssertEqual(try F.read("idx,a\n0,1\n1,2\n").dataset.featureNames, ["idx", "a"])
    }

    func testRWriteCsvAndWriteTable() throws {
        let csv = "\"\",\"x\",\"y\",\"cell_type\"\n\"1\",0.5,1.5,\"B cell\"\n\"2\",2,3,\"T cell\"\n"
        let r = try F.read(csv, expecting: FeatureExpectation(count: 2, names: ["x", "y"]))
        XCTAssertEqual(r.dataset.values.storage, [0.5, 1.5, 2, 3])
        XCTAssertEqual(r.dataset.labels?.categories, ["B cell", "T cell"])
        // write.table: the header leaves out the row-names column.
        let table = "x\ty\nAAAC-1\t1\t2\nAAAG-1\t3\t4\n"
        let t = try F.read(table, name: "expr.tsv")
        XCTAssertEqual(t.dataset.featureNames, ["x", "y"])
        XCTAssertEqual(t.dataset.values.storage, [1, 2, 3, 4])
        XCTAssertTrue(t.notes.contains { $0.contains("row names") })
    }

    func testBlankLinesSkippedAndRowNumbersKept() throws {
        let r = try F.read("\na,b\n1,2\n\n3,4\n\r\n5,6\n\n\n")
        XCTAssertEqual(r.dataset.values.storage, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(r.dataset.ids, ["0", "1", "2"])
    }

    func testParallelPiecesAgreeWithOneSequentialPass() throws {
        var rng = SplitMix64(seed: 11)
        var text = "id,note,v1,v2,label\n"
        for i in 0..<400 {
            // Quoted notes with newlines make the parallel first pass guess wrong and redo.
            let note = rng.below(5) == 0 ? "\"line\n\"\"\(i)\"\"\nend\"" : "n\(i)"
            text += "r\(i),\(note),\(rng.below(1000)),\(Double(rng.below(1000)) / 7),\(rng.below(3) == 0 ? "\"a,b\"" : "c")\n"
        }
        let options = CSVReadOptions(idColumn: "id")
        let whole = try F.read(text, options: options).dataset
        for piece in [1, 3, 17, 64, 1000] {
            let cut = try F.read(text, options: F.tiny(options, piece: piece)).dataset
            XCTAssertEqual(cut.values, whole.values, "piece \(piece)")
            XCTAssertEqual(cut.ids, whole.ids)
            XCTAssertEqual(cut.labels, whole.labels)
        }
        let gz = try F.read(bytes: gzipCompress(Array(text.utf8)), options: F.tiny(options, piece: 13, block: 200)).dataset
        XCTAssertEqual(gz.values, whole.values)
        XCTAssertEqual(gz.ids, whole.ids)
        XCTAssertEqual(whole.values.rows, 400)
    }

    /// Wide rows of mixed cells (the parser's fast run over plain numbers, and every way off it)
    /// read as strtof reads each cell, with any delimiter and line ending, whole or in pieces.
    func testWideRowsReadAsStrtofReadsEachCell() throws {
        var rng = SplitMix64(seed: 23)
        let columns = 40
        func cell() -> (text: String, value: Float) {
            switch rng.below(12) {
            case 0, 1, 2: return ("0", 0)
            case 3: return ("-0", -0.0)
            case 4: let v = Float(rng.below(100_000)) - 50_000; return (String(Int(v)), v)
            case 5:
                let t = ["1.", ".5", "-.25", "+3", "007", "0.000", "12345678901234.5", "-1234567890123456789.5"][rng.below(8)]
                return (t, Float(t)!)
            case 6: let t = ["1e-05", "2.5E+10", "-3e2"][rng.below(3)]; return (t, Float(t)!)
            case 7: let t = ["\"1.5\"", " 2.5", "7 "][rng.below(3)]; return (t, Float(t.filter { $0 != "\"" && $0 != " " })!)
            case 8: return ("", 0)  // missing, read as 0
            default:
                let f = Float(bitPattern: UInt32(rng.below(0x7F00_0000)) + 0x0080_0000) * (rng.below(2) == 0 ? 1 : -1)
                let t = String(format: "%.9g", f)
                return (t, Float(t)!)
            }
        }
        var rows: [[(text: String, value: Float)]] = []
        for _ in 0..<60 { rows.append((0..<columns).map { _ in cell() }) }
        let expected = rows.flatMap { $0.map(\.value) }
        for (delimiter, name) in [(",", "t.csv"), ("\t", "t.tsv"), (";", "t.csv")] {
            for newline in ["\n", "\r\n"] {
                var text = (0..<columns).map { "f\($0)" }.joined(separator: delimiter) + newline
                for (i, row) in rows.enumerated() {
                    text += row.map(\.text).joined(separator: delimiter) + (i == rows.count - 1 ? "" : newline)
                }
                for options in [CSVReadOptions(missing: .zero), F.tiny(CSVReadOptions(missing: .zero), piece: 300)] {
                    let d = try F.read(text, name: name, options: options).dataset
                    XCTAssertEqual(d.values.cols, columns)
                    XCTAssertEqual(d.values.storage.map(\.bitPattern), expected.map(\.bitPattern), "\(name) \(newline.count)")
                }
                // Features in another order than the file's (no two consecutive in both).
                let names = (0..<columns).map { "f\($0)" }.reversed()
                let reordered = try F.read(
                    text, name: name, options: CSVReadOptions(missing: .zero),
                    expecting: FeatureExpectation(count: columns, names: Array(names))
                ).dataset
                XCTAssertEqual(
                    reordered.values.storage.map(\.bitPattern),
                    rows.flatMap { $0.reversed().map(\.value.bitPattern) }, "\(name) \(newline.count), reordered")
            }
        }
    }

    /// The parallel first pass (guessed piece starts, checked, else redone) finds the same records
    /// as a sequential pass, with and without quoted newlines.
    func testRecordBoundariesInParallelMatchSequential() {
        var rng = SplitMix64(seed: 3)
        for quoted in [false, true] {
            var text = ""
            for i in 0..<3000 {
                let note = quoted && rng.below(7) == 0 ? "\"a\nb,\"\"\n\"" : "n\(rng.below(100))"
                text += "\(i),\(note),\(rng.below(1 << 20))\n"
            }
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { b in
                let scanner = RecordScanner(base: b.baseAddress!, count: b.count, delimiter: UInt8(ascii: ","), isFinal: true)
                let one = scanner.scan(from: 0, until: b.count, pieceBytes: 1)
                let starts = Set(one.pieces.map(\.start))
                XCTAssertEqual(one.pieces.count, 3000)
                for pieceBytes in [50, 333, 4096] {
                    let r = scanner.scanAll(from: 0, pieceBytes: pieceBytes, release: nil)
                    XCTAssertNil(r.stop)
                    XCTAssertEqual(r.end, b.count)
                    XCTAssertEqual(r.pieces.reduce(0) { $0 + $1.records }, 3000, "quoted \(quoted), piece \(pieceBytes)")
                    XCTAssertGreaterThan(r.pieces.count, 1)
                    for (k, piece) in r.pieces.enumerated() {
                        XCTAssertTrue(starts.contains(piece.start))
                        if k > 0 { XCTAssertEqual(piece.start, r.pieces[k - 1].end) }
                    }
                }
            }
        }
    }

    func testFeatureExpectationFromNames() {
        let e = FeatureExpectation(count: 2, names: ["a", "b"])
        XCTAssertEqual(e.count, 2)
        XCTAssertEqual(MissingPolicy(rawValue: "drop"), .drop)
    }
}
