import ArgumentParser
import Foundation
import GlassBoxCore

/// Feature sets (pathways, cell-type markers, gene programs) whose exact contributions
/// `export` writes, `verify` checks and `explore` shows as a space of its own.
struct FeatureSetOptions: ParsableArguments {
    @Option(
        name: .customLong("feature-sets"),
        help: ArgumentHelp(
            "Sets of features to add contributions up over: a GMT file (name<TAB>description<TAB>feature…, as MSigDB, Enrichr and GSEA write) or a two-column set,feature table (CSV or TSV, header optional). Members are matched to the feature names (case-sensitive).",
            valueName: "path"))
    var featureSets: String?

    @Flag(name: .customLong("feature-sets-ignore-case"), help: "Match set members to feature names ignoring case.")
    var ignoreCase = false

    /// The sets matched to `model`'s features (nil without --feature-sets); what was found goes
    /// to stderr. The model must carry feature names, or the data supply them: `featureNames`.
    func load(featureNames: [String]) throws -> FeatureSets? {
        let sets = try read(featureNames: featureNames)
        sets?.notes.forEach(Diagnostics.note)
        return sets
    }

    /// The sets matched to `featureNames`, saying nothing (the explorer shows the notes itself).
    func read(featureNames: [String]) throws -> FeatureSets? {
        guard let featureSets else { return nil }
        return try FeatureSets.read(URL(fileURLWithPath: featureSets), featureNames: featureNames, caseSensitive: !ignoreCase)
    }
}
