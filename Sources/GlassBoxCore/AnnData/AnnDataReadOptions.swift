/// How to read an AnnData file: the command line's `--label-column`, `--id-column`,
/// `--features`, `--layer` and `--missing`.
public struct AnnDataReadOptions: Sendable {
    /// An `obs` column; nil picks `label`, `cell_type`, `celltype`, `group`, `class` or `cluster`
    /// (any case) if present.
    public var labelColumn: String?
    /// An `obs` column (or the index's name); nil uses the index.
    public var idColumn: String?
    /// A boolean `var` column (`highly_variable`) or a file of feature names, one per line.
    public var features: String?
    /// Feature names given directly (used when `features` is nil).
    public var featureList: [String]?
    /// `layers/<layer>` instead of `X`.
    public var layer: String?
    /// NaN in the matrix: refused (`error`) or read as 0 (`zero`); `drop` is for CSV files.
    public var missing: MissingPolicy
    /// Most memory the values read at once may take (nil: `MemoryBudget.standard`). A mapped
    /// dense matrix takes none (the page cache holds it).
    public var memory: MemoryBudget?

    public init(
        labelColumn: String? = nil, idColumn: String? = nil, features: String? = nil,
        featureList: [String]? = nil, layer: String? = nil, missing: MissingPolicy = .error
    ) {
        self.labelColumn = labelColumn
        self.idColumn = idColumn
        self.features = features
        self.featureList = featureList
        self.layer = layer
        self.missing = missing
    }
}
