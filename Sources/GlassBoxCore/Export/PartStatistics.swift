import Foundation

/// `statistics.json` and `group_sums.npy`: what every export records so that exports of
/// consecutive row ranges (the parts of a split export) merge exactly into the export of
/// them all — sums, counts, extremes and the worst samples, from which groups.csv,
/// verification.json and the plots are recomputed (README: "The statistics files").
///
/// statistics.json holds one object (numbers as shortest round-trip decimals; an infinite or
/// NaN double as the string `"inf"`, `"-inf"` or `"nan"`):
///
/// - `statistics_format` `"glassbox-part-statistics"`, `format_version` 1, `glassbox_version`;
/// - `rows` [A, B]: the data rows read; `data_rows`: rows in the whole data, or null when
///   unknown (a CSV's count is known once read to its end);
/// - the inputs: `model_file`, `model_sha256`, `data_file`, `data_size`, `data_modified`,
///   `data_columns_sha256`, `data_rows_hash` (additive: the parts' add up to the whole's),
///   `data_sha256` (with `--hash-data`), any of them null when not recorded;
/// - the settings: `precision`, `tolerance`, `top_k`, `format` (of the contributions: npy or
///   csv), `plots`, `worst_count`;
/// - the shape: `outputs` (m), `pca_components` (or null), `feature_names` (d, model order),
///   `id_column`, `label_column`;
/// - `groups`: per group code, `{"label", "samples"}` (one group with label null without a
///   label column); group_sums.npy's first axis follows this order;
/// - `verification`: `samples` (B − A, less rows left out by `--missing drop`), `values`
///   (samples × m), `z_min`, `z_max`,
///   `reconstruction_min`, `reconstruction_max`, `max_error`, `sum_error` (Σ |z − J·x|),
///   `max_abs_z`, `non_finite` (samples with a NaN or infinity, left out of the rest) and
///   `non_finite_rows` (their sample indices);
/// - `non_finite` (only when there are such samples): `rows`, `ids`, `input_rows` (those whose
///   input holds a NaN or infinity) and `double_precision_checked` / `_finite` (how many
///   overflowed samples were computed again in double precision, and came out finite);
/// - `worst`: the `worst_count` samples with the largest reconstruction error,
///   `{"sample", "id", "error"}` (`sample`: the index in this export), largest first;
/// - `files`: the per-sample files `{"name", "bytes"}` in the order written;
/// - `data_title`: the data file as the plots name it;
/// - `feature_sets`: null, or with `--feature-sets` `{"file", "sha256", "feature_count",
///   "overlapping_features", "sets": [{"name", "description", "size", "members_found"}, …]
///   (sets.csv's rows, the remainder last), "partition": {…}}` — the partition check's totals,
///   with the fields of `verification` (the sums over sets in the place of J·x).
///
/// group_sums.npy is float64 of shape (groups, 1 + m, d): `[g, 0, f]` is the sum over group g's
/// samples of ‖C[i, :, f]‖₂, `[g, 1 + j, f]` the sum of C[i, j, f]. With feature sets,
/// group_set_sums.npy is the same of the set contributions: (groups, 1 + m, sets).
enum PartStatistics {
    static let file = ExportFile.statistics.name
    static let format = "glassbox-part-statistics"
    static let formatVersion = 1
    static let maxBytes = 1 << 30

    // MARK: Writing

