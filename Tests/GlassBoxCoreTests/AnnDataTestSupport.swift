import Foundation
import XCTest
@testable import GlassBoxCore

/// The AnnData fixtures (Fixtures/anndata, written by anndata itself: make_anndata.py).
enum AnnDataFixture {
    static func url(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/anndata/" + name, withExtension: nil), "missing fixture anndata/\(name)")
    }

    /// Fixture `name` opened (messages name it without its directory).
    static func open(
        _ name: String, _ options: AnnDataReadOptions = AnnDataReadOptions(),
        expecting: FeatureExpectation? = nil
    ) throws -> AnnDataSource {
        try AnnDataSource(path: url(name).path, file: name, options: options, expecting: expecting)
    }

    /// Every row of fixture `name`.
    static func read(
        _ name: String, _ options: AnnDataReadOptions = AnnDataReadOptions(),
        expecting: FeatureExpectation? = nil
    ) throws -> (dataset: Dataset, notes: [String]) {
        let source = try open(name, options, expecting: expecting)
        return (try source.read(from: 0, maxRows: Int.max).dataset, source.notes)
    }

    /// The error opening and reading fixture `name` (or the file at `url`) gives.
    static func error(
        _ name: String, url: URL? = nil, _ options: AnnDataReadOptions = AnnDataReadOptions(),
        expecting: FeatureExpectation? = nil, file: StaticString = #filePath, line: UInt = #line
    ) -> InputError? {
        do {
            let source = try AnnDataSource(path: (url ?? self.url(name)).path, file: name, options: options, expecting: expecting)
            let dataset = try source.read(from: 0, maxRows: Int.max).dataset
            _ = try dataset.matrix.dense()
            XCTFail("expected an InputError", file: file, line: line)
        } catch let e as InputError {
            return e
        } catch {
            XCTFail("expected an InputError, got \(error)", file: file, line: line)
        }
        return nil
    }

    /// The same data as CSV (data.csv or counts.csv), its features named `features`.
    static func csv(
        _ name: String = "data.csv", label: String? = "cell_type", id: String = "cell",
        features: [String]
    ) throws -> Dataset {
        var options = CSVReadOptions(labelColumn: label, idColumn: id)
        options.featureList = features
        return try CSVDatasetReader.read(url(name), options: options)
    }

    static let genes = (1...30).map { String(format: "G%02d", $0) }
}

/// Fails unless the two datasets hold the same samples bit for bit: names, ids, labels, values.
func assertSameData(_ a: Dataset, _ b: Dataset, file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertEqual(a.featureNames, b.featureNames, "feature names", file: file, line: line)
    XCTAssertEqual(a.ids, b.ids, "ids", file: file, line: line)
    XCTAssertEqual(a.labels?.column, b.labels?.column, "label column", file: file, line: line)
    XCTAssertEqual(
        a.labels.map { l in l.codes.map { l.categories[Int($0)] } },
        b.labels.map { l in l.codes.map { l.categories[Int($0)] } }, "labels", file: file, line: line)
    let x = try a.matrix.dense(), y = try b.matrix.dense()
    XCTAssertEqual(x.rows, y.rows, "rows", file: file, line: line)
    XCTAssertEqual(x.cols, y.cols, "columns", file: file, line: line)
    if let i = x.storage.indices.first(where: { $0 < y.storage.count && x.storage[$0].bitPattern != y.storage[$0].bitPattern }) {
        XCTFail(
            "values differ first at row \(i / max(x.cols, 1)), column \(i % max(x.cols, 1)): \(x.storage[i]) vs \(y.storage[i])",
            file: file, line: line)
    }
}
