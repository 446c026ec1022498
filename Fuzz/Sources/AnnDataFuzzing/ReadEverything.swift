import Foundation
import GlassBoxCore

/// Opens the `.h5ad` at `path` with options picked by `selector` and reads every row, in two
/// windows, densified — what both AnnData fuzz targets run. Refusals (`InputError`) are the
/// expected outcome of most inputs.
public func readEveryRow(path: String, selector: UInt8) {
    var options = AnnDataReadOptions()
    options.missing = selector & 1 != 0 ? .zero : .error
    switch (selector >> 1) & 3 {
    case 1: options.labelColumn = "cell_type"
    case 2: options.labelColumn = "group"
    case 3: options.idColumn = "barcode"
    default: break
    }
    if selector & 8 != 0 { options.features = "highly_variable" }
    if selector & 16 != 0 { options.layer = "counts" }
    let expectation: FeatureExpectation?
    switch selector >> 5 {
    case 1: expectation = FeatureExpectation(count: 4)
    case 2: expectation = FeatureExpectation(count: 2, names: ["g3", "g1"])
    case 3: expectation = FeatureExpectation(count: 20)
    case 4: expectation = FeatureExpectation(count: 3, names: ["G05", "G01", "G30"])
    default: expectation = nil
    }
    do {
        let source = try AnnDataSource(url: URL(fileURLWithPath: path), options: options, expecting: expectation)
        let n = source.rowCount ?? 0
        for window in [0..<(n / 2), (n / 2)..<n] {
            let data = try source.read(from: window.lowerBound, maxRows: window.count).dataset
            _ = try data.matrix.dense()
            if data.featureCount > 0 { _ = try data.matrix.column(data.featureCount - 1) }
        }
    } catch {}
}

/// A scratch file for one fuzzing process (libhdf5 reads files, not memory).
public let scratchPath = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())
    + "/glassbox-fuzz-\(getpid()).h5ad"
