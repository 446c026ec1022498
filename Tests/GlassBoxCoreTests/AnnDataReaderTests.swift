import Foundation
import XCTest
@testable import GlassBoxCore

/// Every storage of X that anndata writes reads as exactly what the same data gives from CSV.
final class AnnDataReaderTests: XCTestCase {
    let withLabels = AnnDataReadOptions(labelColumn: "cell_type")

    func testEveryStorageEqualsTheCSV() throws {
        let csv = try AnnDataFixture.csv(features: AnnDataFixture.genes)
        XCTAssertEqual(csv.sampleCount, 120)
        for name in ["dense.h5ad", "csr.h5ad", "csc.h5ad", "gzip.h5ad", "shuffle.h5ad", "wide64.h5ad"] {
            let (h5ad, _) = try AnnDataFixture.read(name, withLabels)
            XCTAssertEqual(h5ad.idColumn, "cell", name)
            XCTAssertEqual(h5ad.fileRowCount, 120, name)
            try assertSameData(h5ad, csv)
        }
    }

    func testTheMatrixKinds() throws {
        func kind(_ name: String) throws -> String {
            String(describing: type(of: try AnnDataFixture.read(name).dataset.matrix))
        }
        XCTAssertEqual(try kind("dense.h5ad"), "MappedDenseMatrix")
        XCTAssertEqual(try kind("gzip.h5ad"), "DenseMatrix")
        XCTAssertEqual(try kind("csr.h5ad"), "SparseRowMatrix")
        XCTAssertEqual(try kind("csc.h5ad"), "SparseRowMatrix")
    }

    func testRowRangesEqualTheSameRowsOfTheWhole() throws {
        let csv = try AnnDataFixture.csv(features: AnnDataFixture.genes)
        for name in ["dense.h5ad", "csr.h5ad", "csc.h5ad", "gzip.h5ad", "shuffle.h5ad"] {
            let source = try AnnDataFixture.open(name, withLabels)
            for (start, count) in [(0, 1), (37, 50), (95, 25), (119, 5), (3, 1)] {
                let part = try source.read(from: start, maxRows: count).dataset
                let rows = start..<min(start + count, 120)
                XCTAssertEqual(part.firstRow, start)
                XCTAssertEqual(part.sampleCount, rows.count)
                let whole = try csv.matrix.dense()
                XCTAssertEqual(
                    try part.matrix.dense().storage.map(\.bitPattern),
                    Array(whole.storage[(rows.lowerBound * 30)..<(rows.upperBound * 30)]).map(\.bitPattern), "\(name) \(rows)")
                XCTAssertEqual(part.ids, Array(csv.ids[rows]))
                XCTAssertEqual(
                    part.labels.map { l in l.codes.map { l.categories[Int($0)] } },
                    rows.map { csv.labels!.label(of: $0) })
            }
            XCTAssertEqual(try source.read(from: 120, maxRows: 10).dataset.sampleCount, 0)
        }
    }

    /// Small windows over small spans of CSC conversion and small blocks of sparse entries give
    /// the same rows as one read of everything.
    func testSparseWindowsAcrossBlockAndSpanEdges() throws {
        let whole = try AnnDataFixture.read("csr.h5ad", withLabels).dataset
        for (name, span) in [("csr.h5ad", 0), ("wide64.h5ad", 0), ("csc.h5ad", 40), ("csc.h5ad", 400)] {
            let source = try AnnDataFixture.open(name, withLabels)
            source.blockEntries = 7
            source.columnSpanEntries = span  // CSC: a span per window, or one span over several
            var parts: [Dataset] = []
            var at = 0
            while at < 120 {
                let w = try source.read(from: at, maxRows: 11)
                parts.append(w.dataset)
                at = w.rows.upperBound
            }
            XCTAssertEqual(parts.count, 11)
            let joined = try Dataset.concatenating(parts)
            try assertSameData(joined, whole)
        }
    }

