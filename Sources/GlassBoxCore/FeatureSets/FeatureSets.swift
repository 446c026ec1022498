import Foundation

/// One set of features matched to a model's features.
public struct FeatureSet: Sendable, Equatable {
    public var name: String
    public var description: String
    /// Distinct members the file lists.
    public var listedCount: Int
    /// The model's features in the set: indices in input order, ascending.
    public var members: [Int]
    /// Listed members that name no feature, in file order.
    public var missing: [String]
    /// The set's first line in the file (nil for the remainder).
    public var line: Int?
}

/// Feature sets — pathways, cell-type markers, gene programs — matched to a model's features,
/// and the sparse membership that turns feature contributions into set contributions.
///
/// Contributions are exactly additive, so the contribution of a set S to coordinate j is
/// Σ_{f∈S} C[j,f]. `sets` holds the file's sets in file order and, last, the **remainder**
/// "(not in any set)": the features in none of them (possibly none). Sets may overlap; when
/// they do not (`isDisjoint`), the sets with the remainder partition the features and their
/// contributions add up to z as the feature contributions do.
public struct FeatureSets: Sendable {
    /// The name of the remainder set; no set in a file may use it.
    public static let remainderName = "(not in any set)"
    public static let remainderDescription = "features in no set"

    /// How messages name the set file.
    public let file: String
    /// The set file's SHA-256 (hex), when read from a file.
    public let fileSHA256: String?
    /// The file's sets in file order, then the remainder.
    public let sets: [FeatureSet]
    public let featureCount: Int
    /// Features in more than one set.
    public let overlappingFeatureCount: Int

    /// The membership matrix M (d × S, the remainder's column included) compressed by column:
    /// set s's members are `memberIndices[memberStarts[s] ..< memberStarts[s + 1]]`, ascending.
    let memberStarts: [Int]
    let memberIndices: [Int32]
    /// The sets (remainder included) from fewest members to most: the order `apply` pairs them in.
    let bySize: [Int]

    /// Sets with the remainder: the last axis of set contributions.
    public var count: Int { sets.count }
    /// The file's sets, without the remainder.
    public var fileSetCount: Int { sets.count - 1 }
    public var remainderIndex: Int { sets.count - 1 }
    public var names: [String] { sets.map(\.name) }
    /// No feature in two sets: with the remainder, the sets partition the features.
    public var isDisjoint: Bool { overlappingFeatureCount == 0 }
    /// Every feature in some file set (the remainder is empty).
    public var coversAllFeatures: Bool { sets[remainderIndex].members.isEmpty }
    /// Memberships in all: the nonzeros of M.
    public var membershipCount: Int { memberIndices.count }

    /// Matches `file`'s members to `featureNames` (the model's input order) — exactly, or
    /// ignoring case (`caseSensitive: false`; a member then matches every feature that differs
    /// only in case). Throws when no listed member names a feature.
    public init(_ file: FeatureSetFile, featureNames: [String], caseSensitive: Bool = true) throws {
        let d = featureNames.count
        var byName: [String: [Int]] = [:]
        for (f, name) in featureNames.enumerated() { byName[caseSensitive ? name : name.lowercased(), default: []].append(f) }
        var sets: [FeatureSet] = []
        var inSets = [Int32](repeating: 0, count: d)
        for entry in file.entries {
            var members: [Int] = [], missing: [String] = []
            for member in entry.members {
                if let found = byName[caseSensitive ? member : member.lowercased()] { members += found } else { missing.append(member) }
            }
            members = Array(Set(members)).sorted()
            for f in members { inSets[f] += 1 }
            sets.append(
                FeatureSet(
                    name: entry.name, description: entry.description, listedCount: entry.members.count,
                    members: members, missing: missing, line: entry.line))
        }
        guard sets.contains(where: { !$0.members.isEmpty }) else {
            let listed = Set(file.entries.flatMap(\.members)).count
            let first = file.entries.first { !$0.members.isEmpty }
            let example = first.map { " (the first, \(DisplaySafe.quoted($0.members[0])))" } ?? ""
            let what =
                listed == 0
                ? "no set that lists a feature"
                : "none of the \(listed) listed feature\(listed == 1 ? "" : "s")\(example) among the model's \(d) features"
            throw InputError(
                file: file.file, line: first?.line ?? 1,
                message: "found \(what), expected set members named as the data's feature columns"
                    + (caseSensitive ? " (matching is case-sensitive)" : ""))
        }
        let remainder = (0..<d).filter { inSets[$0] == 0 }
        sets.append(
            FeatureSet(
                name: Self.remainderName, description: Self.remainderDescription, listedCount: remainder.count,
                members: remainder, missing: [], line: nil))
        self.file = file.file
        fileSHA256 = file.sha256
        self.sets = sets
        featureCount = d
        overlappingFeatureCount = inSets.lazy.filter { $0 > 1 }.count
        var starts = [0]
        starts.reserveCapacity(sets.count + 1)
        var indices: [Int32] = []
        for s in sets {
            indices += s.members.lazy.map { Int32($0) }
            starts.append(indices.count)
        }
        memberStarts = starts
        memberIndices = indices
        bySize = sets.indices.sorted { (sets[$0].members.count, $0) < (sets[$1].members.count, $1) }
    }

