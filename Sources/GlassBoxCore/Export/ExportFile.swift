/// Every file an export (or a merge) writes, by name — one list, so the writers, the merge and
/// the checks on an output directory cannot disagree. Adding a file to exports means a case
/// here, its writer, and (per-sample files) nothing else: merge concatenates those in order.
public enum ExportFile: String, CaseIterable, Sendable {
    // One line or row per sample, in row order: a merge concatenates the parts' files.
    case embedding = "embedding.csv"
    case contributions = "contributions.npy"
    case contributionsCSV = "contributions.csv"
    case pcaContributions = "pca_contributions.npy"
    case pcaContributionsCSV = "pca_contributions.csv"
    case topFeatures = "top_features.csv"
    case setContributions = "set_contributions.npy"
    case setContributionsCSV = "set_contributions.csv"
    case topSets = "top_sets.csv"
    // Summaries of all the rows: a merge recomputes them from the parts' statistics.
    case groups = "groups.csv"
    case sets = "sets.csv"
    case groupsSets = "groups_sets.csv"
    case embeddingPlot = "embedding.svg"
    case groupsPlot = "groups.svg"
    case groupSums = "group_sums.npy"
    case groupSetSums = "group_set_sums.npy"
    case statistics = "statistics.json"
    /// Written last: it lists the others (the manifest of a glassbox export).
    case verification = "verification.json"

    public var name: String { rawValue }

    /// Whether it holds one entry per sample (and is concatenated by a merge).
    public var isPerSample: Bool {
        switch self {
        case .embedding, .contributions, .contributionsCSV, .pcaContributions, .pcaContributionsCSV, .topFeatures,
            .setContributions, .setContributionsCSV, .topSets:
            return true
        case .groups, .sets, .groupsSets, .embeddingPlot, .groupsPlot, .groupSums, .groupSetSums, .statistics, .verification:
            return false
        }
    }

    /// The names of the per-sample files.
    static let perSampleNames = Set(allCases.filter(\.isPerSample).map(\.name))
}

extension ExportFiles {
    func create(_ file: ExportFile) throws -> PartialFile {
        try create(file.name)
    }
}
