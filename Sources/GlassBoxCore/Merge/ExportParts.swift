import Foundation

/// The exports `glassbox merge` combines: each part's statistics, checked to come from one model,
/// one data file and the same settings, and to cover the data's rows exactly once.
struct ExportParts {
    struct Part {
        var url: URL
        /// How messages name it: the path as given.
        var name: String
        var summary: ExportSummary
    }

    /// In row order.
    let parts: [Part]

    /// Reads the parts at `urls` (any order) and checks them; with `partial`, their rows need
    /// not start at 0 nor reach the end of the data.
    init(_ urls: [URL], partial: Bool = false) throws {
        guard !urls.isEmpty else { throw InputError(file: "merge", message: "no parts given, expected one or more export directories") }
        var parts = try urls.map { url in
            let name = url.relativePath
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw InputError(file: name, message: "no such directory")
            }
            guard isDirectory.boolValue else { throw InputError(file: name, message: "is not a directory, expected a glassbox export") }
            return Part(url: url.standardizedFileURL, name: name, summary: try PartStatistics.read(url, name: name))
        }
        try Self.checkAgreement(parts)
        parts.sort { ($0.summary.rows.lowerBound, $0.summary.rows.upperBound) < ($1.summary.rows.lowerBound, $1.summary.rows.upperBound) }
        try Self.checkCoverage(parts, partial: partial)
        self.parts = parts
    }

    // MARK: Same model, data and settings

    /// One thing every part must agree on: its name in messages, and its value per part (nil:
    /// not recorded — compared only among the parts that record it, unless `required`).
    private struct Property {
        var what: String
        var required: Bool
        var value: (ExportSummary) -> String?
    }

    private static let properties: [Property] = [
        Property(what: "model (model_sha256)", required: true) { $0.identity.modelSHA256 },
        Property(what: "data file size (data_size)", required: true) { $0.identity.dataStamp.map { String($0.size) } },
        Property(what: "data file modification time (data_modified)", required: true) { $0.identity.dataStamp?.modified },
        Property(what: "data columns (data_columns_sha256)", required: true) { $0.identity.dataColumnsSHA256 },
        Property(what: "data file SHA-256 (data_sha256)", required: false) { $0.identity.dataSHA256 },
        Property(what: "data row count (data_rows)", required: false) { $0.dataRows.map(String.init) },
        Property(what: "glassbox version", required: true) { $0.identity.version },
        Property(what: "--precision", required: true) { $0.settings.precision.rawValue },
        Property(what: "--tolerance", required: true) { "\($0.settings.tolerance)" },
        Property(what: "--top", required: true) { "\($0.settings.topK)" },
        Property(what: "--format", required: true) { $0.settings.format.rawValue },
        Property(what: "--plots", required: true) { $0.settings.plots ? "with --plots" : "without --plots" },
        Property(what: "worst-sample count", required: true) { "\($0.settings.worstCount)" },
        Property(what: "embedding dimensions", required: true) { "\($0.outputCount)" },
        Property(what: "PCA components", required: true) { $0.pcaCount.map(String.init) ?? "none" },
        Property(what: "feature names", required: true) { $0.featureNames.joined(separator: "\u{0}") },
        Property(what: "per-sample files", required: true) { $0.dataFiles.map(\.name).joined(separator: ", ") },
        Property(what: "feature sets (--feature-sets)", required: true) { s in
            s.sets.map { t in
                ([t.table.sha256 ?? t.table.file] + t.table.names.indices.map { "\(t.table.names[$0]) \(t.table.found[$0])" })
                    .joined(separator: "\u{0}")
            } ?? "none"
        },
    ]

    /// Throws naming the part that differs from the others (the majority; with a tie, the
    /// first part given) in any property.
    private static func checkAgreement(_ parts: [Part]) throws {
        for property in properties {
            let values = parts.map { property.value($0.summary) }
            if property.required, let missing = values.firstIndex(where: { $0 == nil }) {
                throw InputError(
                    file: parts[missing].name,
                    message: "records no \(property.what) (exported without provenance?), so it cannot be "
                        + "checked against the other parts; export it again with glassbox export")
            }
            var count: [String: Int] = [:]
            for case let v? in values { count[v, default: 0] += 1 }
            guard count.count > 1 else { continue }
            // The majority's value is taken as right (with a tie, the earliest part's).
            let top = count.values.max()!
            let majority = values.compactMap { $0 }.first { count[$0] == top }!
            let odd = parts.indices.filter { values[$0].map { $0 != majority } ?? false }
            let agreeing = parts.indices.filter { values[$0] == majority }
            func shown(_ s: String) -> String {
                let flat = s.replacingOccurrences(of: "\u{0}", with: ", ")
                return DisplaySafe.text(flat.count > 40 ? String(flat.prefix(40)) + "…" : flat)
            }
            let there = agreeing.count == 1 ? parts[agreeing[0]].name : "the other \(agreeing.count) parts"
            let also = odd.count > 1 ? " (as do \(odd.dropFirst().map { parts[$0].name }.joined(separator: ", ")))" : ""
            throw InputError(
                file: parts[odd[0]].name,
                message: "differs from \(there)\(also) in its \(property.what): "
                    + "\(shown(values[odd[0]]!)) here, \(shown(majority)) there; "
                    + "parts must come from one model, one data file and the same settings")
        }
    }

    // MARK: Rows covered exactly once

    private static func checkCoverage(_ sorted: [Part], partial: Bool) throws {
        let dataRows = sorted.compactMap(\.summary.dataRows).first
        var problems: [String] = []
        var covered = partial ? sorted[0].summary.rows.lowerBound : 0
        var last: Part?
        for part in sorted {
            let r = part.summary.rows
            if r.lowerBound > covered {
                problems.append("rows \(covered):\(r.lowerBound) missing: no part covers them")
            } else if let last, r.lowerBound < covered {
                let lr = last.summary.rows
                problems.append(
                    "rows \(r.lowerBound):\(min(covered, r.upperBound)) are in two parts: \(last.name) (rows \(lr.lowerBound):\(lr.upperBound)) "
                        + "and \(part.name) (rows \(r.lowerBound):\(r.upperBound))")
            }
            if r.upperBound > covered {
                covered = r.upperBound
                last = part
            }
        }
        if !partial {
            if let dataRows {
                if covered < dataRows { problems.append("rows \(covered):\(dataRows) missing: no part covers them") }
            } else {
                // A CSV's row count is known to the part that read to its end.
                problems.append(
                    "rows \(covered):(end) missing: no part covers them — none read to the end of the data, so its row count is unknown")
            }
        }
        guard problems.isEmpty else { throw MergeCoverageError(problems: problems, dataRows: dataRows) }
    }

    // MARK: The merged totals

    /// The parts' statistics added up in row order, as one export of all their rows would have
    /// them; `codes[p][g]` is part p's group g in the merged groups.
    func merged() -> (summary: ExportSummary, codes: [[Int32]]) {
        var s = parts[0].summary
        s.rows = s.rows.lowerBound..<parts.last!.summary.rows.upperBound
        s.dataRows = parts.compactMap(\.summary.dataRows).first
        // The whole file's digest only when every part has it.
        if parts.contains(where: { $0.summary.identity.dataSHA256 == nil }) { s.identity.dataSHA256 = nil }
        s.rowsHash = RowsHash()
        s.verification = VerificationAccumulator()
        s.groups = [:]
        s.sets?.groups = [:]
        s.sets?.partition = VerificationAccumulator()
        // Groups in order of first appearance along the rows — the order one reader of the whole
        // file gives them (each part lists those of its own rows, in that order).
        var categories: [String] = [], index: [String: Int32] = [:]
        var codes: [[Int32]] = []
        var worst = WorstSamples(limit: s.settings.worstCount)
        var nonFinite: NonFiniteDiagnosis?
        var samples = 0
        for part in parts {
            let p = part.summary
            if let labels = p.categories {
                codes.append(
                    labels.map { label in
                        if let c = index[label] { return c }
                        let c = Int32(categories.count)
                        index[label] = c
                        categories.append(label)
                        return c
                    })
            } else {
                codes.append([0])
            }
            for (g, sums) in p.groups.sorted(by: { $0.key < $1.key }) {
                s.groups[Int(codes.last![g]), default: FeatureSums(outputCount: s.outputCount, featureCount: s.featureNames.count)].merge(
                    sums)
            }
            if let partSets = p.sets, s.sets != nil {
                for (g, sums) in partSets.groups.sorted(by: { $0.key < $1.key }) {
                    s.sets!.groups[
                        Int(codes.last![g]), default: FeatureSums(outputCount: s.outputCount, featureCount: partSets.table.count)
                    ].merge(sums)
                }
                s.sets!.partition.merge(partSets.partition.shifted(by: samples))
            }
            s.verification.merge(p.verification.shifted(by: samples))
            if let d = p.nonFinite {
                var merged = nonFinite ?? NonFiniteDiagnosis(precision: d.precision)
                merged.append(d, offset: samples)
                nonFinite = merged
            }
            s.rowsHash.add(p.rowsHash)
            for w in p.worst { worst.add(row: samples + w.sample, id: w.id, error: w.error) }
            samples += p.sampleCount
        }
        s.categories = s.labelColumn == nil ? nil : categories
        s.nonFinite = nonFinite
        s.worst = worst.entries.map { ExportSummary.WorstSample(sample: $0.row, id: $0.id, error: $0.error) }
        s.extraProvenance = [
            (
                "merged_from",
                .list(
                    parts.map { part in
                        .dict([
                            ("part", .string(part.name)),
                            ("rows", .list([.int(part.summary.rows.lowerBound), .int(part.summary.rows.upperBound)])),
                        ])
                    })
            )
        ]
        return (s, codes)
    }
}

/// The parts leave rows uncovered, or cover some twice: every such range, one per line.
public struct MergeCoverageError: Error, CustomStringConvertible {
    public var problems: [String]
    public var dataRows: Int?

    public var description: String {
        let whole = dataRows.map { "the data's \($0) rows" } ?? "the rows"
        return "the parts do not cover \(whole) exactly once:\n" + problems.map { "  " + $0 }.joined(separator: "\n")
    }
}
