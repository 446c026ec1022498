import Foundation
import XCTest
@testable import GlassBoxCore

/// Reading fixtures written by the tests themselves (in memory, or to a temporary directory).
enum CSVFixture {
    struct Read {
        var dataset: Dataset
        var notes: [String]
    }

    static func read(
        _ text: String, name: String = "t.csv", options: CSVReadOptions = CSVReadOptions(),
        expecting: FeatureExpectation? = nil
    ) throws -> Read {
        try read(bytes: Array(text.utf8), name: name, options: options, expecting: expecting)
    }

    static func read(
        bytes: [UInt8], name: String = "t.csv", options: CSVReadOptions = CSVReadOptions(),
        expecting: FeatureExpectation? = nil
    ) throws -> Read {
        var notes: [String] = []
        let dataset = try bytes.withUnsafeBytes {
            try CSVDatasetReader.read(bytes: $0, fileName: name, options: options, expecting: expecting) { notes.append($0) }
        }
        return Read(dataset: dataset, notes: notes)
    }

    /// The error reading `text` gives (failing the test if it reads).
    static func error(
        _ text: String, name: String = "t.csv", options: CSVReadOptions = CSVReadOptions(),
        expecting: FeatureExpectation? = nil, file: StaticString = #filePath, line: UInt = #line
    ) -> InputError? {
        error(bytes: Array(text.utf8), name: name, options: options, expecting: expecting, file: file, line: line)
    }

    static func error(
        bytes: [UInt8], name: String = "t.csv", options: CSVReadOptions = CSVReadOptions(),
        expecting: FeatureExpectation? = nil, file: StaticString = #filePath, line: UInt = #line
    ) -> InputError? {
        do {
            _ = try read(bytes: bytes, name: name, options: options, expecting: expecting)
            XCTFail("expected an InputError", file: file, line: line)
            return nil
        } catch let e as InputError {
            return e
        } catch {
            XCTFail("expected an InputError, got \(error)", file: file, line: line)
            return nil
        }
    }

    /// A fresh directory for fixture files, removed at the end of the test.
    static func directory(for test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("glassbox-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Options that cut even tiny inputs into many parallel pieces and gzip blocks.
    static func tiny(_ options: CSVReadOptions = CSVReadOptions(), piece: Int = 7, block: Int = 64) -> CSVReadOptions {
        var o = options
        o.pieceBytes = piece
        o.blockBytes = block
        return o
    }
}

extension Dataset {
    /// Every value as one dense matrix (the datasets in these tests are small).
    var values: Matrix<Float> {
        get { try! denseValues() }
        set { matrix = DenseMatrix(newValue) }
    }
}
