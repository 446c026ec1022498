import Foundation
import XCTest
@testable import GlassBoxCore

/// Damaged and unusual `.h5ad` files: each refused with the file, the object path inside it
/// and what was expected — never a crash, never an allocation the file cannot justify.
final class AnnDataBadInputTests: XCTestCase {
    func expect(
        _ name: String, _ message: String, _ options: AnnDataReadOptions = AnnDataReadOptions(labelColumn: "group"),
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let e = AnnDataFixture.error(name, options, file: file, line: line) else { return }
        XCTAssertEqual(e.description, message, file: file, line: line)
    }

    func testTheFixtureTheyAreMadeFromReads() throws {
        let (dataset, _) = try AnnDataFixture.read("small_csr.h5ad", AnnDataReadOptions(labelColumn: "group"))
        XCTAssertEqual(try dataset.matrix.dense().storage, [1, 0, 2, 0, 0, 3, 0, 4, 5, 0, 0, 6, 0, 0, 7, 0, 8, 9, 0, 0, 0, 1, 0, 2])
    }

    func testIndptrGoingDown() {
        expect(
            "bad_indptr_decreasing.h5ad",
            "bad_indptr_decreasing.h5ad:/X/indptr[2]: found 1, less than the 2 before it, expected non-decreasing offsets")
    }

    func testIndptrPastTheStoredValues() {
        expect(
            "bad_indptr_past.h5ad",
            "bad_indptr_past.h5ad:/X/indptr[3]: found 99, expected an offset from 0 to 11 (the number of stored values)")
    }

    func testColumnIndexBeyondTheColumns() {
        expect("bad_indices.h5ad", "bad_indices.h5ad:/X/indices[5]: found column 9001, expected < 4 (the matrix's columns)")
    }

    func testObsAndVarDisagreeingWithX() {
        expect("bad_obs_rows.h5ad", "bad_obs_rows.h5ad:/obs: found 5 rows (one per sample), expected 6, as /X has rows")
        expect("bad_var_rows.h5ad", "bad_var_rows.h5ad:/var: found 3 rows (one per feature), expected 4, as /X has columns")
    }

    func testAnUnknownEncoding() {
        expect(
            "bad_encoding.h5ad", "bad_encoding.h5ad:/X: found encoding-type 'coo_matrix', expected 'array', 'csr_matrix' or 'csc_matrix'")
    }

    func testACategoricalCodeBeyondItsCategories() {
        expect("bad_codes.h5ad", "bad_codes.h5ad:/obs/group/codes[3]: found code 5, expected −1 (missing) to 1 (2 categories)")
    }

    func testAShapeTheFileCannotHold() {
        expect(
            "bad_huge.h5ad",
            "bad_huge.h5ad:/X: claims (1000000000, 1000000) × float32 (4000000000000000 bytes) but the file stores only 0 bytes of it; expected a complete dataset (the file is damaged)"
        )
    }

    func testACorruptCompressedChunk() {
        expect(
            "bad_chunk.h5ad",
            "bad_chunk.h5ad:/X chunk [50, 12]: cannot be decompressed (zlib status -3, 593 of 600 bytes), expected gzip data (the file is damaged)",
            AnnDataReadOptions(labelColumn: "cell_type"))
    }

    func testAFilterLibhdf5Lacks() {
        expect(
            "lzf.h5ad",
            "lzf.h5ad:/X: is compressed with 'lzf' (HDF5 filter 32000), which this libhdf5 lacks; expected gzip or no compression — re-save it in Python with anndata's write_h5ad(…, compression=\"gzip\")"
        )
    }

    /// Every truncation of a file: refused (at open or at the read), never a crash.
    func testTruncatedFiles() throws {
        let dir = try CSVFixture.directory(for: self)
        for name in ["dense.h5ad", "csr.h5ad", "gzip.h5ad"] {
            let bytes = try Data(contentsOf: AnnDataFixture.url(name))
            for cut in [8, 100, 2048, bytes.count / 3, bytes.count / 2, bytes.count - 1000, bytes.count - 1] {
                let url = dir.appendingPathComponent("cut-\(cut)-\(name)")
                try bytes.prefix(cut).write(to: url)
                guard let e = AnnDataFixture.error(name, url: url) else { continue }
                XCTAssertTrue(e.description.hasPrefix("\(name):"), e.description)
            }
        }
    }

    func testNotAnHDF5File() throws {
        let dir = try CSVFixture.directory(for: self)
        let url = dir.appendingPathComponent("fake.h5ad")
        try Data(HDF5File.signature + [UInt8](repeating: 7, count: 600)).write(to: url)
        let e = try XCTUnwrap(AnnDataFixture.error("fake.h5ad", url: url))
        XCTAssertTrue(e.description.hasPrefix("fake.h5ad: libhdf5 cannot open it ("), e.description)
    }
}