    /// Reads and matches a set file (see `FeatureSetFile` for the forms).
    public static func read(_ url: URL, featureNames: [String], caseSensitive: Bool = true) throws -> FeatureSets {
        try FeatureSets(FeatureSetFile.read(url), featureNames: featureNames, caseSensitive: caseSensitive)
    }

    /// The features of set `s` (the remainder included), ascending.
    public func members(of s: Int) -> ArraySlice<Int32> {
        memberIndices[memberStarts[s]..<memberStarts[s + 1]]
    }

    /// The sets (remainder included) that hold feature `f`, ascending.
    public func sets(containing f: Int) -> [Int] {
        (0..<count).filter { s in members(of: s).contains(Int32(f)) }
    }

    /// One sentence on whether the sets partition the features (so set contributions add up to z).
    public var partitionStatement: String {
        Self.partitionStatement(
            setCount: fileSetCount, featureCount: featureCount, remainderCount: sets[remainderIndex].members.count,
            overlappingFeatureCount: overlappingFeatureCount)
    }

    static func partitionStatement(setCount n: Int, featureCount d: Int, remainderCount r: Int, overlappingFeatureCount o: Int) -> String {
        let them = "\(n) set\(n == 1 ? "" : "s")"
        if o > 0 {
            return "the \(them) overlap (\(o) feature\(o == 1 ? " is" : "s are") in more than one): "
                + "they do not partition the \(d) features, and their contributions do not add up to z"
        }
        if r == 0 { return "the \(them) partition the \(d) features: their contributions add up to z" }
        return "the \(them) do not overlap; with the \(r) feature\(r == 1 ? "" : "s") in no set, as '\(Self.remainderName)', "
            + "they partition the \(d) features: their contributions add up to z"
    }

    /// Notes for the user (stderr): members found per set (the first 20), sets with none, and
    /// whether the sets partition the features.
    public var notes: [String] {
        [foundNote] + [emptySetsWarning].compactMap { $0 } + ["\(DisplaySafe.text(file)): " + partitionStatement]
    }

    /// "FILE: 10 feature sets; members found: B cells 3/5, …" (the first 20 sets).
    public var foundNote: String {
        let fileSets = sets.dropLast(), shown = 20
        var found = fileSets.prefix(shown).map { "\(DisplaySafe.text($0.name)) \($0.members.count)/\($0.listedCount)" }
            .joined(separator: ", ")
        if fileSets.count > shown { found += ", … (\(fileSets.count - shown) more)" }
        return "\(DisplaySafe.text(file)): \(fileSets.count) feature set\(fileSets.count == 1 ? "" : "s"); members found: \(found)"
    }

    /// "warning: FILE: 2 sets have no member among the model's d features: 'X' (line 4), …",
    /// or nil when every set has one.
    public var emptySetsWarning: String? {
        let empty = sets.dropLast().filter { $0.members.isEmpty }, shown = 20
        guard !empty.isEmpty else { return nil }
        var names = empty.prefix(shown).map { "'\(DisplaySafe.text($0.name))' (line \($0.line ?? 0))" }.joined(separator: ", ")
        if empty.count > shown { names += ", … (\(empty.count - shown) more)" }
        return "warning: \(DisplaySafe.text(file)): \(empty.count) set\(empty.count == 1 ? " has" : "s have") no member "
            + "among the model's \(featureCount) features: \(names)"
    }
}
