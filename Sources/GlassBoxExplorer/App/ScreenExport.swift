#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GlassBoxCore

/// What `w` writes, decided on the main loop from what the screen shows and built as CSV off
/// it: plain files — a header row, one row per sample or feature, shortest round-trip numbers,
/// quoting only where RFC 4180 needs it — that `pandas.read_csv(path)` reads without options.
struct ScreenSave: Sendable {
    struct File: Sendable {
        /// "-features" for a second table of the same save ("" for the first).
        var suffix: String
        var rows: Int
        var build: @Sendable () -> [UInt8]
    }

    /// The name without its number: "glassbox-selection-B_cell" (`ScreenFiles` adds "-1.csv").
    var stem: String
    var files: [File]
    /// "selection 'B cell': 120 samples and 765 features".
    var what: String
    /// annotations.csv keeps its name (then annotations-2.csv …) for the tools that expect it.
    var plainName = false
}

extension ScreenSave {
    /// A label safe in a file name: letters, digits, `.`, `_` and `-`, at most 40 characters.
    static func label(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            let ok = ch.isASCII && (CharacterSet.alphanumerics.contains(ch) || ch == "." || ch == "-" || ch == "_")
            if ok { out.unicodeScalars.append(ch) } else if !out.hasSuffix("_") { out += "_" }
        }
        while out.hasPrefix("_") || out.hasPrefix(".") { out.removeFirst() }
        while out.hasSuffix("_") { out.removeLast() }
        return String(out.prefix(40)).isEmpty ? "x" : String(out.prefix(40))
    }

    static func header(_ t: inout CSVText, _ fields: [String]) { t.row(fields) }

    static func components(_ m: Int, _ prefix: String) -> [String] { (1...max(1, m)).map { "\(prefix)z\($0)" } }

    /// What a sample's columns multiply or hold, written beside their contributions.
    enum Inputs {
        case features(x: [Float], mean: [Double])
        case components(u: [Double])
        case sets(sizes: [Int])

        var titles: [String] {
            switch self {
            case .features: return ["x", "mu", "x_minus_mu"]
            case .components: return ["u"]
            case .sets: return ["n_members"]
            }
        }

        func write(_ c: Int, to t: inout CSVText) {
            switch self {
            case .features(let x, let mean):
                t.number(x[c])
                t.number(mean[c])
                t.number(Double(x[c]) - mean[c])
            case .components(let u): t.number(u[c])
            case .sets(let sizes): t.integer(sizes[c])
            }
        }
    }

    /// The focused sample's whole table in a space (`table`): every column ranked by L2, its
    /// signed contribution to each dimension, and what it multiplies (x, μ, x − μ; or u) or,
    /// for a set, how many features it holds.
    static func sample(
        _ e: SampleExplanation, table: ContributionTable, id: String, space: FeatureSpace, names: [String], inputs: Inputs
    ) -> ScreenSave {
        let m = e.outputCount
        let file = File(suffix: "", rows: table.columnCount) {
            var t = CSVText()
            header(&t, ["id", "rank", space.noun, "l2", "share"] + components(m, "contribution_") + inputs.titles)
            let l2 = table.l2, share = table.scores(.normedL2)
            for (rank, c) in table.ranking(.l2).enumerated() {
                t.field(id)
                t.integer(rank + 1)
                t.field(names[c])
                t.number(l2[c])
                t.number(share[c])
                for j in 0..<m { t.number(table.value(component: j, feature: c)) }
                inputs.write(c, to: &t)
                t.endLine()
            }
            return t.bytes
        }
        return ScreenSave(
            stem: "glassbox-sample-\(label(id))", files: [file],
            what: "sample \(id): \(table.columnCount) \(space.title)")
    }

    /// A selection: its samples, and — once their means are complete — its features (or its
    /// sets, in the sets space), with what it is set against (`versus`: "rest" or a kept
    /// selection's name).
    /// `fileLabel`: what the file name says (a label, "box", a kept name); `name` the message.
    static func selection(
        name: String, fileLabel: String? = nil, rows: [Int32], ids: [String], labels: GroupLabels?, embedding: [Float], outputCount m: Int,
        scores: AggregateScores?, versus: (name: String, scores: AggregateScores)?, view: SampleView,
        columnNames featureNames: [String], space: FeatureSpace = .features
    ) -> ScreenSave {
        var files = [
            File(suffix: "", rows: rows.count) {
                var t = CSVText()
                header(&t, ["id", "row"] + (labels.map { [$0.column.isEmpty ? "label" : $0.column] } ?? []) + components(m, ""))
                for r in rows {
                    let i = Int(r)
                    t.field(ids[i])
                    t.integer(i)
                    if let labels { t.field(labels.label(of: i)) }
                    for j in 0..<m { t.number(embedding[i * m + j]) }
                    t.endLine()
                }
                return t.bytes
            }
        ]
        if let scores {
            let d = featureNames.count
            files.append(
                File(suffix: "-\(space.title)", rows: d) {
                    var t = CSVText()
                    var fields = ["rank", space.noun, "mean_l2", "mean_share"] + components(m, "mean_contribution_")
                    if versus != nil {
                        fields +=
                            ["versus", "versus_mean_l2"] + components(m, "versus_mean_contribution_")
                            + components(m, "difference_mean_contribution_") + ["difference_l2"]
                    }
                    header(&t, fields)
                    let contrast = versus.map { AggregateContrast(selection: scores, rest: $0.scores) }
                    let ranking = contrast?.ranking(view) ?? scores.ranking(view)
                    let difference = contrast?.scores(.l2)
                    for (rank, f) in ranking.enumerated() {
                        t.integer(rank + 1)
                        t.field(featureNames[f])
                        t.number(scores.meanL2[f])
                        t.number(scores.meanShare[f])
                        for j in 0..<m { t.number(scores.meanSigned?[j * d + f] ?? .nan) }
                        if let versus {
                            t.field(versus.name)
                            t.number(versus.scores.meanL2[f])
                            for j in 0..<m { t.number(versus.scores.meanSigned?[j * d + f] ?? .nan) }
                            for j in 0..<m {
                                t.number((scores.meanSigned?[j * d + f] ?? .nan) - (versus.scores.meanSigned?[j * d + f] ?? .nan))
                            }
                            t.number(difference?[f] ?? .nan)
                        }
                        t.endLine()
                    }
                    return t.bytes
                })
        }
        let features = scores == nil ? "" : " and \(featureNames.count) \(space.title)" + (versus.map { " vs \($0.name)" } ?? "")
        return ScreenSave(
            stem: "glassbox-selection-\(label(fileLabel ?? name))", files: files, what: "\(name): \(rows.count) samples\(features)")
    }

    /// C_B − C_A, ranked as shown, with both samples' contributions and ids.
    static func comparison(
        _ c: SpaceContrast, tables: (a: ContributionTable, b: ContributionTable), idA: String, idB: String,
        space: FeatureSpace, view: SampleView, names: [String]
    ) -> ScreenSave {
        let m = c.a.outputCount
        let (tableA, tableB) = tables
        let file = File(suffix: "", rows: c.table.columnCount) {
            var t = CSVText()
            header(
                &t,
                ["rank", space.noun, "delta_l2"] + components(m, "delta_contribution_") + components(m, "a_contribution_")
                    + components(m, "b_contribution_") + ["id_a", "id_b", "row_a", "row_b"])
            let l2 = c.table.l2
            for (rank, f) in c.table.ranking(view.contributionView).enumerated() {
                t.integer(rank + 1)
                t.field(names[f])
                t.number(l2[f])
                for j in 0..<m { t.number(c.table.value(component: j, feature: f)) }
                for j in 0..<m { t.number(tableA.value(component: j, feature: f)) }
                for j in 0..<m { t.number(tableB.value(component: j, feature: f)) }
                t.field(idA)
                t.field(idB)
                t.integer(c.a.row)
                t.integer(c.b.row)
                t.endLine()
            }
            return t.bytes
        }
        return ScreenSave(
            stem: "glassbox-compare-\(label(idA))-vs-\(label(idB))", files: [file],
            what: "B \(idB) vs A \(idA): \(c.table.columnCount) \(space.title)")
    }

    /// Every sample's reconstruction error, its place in the report's worst list, and its
    /// status: `ok`, `non-finite` (a NaN or infinity in z, J·u or C) or `not computed` yet.
    static func verification(errors: [Float], worst: [Int], nonFinite: [Int], ids: [String]) -> ScreenSave {
        let place = Dictionary(worst.enumerated().map { ($0.element, $0.offset + 1) }, uniquingKeysWith: { first, _ in first })
        let bad = Set(nonFinite)
        let file = File(suffix: "", rows: errors.count) {
            var t = CSVText()
            header(&t, ["id", "row", "error", "worst_rank", "status"])
            for (i, e) in errors.enumerated() {
                t.field(ids[i])
                t.integer(i)
                if e.isNaN { t.field("") } else { t.number(e) }
                if let p = place[i] { t.integer(p) } else { t.field("") }
                t.field(bad.contains(i) ? "non-finite" : e.isNaN ? "not computed" : "ok")
                t.endLine()
            }
            return t.bytes
        }
        return ScreenSave(
            stem: "glassbox-verification-\(errors.count)rows", files: [file],
            what: "verification: \(errors.count) samples' errors, \(worst.count) listed worst, \(nonFinite.count) not finite")
    }

    /// The groups overview: each label's size and its top features (or sets: `noun`) by mean L2.
    static func groups(_ rows: [GroupsOverview.Row], noun: String = "feature") -> ScreenSave {
        let file = File(suffix: "", rows: rows.reduce(0) { $0 + $1.top.count }) {
            var t = CSVText()
            header(&t, ["label", "n_samples", "n_computed", "rank", noun, "mean_l2"])
            for r in rows {
                for (rank, top) in r.top.enumerated() {
                    t.field(r.label)
                    t.integer(r.size)
                    t.integer(r.covered)
                    t.integer(rank + 1)
                    t.field(top.name)
                    t.number(top.meanL2)
                    t.endLine()
                }
            }
            return t.bytes
        }
        return ScreenSave(stem: "glassbox-groups", files: [file], what: "groups overview: \(rows.count) labels")
    }

    /// annotations.csv: `id,annotation`, one row per sample. A sample in several kept
    /// selections gets their names in the order they were kept, joined with ";"; a sample in
    /// none an empty annotation (NaN in pandas). Load it with
    /// `adata.obs["glassbox"] = pd.read_csv("annotations.csv", index_col="id")["annotation"]`.
    static func annotations(_ kept: [(name: String, rows: [Int32])], ids: [String]) -> ScreenSave {
        let file = File(suffix: "", rows: ids.count) {
            var names = [[Int]](repeating: [], count: ids.count)
            for (k, selection) in kept.enumerated() { for r in selection.rows { names[Int(r)].append(k) } }
            var t = CSVText()
            header(&t, ["id", "annotation"])
            for (i, id) in ids.enumerated() {
                t.field(id)
                t.field(names[i].map { kept[$0].name }.joined(separator: String(KeptNames.separator)))
                t.endLine()
            }
            return t.bytes
        }
        let annotated = Set(kept.flatMap(\.rows)).count
        return ScreenSave(
            stem: "annotations", files: [file],
            what: "\(kept.count) kept selection\(kept.count == 1 ? "" : "s") as annotations of \(annotated) of \(ids.count) samples",
            plainName: true)
    }
}

