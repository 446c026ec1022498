import GlassBoxCore

/// What the explorer keeps of one engine chunk, computed on the worker that computed it (the
/// same per-sample analysis as export's, `ChunkAnalysis`): per sample the top-K features by L2
/// with their signed contributions, the total L2 and the reconstruction error; the chunk's sums
/// overall and per group (finite samples only: the report lists the others).
struct ChunkSummary {
    let rows: Range<Int>
    let keep: Int
    var topFeatures: [Int32]
    var topL2: [Float]
    var topSigned: [Float]
    var totalL2: [Float]
    var errors: [Float]
    var all: FeatureSums
    /// Per group code present in the chunk (none when groups aren't summed).
    var groups: [Int: FeatureSums] = [:]
    var verification = VerificationAccumulator()
    /// With feature sets: the chunk's set sums and per-sample set L2.
    var sets: ChunkSetSummary?

    /// - Parameter codes: group code per dataset row, or nil when groups aren't summed.
    init(_ chunk: ContributionChunk<Float>, keep k: Int, codes: [Int32]?) {
        let analysis = ChunkAnalysis(chunk, keep: k, codes: codes, share: true)
        rows = chunk.rows
        keep = analysis.keep
        topFeatures = analysis.topFeatures
        topL2 = analysis.topL2
        topSigned = analysis.topSigned
        totalL2 = analysis.totalL2
        errors = verification.add(chunk).map { Float($0) }
        var all = FeatureSums(outputCount: chunk.outputCount, featureCount: chunk.featureCount, share: true)
        for g in analysis.groups.keys.sorted() { all.merge(analysis.groups[g]!) }  // in a fixed order
        self.all = all
        if codes != nil { groups = analysis.groups }
        if chunk.setContributions != nil { sets = ChunkSetSummary(chunk, codes: codes) }
    }
}
