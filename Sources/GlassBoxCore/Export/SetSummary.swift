/// The feature sets of an export as sets.csv lists them (the remainder last) and how they
/// cover the features — what statistics.json records of them, so `glassbox merge` can write
/// sets.csv and the partition check again without the set file.
struct SetTable: Equatable {
    var file: String
    var sha256: String?
    /// Per set, the remainder last: name, description, distinct members listed, members found.
    var names: [String]
    var descriptions: [String]
    var sizes: [Int]
    var found: [Int]
    var featureCount: Int
    var overlappingFeatureCount: Int

    init(
        file: String, sha256: String?, names: [String], descriptions: [String], sizes: [Int], found: [Int],
        featureCount: Int, overlappingFeatureCount: Int
    ) {
        (self.file, self.sha256, self.names, self.descriptions, self.sizes, self.found) = (file, sha256, names, descriptions, sizes, found)
        (self.featureCount, self.overlappingFeatureCount) = (featureCount, overlappingFeatureCount)
    }

    init(_ sets: FeatureSets) {
        self.init(
            file: sets.file, sha256: sets.fileSHA256, names: sets.names, descriptions: sets.sets.map(\.description),
            sizes: sets.sets.map(\.listedCount), found: sets.sets.map(\.members.count),
            featureCount: sets.featureCount, overlappingFeatureCount: sets.overlappingFeatureCount)
    }

    /// Sets with the remainder.
    var count: Int { names.count }
    var isDisjoint: Bool { overlappingFeatureCount == 0 }

    var statement: String {
        FeatureSets.partitionStatement(
            setCount: count - 1, featureCount: featureCount, remainderCount: found[count - 1],
            overlappingFeatureCount: overlappingFeatureCount)
    }

    /// sets.csv: set, description, size, members_found.
    var csv: [UInt8] {
        var t = CSVText()
        t.row(["set", "description", "size", "members_found"])
        for s in 0..<count {
            t.field(names[s])
            t.field(descriptions[s])
            t.integer(sizes[s])
            t.integer(found[s])
            t.endLine()
        }
        return t.bytes
    }
}

/// The feature-set part of an export's totals (`--feature-sets`), added up from its chunks or,
/// by a merge, from its parts: sets.csv, groups_sets.csv, group_set_sums.npy and
/// verification.json's `feature_sets` are written from it.
struct SetSummary {
    var table: SetTable
    /// Sums of the set contributions per group code (sets in the place of features).
    var groups: [Int: FeatureSums]
    /// z against the sums over sets (`addSetSums`), when the sets do not overlap.
    var partition: VerificationAccumulator

    var report: SetPartitionReport { SetPartitionReport(table, check: partition.result) }

    /// sets.csv, groups_sets.csv and group_set_sums.npy for the groups `categories` names.
    func writeTables(to files: ExportFiles, categories: [String]?, groupCount: Int, keep: Int, outputCount m: Int) throws {
        try files.create(.sets).append(table.csv)
        let ranking = GroupRanking.rank(groups, categories: categories, keep: keep, outputCount: m)
        try files.create(.groupsSets).append(GroupRanking.csv(ranking, featureNames: table.names, outputCount: m, column: "set"))
        try files.create(.groupSetSums).append(
            PartStatistics.groupSumsNPY(groups, groupCount: groupCount, outputCount: m, width: table.count))
    }
}