    static func json(_ s: ExportSummary) -> String {
        func string(_ v: String?) -> String { v.map(JSONText.quote) ?? "null" }
        func int(_ v: Int?) -> String { v.map(String.init) ?? "null" }
        let i = s.identity
        var fields: [(String, String)] = [
            ("statistics_format", JSONText.quote(format)), ("format_version", "\(formatVersion)"), ("glassbox_version", string(i.version)),
            ("rows", "[\(s.rows.lowerBound), \(s.rows.upperBound)]"), ("data_rows", int(s.dataRows)),
            ("model_file", string(i.modelFile)), ("model_sha256", string(i.modelSHA256)),
            ("data_file", JSONText.quote(i.dataFile)), ("data_size", int(i.dataStamp?.size)),
            ("data_modified", string(i.dataStamp?.modified)),
            ("data_columns_sha256", JSONText.quote(i.dataColumnsSHA256)), ("data_rows_hash", JSONText.quote(s.rowsHash.hex)),
            ("data_sha256", string(i.dataSHA256)),
            ("precision", JSONText.quote(s.settings.precision.rawValue)), ("tolerance", number(s.settings.tolerance)),
            ("top_k", "\(s.settings.topK)"), ("format", JSONText.quote(s.settings.format.rawValue)),
            ("plots", "\(s.settings.plots)"), ("worst_count", "\(s.settings.worstCount)"),
            ("outputs", "\(s.outputCount)"), ("pca_components", int(s.pcaCount)),
            ("id_column", string(s.idColumn)), ("label_column", string(s.labelColumn)),
        ]
        fields.append(("feature_names", "[" + s.featureNames.map(JSONText.quote).joined(separator: ", ") + "]"))
        let groups = (0..<s.groupCount).map { g in
            "{\"label\": \(string(s.categories?[g])), \"samples\": \(s.groups[g]?.count ?? 0)}"
        }
        fields.append(("groups", "[" + groups.joined(separator: ", ") + "]"))
        fields.append(("verification", json(s.verification.state)))
        if let d = s.nonFinite {
            fields.append(
                (
                    "non_finite",
                    "{"
                        + [
                            ("rows", "[" + d.rows.map(String.init).joined(separator: ", ") + "]"),
                            ("ids", "[" + d.ids.map(JSONText.quote).joined(separator: ", ") + "]"),
                            ("input_rows", "[" + d.inputRows.map(String.init).joined(separator: ", ") + "]"),
                            ("double_precision_checked", int(d.doubleCheck?.checked)),
                            ("double_precision_finite", int(d.doubleCheck?.finite)),
                        ].map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
                ))
        }
        fields.append(
            (
                "worst",
                "["
                    + s.worst.map { "{\"sample\": \($0.sample), \"id\": \(JSONText.quote($0.id)), \"error\": \(number($0.error))}" }
                    .joined(separator: ", ") + "]"
            ))
        fields.append(
            (
                "files",
                "["
                    + s.dataFiles.map { "{\"name\": \(JSONText.quote($0.name)), \"bytes\": \($0.size)}" }
                    .joined(separator: ", ") + "]"
            ))
        fields.append(("data_title", JSONText.quote(s.dataTitle)))
        fields.append(("feature_sets", s.sets.map(json) ?? "null"))
        return "{\n" + fields.map { "  \(JSONText.quote($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    /// A verification accumulator's totals, as `verification` (and `feature_sets.partition`) hold them.
    private static func json(_ v: VerificationAccumulator.State) -> String {
        "{"
            + [
                ("samples", "\(v.sampleCount)"), ("values", "\(v.entries)"),
                ("z_min", number(v.zMin)), ("z_max", number(v.zMax)),
                ("reconstruction_min", number(v.reconstructionMin)), ("reconstruction_max", number(v.reconstructionMax)),
                ("max_error", number(v.maxError)), ("sum_error", number(v.sumError)), ("max_abs_z", number(v.maxAbsZ)),
                ("non_finite", "\(v.nonFiniteCount)"),
                ("non_finite_rows", "[" + v.nonFiniteRows.map(String.init).joined(separator: ", ") + "]"),
            ].map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    private static func json(_ sets: SetSummary) -> String {
        let t = sets.table
        let rows = (0..<t.count).map { s in
            "{\"name\": \(JSONText.quote(t.names[s])), \"description\": \(JSONText.quote(t.descriptions[s])), "
                + "\"size\": \(t.sizes[s]), \"members_found\": \(t.found[s])}"
        }
        return "{\"file\": \(JSONText.quote(t.file)), \"sha256\": \(t.sha256.map(JSONText.quote) ?? "null"), "
            + "\"feature_count\": \(t.featureCount), \"overlapping_features\": \(t.overlappingFeatureCount), "
            + "\"sets\": [" + rows.joined(separator: ", ") + "], \"partition\": \(json(sets.partition.state))}"
    }

    /// Shortest round-trip text; non-finite values as strings (JSON has no literal for them).
    static func number(_ d: Double) -> String {
        if d.isNaN { return "\"nan\"" }
        if d.isInfinite { return d > 0 ? "\"inf\"" : "\"-inf\"" }
        return "\(d)"
    }

    /// group_sums.npy (or, `width` being the sets, group_set_sums.npy) of `groups`.
    static func groupSumsNPY(_ groups: [Int: FeatureSums], groupCount g: Int, outputCount m: Int, width d: Int) -> [UInt8] {
        var values = [Double](repeating: 0, count: g * (1 + m) * d)
        for (code, sums) in groups {
            let base = code * (1 + m) * d
            for f in 0..<d { values[base + f] = sums.l2[f] }
            for e in 0..<(m * d) { values[base + d + e] = sums.signed[e] }
        }
        var bytes = [UInt8](NPY.header(dtype: .float64, shape: [g, 1 + m, d]))
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return bytes
    }

    // MARK: Reading

    /// Reads the statistics of the export in `directory`; `name` is how messages name it.
    static func read(_ directory: URL, name: String) throws -> ExportSummary {
        let path = (name as NSString).appendingPathComponent(file)
        let url = directory.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let isExport = FileManager.default.fileExists(atPath: directory.appendingPathComponent(ExportManifest.file).path)
            throw InputError(
                file: name,
                message: isExport
                    ? "has no \(file): it was exported by an earlier glassbox, which did not record what merging needs; export it again"
                    : "is not a glassbox export (no \(file))")
        }
        let data = try PortableFile.read(url, file: path, limit: maxBytes)
        let root: JSONValue
        do {
            root = try JSONParser.parse(data)
        } catch let failure as JSONParser.Failure {
            let (line, column) = data.withUnsafeBytes { JSONParser.lineAndColumn(of: failure.offset, in: $0) }
            throw InputError(file: path, line: line, column: column, message: DisplaySafe.text(failure.message))
        }
        var reader = Reader(root: root, file: path)
        var s = try reader.summary()
        try readFeatureSums(
            ExportFile.groupSums.name, into: &s.groups, groupCount: s.groupCount, outputCount: s.outputCount,
            width: s.featureNames.count, of: "features", directory: directory, name: name)
        if var sets = s.sets {
            try readFeatureSums(
                ExportFile.groupSetSums.name, into: &sets.groups, groupCount: s.groupCount, outputCount: s.outputCount,
                width: sets.table.count, of: "sets", directory: directory, name: name)
            s.sets = sets
        }
        return s
    }

    /// Fills in the sums of `groups` (their counts read from statistics.json) from the array
    /// `file` of shape (groups, 1 + m, width); `of` names the last axis in messages.
    private static func readFeatureSums(
        _ file: String, into groups: inout [Int: FeatureSums], groupCount g: Int, outputCount m: Int,
        width d: Int, of: String, directory: URL, name: String
    ) throws {
        let path = (name as NSString).appendingPathComponent(file)
        let url = directory.appendingPathComponent(file)
        let expected = g * (1 + m) * d * 8
        let data = try PortableFile.read(url, file: path, limit: expected + 65_536)
        let array = try NPY.parse(data, file: path)
        guard array.dtype == .float64, array.shape == [g, 1 + m, d] else {
            throw InputError(
                file: path,
                message: "holds a \(array.dtype.rawValue) array of shape \(array.shape), expected <f8 of shape [\(g), \(1 + m), \(d)] "
                    + "(groups, 1 + outputs, \(of)) as \(Self.file) describes")
        }
        for (code, sums) in groups {
            var sums = sums
            let base = code * (1 + m) * d
            sums.l2 = Array(array.values[base..<(base + d)])
            sums.signed = Array(array.values[(base + d)..<(base + (1 + m) * d)])
            groups[code] = sums
        }
    }

    /// Reads the fields of statistics.json, each failure naming the field.
    private struct Reader {
        let root: JSONValue
        let file: String

        func fail(_ field: String, _ message: String) -> InputError {
            DisplaySafe.error(InputError(file: file, field: field, message: message))
        }

        func value(_ key: String, in object: JSONValue? = nil, path: String? = nil) throws -> JSONValue {
            guard let v = (object ?? root)[key] else { throw fail(path ?? key, "missing") }
            return v
        }

        func string(_ key: String, in object: JSONValue? = nil, path: String? = nil) throws -> String {
            guard case .string(let s) = try value(key, in: object, path: path) else { throw fail(path ?? key, "expected a string") }
            return s
        }

        func optionalString(_ key: String) throws -> String? {
            let v = try value(key)
            if v == .null { return nil }
            guard case .string(let s) = v else { throw fail(key, "expected a string or null") }
            return s
        }

        func int(_ key: String, in object: JSONValue? = nil, path: String? = nil, minimum: Int = 0) throws -> Int {
            guard case .int(let i) = try value(key, in: object, path: path), i >= minimum else {
                throw fail(path ?? key, "expected an integer ≥ \(minimum)")
            }
            return i
        }

        func optionalInt(_ key: String) throws -> Int? {
            if try value(key) == .null { return nil }
            return try int(key)
        }

        func double(_ key: String, in object: JSONValue? = nil, path: String? = nil) throws -> Double {
            switch try value(key, in: object, path: path) {
            case .int(let i): return Double(i)
            case .double(let d): return d
            case .string("inf"): return .infinity
            case .string("-inf"): return -.infinity
            case .string("nan"): return .nan
            default: throw fail(path ?? key, "expected a number (or \"inf\", \"-inf\", \"nan\")")
            }
        }

        func array(_ key: String, in object: JSONValue? = nil, path: String? = nil) throws -> [JSONValue] {
            guard case .array(let items) = try value(key, in: object, path: path) else { throw fail(path ?? key, "expected an array") }
            return items
        }

        func ints(_ key: String, in object: JSONValue? = nil, path: String? = nil) throws -> [Int] {
            try array(key, in: object, path: path).enumerated().map { k, item in
                guard case .int(let i) = item, i >= 0 else { throw fail("\(path ?? key)[\(k)]", "expected an integer ≥ 0") }
                return i
            }
        }

        /// The part's `non_finite` diagnosis, when it has one.
        func nonFinite(samples n: Int) throws -> NonFiniteDiagnosis? {
            guard let d = root["non_finite"] else { return nil }
            guard let precision = Precision(rawValue: try string("precision")) else {
                throw fail("precision", "expected \"single\" or \"double\"")
            }
            var diagnosis = NonFiniteDiagnosis(precision: precision)
            diagnosis.rows = try ints("rows", in: d, path: "non_finite.rows")
            diagnosis.ids = try array("ids", in: d, path: "non_finite.ids").enumerated().map { k, item in
                guard case .string(let s) = item else { throw fail("non_finite.ids[\(k)]", "expected a string") }
                return s
            }
            diagnosis.inputRows = try ints("input_rows", in: d, path: "non_finite.input_rows")
            guard diagnosis.ids.count == diagnosis.rows.count, diagnosis.rows.allSatisfy({ $0 < n }),
                Set(diagnosis.inputRows).isSubset(of: diagnosis.rows)
            else {
                throw fail("non_finite", "expected as many ids as rows, rows below the part's \(n) samples, and input_rows among them")
            }
            if case .int(let checked)? = d["double_precision_checked"], case .int(let finite)? = d["double_precision_finite"] {
                diagnosis.doubleCheck = (checked, finite)
            }
            return diagnosis
        }

        func summary() throws -> ExportSummary {
            guard case .object = root else { throw fail("(top level)", "expected a JSON object") }
            guard try string("statistics_format") == format else {
                throw fail("statistics_format", "expected \"\(format)\"; this is not a glassbox statistics file")
            }
            let version = try int("format_version")
            guard version == formatVersion else {
                throw fail("format_version", "version \(version) is not supported; this glassbox reads version \(formatVersion)")
            }
            let rowsValue = try array("rows")
            guard rowsValue.count == 2, case .int(let a) = rowsValue[0], case .int(let b) = rowsValue[1], 0 <= a, a < b else {
                throw fail("rows", "expected [A, B] with 0 ≤ A < B")
            }
            let dataRows = try optionalInt("data_rows")
            if let dataRows, b > dataRows { throw fail("rows", "ends at \(b), past the data's \(dataRows) rows") }

            guard let precision = Precision(rawValue: try string("precision")) else {
                throw fail("precision", "expected \"single\" or \"double\"")
            }
            guard let contributionFormat = ContributionFormat(rawValue: try string("format")) else {
                throw fail("format", "expected \"npy\" or \"csv\"")
            }
            guard case .bool(let plots) = try value("plots") else { throw fail("plots", "expected true or false") }
            let settings = ExportSettings(
                precision: precision, tolerance: try double("tolerance"), topK: try int("top_k", minimum: 1),
                format: contributionFormat, plots: plots, worstCount: try int("worst_count"))

            let size = try optionalInt("data_size"), modified = try optionalString("data_modified")
            let columns = try string("data_columns_sha256")
            guard let rowsHash = RowsHash(hex: try string("data_rows_hash")) else {
                throw fail("data_rows_hash", "expected 64 lowercase hex digits")
            }
            let identity = InputIdentity(
                modelFile: try optionalString("model_file"), modelSHA256: try optionalString("model_sha256"),
                dataFile: try string("data_file"),
                dataStamp: size.flatMap { s in modified.map { FileStamp(size: s, modified: $0) } },
                dataColumnsSHA256: columns, dataSHA256: try optionalString("data_sha256"),
                version: try optionalString("glassbox_version"))

            let m = try int("outputs", minimum: 1)
            let pca = try optionalInt("pca_components")
            let names = try array("feature_names").enumerated().map { i, v -> String in
                guard case .string(let s) = v else { throw fail("feature_names[\(i)]", "expected a string") }
                return s
            }
            guard !names.isEmpty else { throw fail("feature_names", "expected at least one feature") }
            let d = names.count

            let groupItems = try array("groups")
            var labels: [String] = [], hasLabels = false
            var groups: [Int: FeatureSums] = [:]
            for (g, item) in groupItems.enumerated() {
                let label = try value("label", in: item, path: "groups[\(g)].label")
                switch label {
                case .string(let s): labels.append(s); hasLabels = true
                case .null: guard groupItems.count == 1 else { throw fail("groups[\(g)].label", "expected a string") }
                default: throw fail("groups[\(g)].label", "expected a string")
                }
                let count = try int("samples", in: item, path: "groups[\(g)].samples")
                if count > 0 {
                    var sums = FeatureSums(outputCount: m, featureCount: d)
                    sums.count = count
                    groups[g] = sums
                }
            }
            guard !groupItems.isEmpty else { throw fail("groups", "expected at least one group") }
            let labelColumn = try optionalString("label_column")
            guard hasLabels == (labelColumn != nil) else {
                throw fail(
                    "groups", labelColumn == nil ? "labelled groups without a label_column" : "one unlabelled group with a label_column")
            }

            let state = try accumulator(try value("verification"), path: "verification")
            let n = state.sampleCount
            guard state.nonFiniteRows.count == state.nonFiniteCount, state.nonFiniteRows.allSatisfy({ $0 < n }) else {
                throw fail("verification.non_finite_rows", "expected \(state.nonFiniteCount) rows, each below the part's \(n) samples")
            }
            guard n <= b - a, state.entries == (n - state.nonFiniteCount) * m else {
                throw fail(
                    "verification",
                    "counts \(n) samples and \(state.entries) values, expected at most the \(b - a) rows \(a):\(b), and \(m) values each")
            }
            guard groups.values.reduce(0, { $0 + $1.count }) == n - state.nonFiniteCount else {
                throw fail(
                    "groups",
                    "the groups' samples add up to \(groups.values.reduce(0) { $0 + $1.count }), expected the \(n - state.nonFiniteCount) finite ones of verification.samples"
                )
            }

            let worst = try array("worst").enumerated().map { k, item -> ExportSummary.WorstSample in
                let sample = try int("sample", in: item, path: "worst[\(k)].sample")
                guard sample < n else { throw fail("worst[\(k)].sample", "sample \(sample) is past this part's \(n) samples") }
                return ExportSummary.WorstSample(
                    sample: sample, id: try string("id", in: item, path: "worst[\(k)].id"),
                    error: try double("error", in: item, path: "worst[\(k)].error"))
            }
            let files = try array("files").enumerated().map { k, item -> (name: String, size: Int) in
                let name = try string("name", in: item, path: "files[\(k)].name")
                guard ExportFile.perSampleNames.contains(name) else {
                    throw fail("files[\(k)].name", "'\(name)' is not a per-sample file an export writes")
                }
                return (name, try int("bytes", in: item, path: "files[\(k)].bytes"))
            }
            return ExportSummary(
                rows: a..<b, dataRows: dataRows, settings: settings, identity: identity, rowsHash: rowsHash,
                outputCount: m, pcaCount: pca, featureNames: names, idColumn: try optionalString("id_column"),
                labelColumn: labelColumn, categories: hasLabels ? labels : nil, groups: groups,
                verification: VerificationAccumulator(state: state), nonFinite: try nonFinite(samples: n),
                worst: worst, dataFiles: files, dataTitle: try string("data_title"),
                sets: try sets(groups: groups, outputCount: m, featureCount: d, samples: n))
        }

        /// A verification accumulator's totals at `path`.
        func accumulator(_ v: JSONValue, path: String) throws -> VerificationAccumulator.State {
            func vd(_ key: String) throws -> Double { try double(key, in: v, path: "\(path).\(key)") }
            return VerificationAccumulator.State(
                zMin: try vd("z_min"), zMax: try vd("z_max"), reconstructionMin: try vd("reconstruction_min"),
                reconstructionMax: try vd("reconstruction_max"), maxError: try vd("max_error"), sumError: try vd("sum_error"),
                maxAbsZ: try vd("max_abs_z"), entries: try int("values", in: v, path: "\(path).values"),
                sampleCount: try int("samples", in: v, path: "\(path).samples"),
                nonFiniteCount: try int("non_finite", in: v, path: "\(path).non_finite"),
                nonFiniteRows: try ints("non_finite_rows", in: v, path: "\(path).non_finite_rows"))
        }

        /// `feature_sets` (absent or null: no sets); the sums per group follow from group_set_sums.npy.
        func sets(groups: [Int: FeatureSums], outputCount m: Int, featureCount d: Int, samples n: Int) throws -> SetSummary? {
            guard let object = root["feature_sets"], object != .null else { return nil }
            guard case .object = object else { throw fail("feature_sets", "expected an object or null") }
            guard case .array(let items) = try value("sets", in: object, path: "feature_sets.sets"), items.count >= 2 else {
                throw fail("feature_sets.sets", "expected an array of the sets and the remainder")
            }
            var table = SetTable(
                file: try string("file", in: object, path: "feature_sets.file"), sha256: nil, names: [], descriptions: [],
                sizes: [], found: [], featureCount: try int("feature_count", in: object, path: "feature_sets.feature_count"),
                overlappingFeatureCount: try int("overlapping_features", in: object, path: "feature_sets.overlapping_features"))
            switch try value("sha256", in: object, path: "feature_sets.sha256") {
            case .null: break
            case .string(let digest): table.sha256 = digest
            default: throw fail("feature_sets.sha256", "expected a string or null")
            }
            guard table.featureCount == d else {
                throw fail("feature_sets.feature_count", "is \(table.featureCount), expected the \(d) features")
            }
            for (k, item) in items.enumerated() {
                let at = "feature_sets.sets[\(k)]"
                table.names.append(try string("name", in: item, path: "\(at).name"))
                table.descriptions.append(try string("description", in: item, path: "\(at).description"))
                table.sizes.append(try int("size", in: item, path: "\(at).size"))
                let found = try int("members_found", in: item, path: "\(at).members_found")
                guard found <= d else { throw fail("\(at).members_found", "is \(found), more than the \(d) features") }
                table.found.append(found)
            }
            guard table.names.last == FeatureSets.remainderName else {
                throw fail("feature_sets.sets", "expected the remainder '\(FeatureSets.remainderName)' last")
            }
            let partition = try accumulator(
                try value("partition", in: object, path: "feature_sets.partition"), path: "feature_sets.partition")
            guard partition.sampleCount == (table.isDisjoint ? n : 0),
                partition.entries == (partition.sampleCount - partition.nonFiniteCount) * m
            else {
                throw fail(
                    "feature_sets.partition",
                    "counts \(partition.sampleCount) samples and \(partition.entries) values, expected "
                        + (table.isDisjoint ? "the \(n) samples and \(m) values each" : "none: the sets overlap"))
            }
            var setGroups: [Int: FeatureSums] = [:]
            for (code, sums) in groups {
                var s = FeatureSums(outputCount: m, featureCount: table.count)
                s.count = sums.count
                setGroups[code] = s
            }
            return SetSummary(table: table, groups: setGroups, partition: VerificationAccumulator(state: partition))
        }
    }
}