    func testLabelCodesStayValidFromOneReadToTheNext() throws {
        let source = try AnnDataFixture.open("csr.h5ad", withLabels)
        let first = try source.read(from: 0, maxRows: 30).dataset.labels!
        let second = try source.read(from: 30, maxRows: 90).dataset.labels!
        XCTAssertEqual(Array(second.categories.prefix(first.categories.count)), first.categories)
        let whole = try AnnDataFixture.read("csr.h5ad", withLabels).dataset.labels!
        XCTAssertEqual(
            first.codes.map { first.categories[Int($0)] } + second.codes.map { second.categories[Int($0)] },
            whole.codes.map { whole.categories[Int($0)] })
    }

    func testMissingCategoriesAreTheirOwnGroup() throws {
        let labels = try AnnDataFixture.read("dense.h5ad", withLabels).dataset.labels!
        for row in [5, 40, 41, 119] { XCTAssertEqual(labels.label(of: row), "NA") }
        XCTAssertEqual(Set(labels.categories), ["Mono", "NK", "T", "B", "NA"])
    }

    func testStringNumericAndBooleanLabelsAsTheCSVWritesThem() throws {
        for column in ["barcode", "score", "n_genes", "is_doublet", "n_umi", "pass_qc"] {
            let h5ad = try AnnDataFixture.read("dense.h5ad", AnnDataReadOptions(labelColumn: column)).dataset
            let csv = try AnnDataFixture.csv(label: column, features: AnnDataFixture.genes)
            try assertSameData(h5ad, csv)
        }
        let score = try AnnDataFixture.read("dense.h5ad", AnnDataReadOptions(labelColumn: "score")).dataset.labels!
        XCTAssertEqual(score.label(of: 10), "NA")
        let nullable = try AnnDataFixture.read("dense.h5ad", AnnDataReadOptions(labelColumn: "n_umi")).dataset.labels!
        XCTAssertEqual(nullable.label(of: 3), "NA")
    }

    func testLabelColumnIsFoundByItsUsualNames() throws {
        let (dataset, notes) = try AnnDataFixture.read("dense.h5ad")
        XCTAssertEqual(dataset.labels?.column, "cell_type")
        XCTAssertTrue(notes.contains { $0.contains("'cell_type' as group labels") }, "\(notes)")
    }

    func testIdColumn() throws {
        let h5ad = try AnnDataFixture.read("dense.h5ad", AnnDataReadOptions(idColumn: "barcode")).dataset
        XCTAssertEqual(h5ad.idColumn, "barcode")
        XCTAssertEqual(h5ad.ids.first, "AC0000-1")
        XCTAssertEqual(try AnnDataFixture.read("dense.h5ad").dataset.ids[7], "célula-7")
    }

    func testLayer() throws {
        let h5ad = try AnnDataFixture.read("dense.h5ad", AnnDataReadOptions(labelColumn: "cell_type", layer: "counts")).dataset
        let csv = try AnnDataFixture.csv("counts.csv", features: AnnDataFixture.genes)
        try assertSameData(h5ad, csv)
    }

    func testAMissingLayerNamesTheLayersThereAre() throws {
        let e = try XCTUnwrap(AnnDataFixture.error("dense.h5ad", AnnDataReadOptions(layer: "spliced")))
        XCTAssertTrue(e.description.hasPrefix("dense.h5ad:/layers/spliced: found no layer 'spliced' (--layer)"), e.description)
        XCTAssertTrue(e.description.contains("'counts'"), e.description)
    }

    // MARK: Features

    var highlyVariable: [String] {
        get throws {
            let source = try AnnDataFixture.open("dense.h5ad", AnnDataReadOptions(features: "highly_variable"))
            return source.featureNames
        }
    }

