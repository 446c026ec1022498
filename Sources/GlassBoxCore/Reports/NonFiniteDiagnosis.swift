/// Why samples came out NaN or infinite: their input already was, or the arithmetic
/// overflowed — in float32 a value near 3e38 (Float.greatestFiniteMagnitude ≈ 3.4e38) does
/// after centering or the first layer. For overflow, a few of them are computed again in
/// double precision, so the report suggests `--precision double` only where it helps.
public struct NonFiniteDiagnosis: Sendable, Equatable {
    /// The non-finite samples' rows (in the export: its sample indices), ascending.
    public var rows: [Int] = []
    /// Their ids, in the same order.
    public var ids: [String] = []
    /// Those whose input row itself holds a NaN or infinity.
    public var inputRows: [Int] = []
    /// The precision of the run.
    public var precision: Precision
    /// With overflow in single precision: how many were computed again in double, and how
    /// many of those came out finite.
    public var doubleCheck: (checked: Int, finite: Int)?

    static let doubleCheckLimit = 32

    public static func == (a: Self, b: Self) -> Bool {
        a.rows == b.rows && a.ids == b.ids && a.inputRows == b.inputRows && a.precision == b.precision
            && a.doubleCheck?.checked == b.doubleCheck?.checked && a.doubleCheck?.finite == b.doubleCheck?.finite
    }

    /// No sample diagnosed yet.
    public init(precision: Precision) {
        self.precision = precision
    }

    /// Diagnoses `rows` of `dataset`, nil when there are none. `contributions`: whether the
    /// run computed C (then the double-precision check does too).
    public init?(rows: [Int], model: GlassBoxModel, dataset: Dataset, precision: Precision, contributions: Bool) throws {
        guard !rows.isEmpty else { return nil }
        self.init(precision: precision)
        try add(rows: rows, of: dataset, at: 0, model: model, contributions: contributions)
    }

    /// Adds non-finite samples found in `dataset` (one window of the data): `rows` are its
    /// rows, which are `base + row` in the whole run.
    public mutating func add(rows: [Int], of dataset: Dataset, at base: Int, model: GlassBoxModel, contributions: Bool) throws {
        guard !rows.isEmpty else { return }
        self.rows += rows.map { base + $0 }
        ids += rows.map { dataset.ids[$0] }
        var bad = Set<Int>()
        for row in rows where try dataset.matrix.row(row).contains(where: { !$0.isFinite }) { bad.insert(row) }
        inputRows += rows.filter { bad.contains($0) }.map { base + $0 }
        let overflowed = rows.filter { !bad.contains($0) }
        guard precision == .single, !overflowed.isEmpty else { return }
        let room = Self.doubleCheckLimit - (doubleCheck?.checked ?? 0)
        guard room > 0 else { return }
        let engine = ContributionEngine<Double>(model: model)
        let outputs: EngineOutputs = contributions ? [.contributions, .pcaContributions] : []
        let checked = Array(overflowed.prefix(room))
        var finite = 0
        for row in checked {
            var verification = VerificationAccumulator()
            verification.add(try engine.compute(dataset.matrix, rows: row..<(row + 1), origin: dataset.firstRow, outputs: outputs))
            if verification.result.nonFiniteCount == 0 { finite += 1 }
        }
        doubleCheck = ((doubleCheck?.checked ?? 0) + checked.count, (doubleCheck?.finite ?? 0) + finite)
    }

    /// Whether any sample was diagnosed.
    public var isEmpty: Bool { rows.isEmpty }

    /// Adds another run's diagnosis whose rows start at `offset` in this one (merging parts).
    public mutating func append(_ other: NonFiniteDiagnosis, offset: Int) {
        rows += other.rows.map { $0 + offset }
        ids += other.ids
        inputRows += other.inputRows.map { $0 + offset }
        if let check = other.doubleCheck {
            doubleCheck = ((doubleCheck?.checked ?? 0) + check.checked, (doubleCheck?.finite ?? 0) + check.finite)
        }
    }

    var overflowCount: Int { rows.count - inputRows.count }

    /// One sentence on the cause and what to do.
    public var explanation: String {
        var parts: [String] = []
        if !inputRows.isEmpty {
            parts.append("\(Self.samples(inputRows.count)) NaN or infinite input values")
        }
        if overflowCount > 0 {
            var text = "\(Self.samples(overflowCount)) finite input, but "
            if precision == .double {
                text += "even float64 arithmetic overflowed"
            } else {
                text += "float32 arithmetic overflowed (its largest value is 3.4e38)"
                if let check = doubleCheck {
                    if check.finite == 0 {
                        text += "; --precision double does not help"
                    } else if check.finite < check.checked {
                        text += ": --precision double gives finite results for \(check.finite) of the \(check.checked) checked"
                    } else if check.checked < overflowCount {
                        text += ": --precision double gives finite results (checked on \(check.checked) of them)"
                    } else {
                        text += ": --precision double gives finite results for \(overflowCount == 1 ? "it" : "them")"
                    }
                }
            }
            parts.append(text)
        }
        return parts.joined(separator: "; ")
    }

    private static func samples(_ n: Int) -> String {
        n == 1 ? "1 sample has" : "\(n) samples have"
    }

    /// The JSON object verification.json holds under "non_finite".
    var json: String {
        var fields = [
            "\"count\": \(rows.count)",
            "\"rows\": [" + rows.map(String.init).joined(separator: ", ") + "]",
            "\"input_rows\": [" + inputRows.map(String.init).joined(separator: ", ") + "]",
            "\"overflow_count\": \(overflowCount)",
        ]
        if let check = doubleCheck {
            fields.append("\"double_precision_checked\": \(check.checked)")
            fields.append("\"double_precision_finite\": \(check.finite)")
        }
        fields.append("\"explanation\": \(JSONText.quote(explanation))")
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