/// Where saved files go: the working directory, under a name no file has yet — never over one.
/// Each file is written under a hidden temporary name and linked to its final name (link(2)
/// fails rather than replace), so a name never shows a half-written file.
enum ScreenFiles {
    /// Writes `save`'s files; returns their names.
    static func write(_ save: ScreenSave, in directory: URL) throws -> [String] {
        let contents = save.files.map { $0.build() }
        var temporaries: [URL] = []
        defer { for t in temporaries { try? FileManager.default.removeItem(at: t) } }
        for (i, bytes) in contents.enumerated() {
            let temporary = directory.appendingPathComponent(
                ".glassbox-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)-\(i).tmp")
            guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: directory.path])
            }
            temporaries.append(temporary)
        }
        var n = 1
        while n < 100_000 {
            let names = save.files.map { name(save, suffix: $0.suffix, number: n) }
            if try linkAll(temporaries, to: names.map { directory.appendingPathComponent($0) }) { return names }
            n += 1
        }
        throw CocoaError(.fileWriteFileExists)
    }

    static func name(_ save: ScreenSave, suffix: String, number n: Int) -> String {
        if save.plainName { return n == 1 ? "\(save.stem)\(suffix).csv" : "\(save.stem)-\(n)\(suffix).csv" }
        return "\(save.stem)-\(n)\(suffix).csv"
    }

    /// Links every temporary to its name, or none: false when a name is taken.
    private static func linkAll(_ temporaries: [URL], to targets: [URL]) throws -> Bool {
        var made: [URL] = []
        for (temporary, target) in zip(temporaries, targets) {
            if link(temporary.path, target.path) != 0 {
                let error = errno
                for m in made { try? FileManager.default.removeItem(at: m) }
                if error == EEXIST { return false }
                throw POSIXError(POSIXErrorCode(rawValue: error) ?? .EIO)
            }
            made.append(target)
        }
        return true
    }
}