    func testFeaturesFromABooleanVarColumn() throws {
        let hv = try highlyVariable
        XCTAssertEqual(hv.count, 20)
        XCTAssertEqual(hv, hv.sorted())  // file order
        for name in ["dense.h5ad", "csr.h5ad", "csc.h5ad", "gzip.h5ad"] {
            let (h5ad, notes) = try AnnDataFixture.read(
                name, AnnDataReadOptions(labelColumn: "cell_type", features: "highly_variable"),
                expecting: FeatureExpectation(count: 20))
            try assertSameData(h5ad, try AnnDataFixture.csv(features: hv))
            XCTAssertTrue(notes.contains { $0.contains("20 of 30 features marked by /var/highly_variable") }, "\(notes)")
        }
    }

    func testFeaturesMatchedByTheModelsNames() throws {
        let names = try highlyVariable.reversed().map { $0 }
        for name in ["dense.h5ad", "csr.h5ad", "csc.h5ad", "gzip.h5ad"] {
            let expectation = FeatureExpectation(count: 20, names: names)
            let h5ad = try AnnDataFixture.read(name, withLabels, expecting: expectation).dataset
            try assertSameData(h5ad, try AnnDataFixture.csv(features: names))
            // A mask as well: the model's order within it.
            let masked = try AnnDataFixture.read(
                name, AnnDataReadOptions(labelColumn: "cell_type", features: "highly_variable"),
                expecting: expectation
            ).dataset
            try assertSameData(masked, h5ad)
        }
    }

    func testFeaturesFromAFileOfNames() throws {
        let dir = try CSVFixture.directory(for: self)
        let list = dir.appendingPathComponent("genes.txt")
        try "G05\nG01\nG30\n".write(to: list, atomically: true, encoding: .utf8)
        let h5ad = try AnnDataFixture.read(
            "csr.h5ad", AnnDataReadOptions(labelColumn: "cell_type", features: list.path),
            expecting: FeatureExpectation(count: 3)
        ).dataset
        try assertSameData(h5ad, try AnnDataFixture.csv(features: ["G05", "G01", "G30"]))
        let e = try XCTUnwrap(
            AnnDataFixture.error("csr.h5ad", AnnDataReadOptions(features: list.path), expecting: FeatureExpectation(count: 4)))
        XCTAssertEqual(e.description, "\(list.path): found 3 feature names, expected 4 (the model's input width)")
    }

    func testTooManyColumnsAndNothingSaysWhichSuggestsTheMask() throws {
        let e = try XCTUnwrap(AnnDataFixture.error("dense.h5ad", expecting: FeatureExpectation(count: 20)))
        XCTAssertEqual(
            e.description,
            "dense.h5ad:/X: has 30 columns (features), expected 20 (the model's input width); say which the model takes, e.g. --features highly_variable (/var's boolean columns: 'highly_variable') or --features FILE"
        )
    }

    func testAMaskOfTheWrongSizeOrMissingTheModelsNames() throws {
        var e = try XCTUnwrap(
            AnnDataFixture.error("dense.h5ad", AnnDataReadOptions(features: "highly_variable"), expecting: FeatureExpectation(count: 25)))
        XCTAssertTrue(e.description.hasPrefix("dense.h5ad:/var/highly_variable: marks 20 features, expected 25"), e.description)
        let outside = try XCTUnwrap(AnnDataFixture.genes.first { !(try highlyVariable).contains($0) })
        let names = Array(try highlyVariable.dropFirst()) + [outside]
        e = try XCTUnwrap(
            AnnDataFixture.error(
                "dense.h5ad", AnnDataReadOptions(features: "highly_variable"), expecting: FeatureExpectation(count: 20, names: names)))
        XCTAssertTrue(e.description.contains("missing: '\(outside)' (feature 20)"), e.description)
    }

    func testANameThatIsNeitherAColumnNorAFile() throws {
        let e = try XCTUnwrap(AnnDataFixture.error("dense.h5ad", AnnDataReadOptions(features: "highly_varable")))
        XCTAssertEqual(
            e.description,
            "highly_varable: found neither a file nor a boolean column of /var of that name (--features), expected one of them; /var's boolean columns: 'highly_variable'"
        )
    }

