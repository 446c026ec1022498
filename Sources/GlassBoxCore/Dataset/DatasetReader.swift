import Foundation

/// Opens a data file by its content, not its name: HDF5's signature means an AnnData `.h5ad`
/// file; anything else is read as CSV/TSV (plain or gzip).
public enum DatasetReader {
    public static func open(
        _ url: URL, csv: CSVReadOptions, anndata: AnnDataReadOptions,
        expecting expectation: FeatureExpectation?
    ) throws -> any DatasetSource {
        if AnnDataSource.recognizes(url) {
            let source = try AnnDataSource(url: url, options: anndata, expecting: expectation)
            if csv.delimiter != nil { source.note("--delimiter is for CSV files; \(url.relativePath) is an AnnData file") }
            return source
        }
        if let layer = anndata.layer {
            throw InputError(
                file: url.relativePath,
                message: "--layer \(layer): found a CSV file, expected an AnnData .h5ad file (layers are an AnnData feature)")
        }
        return try CSVDatasetReader.open(url, options: csv, expecting: expectation)
    }
}