    func testModelNamesMissingFromVar() throws {
        let e = try XCTUnwrap(AnnDataFixture.error("dense.h5ad", expecting: FeatureExpectation(count: 2, names: ["G01", "CD3E"])))
        XCTAssertEqual(
            e.description,
            "dense.h5ad:/var/_index: found 1 of the 2 features named by the model in /var's index, expected all of them; missing: 'CD3E' (feature 2)"
        )
    }

    // MARK: Older encodings, missing values

    func testAnnData07Categoricals() throws {
        let labels = try AnnDataFixture.read("categories_07.h5ad", AnnDataReadOptions(labelColumn: "group")).dataset.labels!
        XCTAssertEqual((0..<6).map(labels.label(of:)), ["a", "a", "b", "b", "a", "b"])
    }

    func testRecordTableDataframesAreRefusedWithTheWayOut() throws {
        let e = try XCTUnwrap(AnnDataFixture.error("legacy_frame.h5ad"))
        XCTAssertTrue(
            e.description.hasPrefix(
                "legacy_frame.h5ad:/obs: found a table of records (index, group): the dataframe layout of anndata < 0.7"), e.description)
        XCTAssertTrue(e.description.contains("write_h5ad"), e.description)
    }

    func testNaNIsRefusedOrReadAsZero() throws {
        let e = try XCTUnwrap(AnnDataFixture.error("nan.h5ad"))
        XCTAssertEqual(
            e.description, "nan.h5ad:/X[2, 1]: found NaN (feature 'g2'), expected finite numbers; --missing zero reads missing values as 0")
        let zero = try AnnDataFixture.read("nan.h5ad", AnnDataReadOptions(missing: .zero)).dataset
        XCTAssertEqual(try zero.matrix.row(2), [5, 0, 0, 6])
        let inf = try XCTUnwrap(AnnDataFixture.error("inf.h5ad", AnnDataReadOptions(missing: .zero)))
        XCTAssertEqual(inf.description, "inf.h5ad:/X[4, 3]: found an infinite value (inf) (feature 'g4'), expected finite numbers")
    }

    /// Values read into memory stay within the budget; a mapped dense matrix takes none of it.
    func testTheMemoryBudget() throws {
        var options = withLabels
        options.memory = MemoryBudget(bytes: 4000)
        XCTAssertEqual(try AnnDataFixture.read("dense.h5ad", options).dataset.sampleCount, 120)
        var e = try XCTUnwrap(AnnDataFixture.error("gzip.h5ad", options))
        XCTAssertTrue(
            e.description.hasPrefix("gzip.h5ad: found 120 rows of 30 features, which need 14 KB in memory, more than the 3.9 KB allowed"),
            e.description)
        for name in ["csr.h5ad", "csc.h5ad"] {
            e = try XCTUnwrap(AnnDataFixture.error(name, options))
            XCTAssertTrue(
                e.description.hasPrefix(
                    "\(name):/X: rows 0:120 hold 1418 stored values, which need 11 KB in memory, more than the 3.9 KB allowed"),
                e.description)
            XCTAssertTrue(e.description.hasSuffix("or raise the limit with --max-memory"), e.description)
        }
        // Windows of a few rows fit.
        let source = try AnnDataFixture.open("csr.h5ad", options)
        XCTAssertEqual(try source.read(from: 0, maxRows: 10).dataset.sampleCount, 10)
    }

    func testTheContentNotTheNameSaysHDF5() throws {
        XCTAssertTrue(HDF5File.hasSignature(path: try AnnDataFixture.url("csr.h5ad").path))
        XCTAssertFalse(HDF5File.hasSignature(path: try AnnDataFixture.url("data.csv").path))
    }
}
