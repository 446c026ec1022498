/// Why samples came out NaN or infinite: their input already was, or the arithmetic
/// overflowed — in float32 a value near 3e38 (Float.greatestFiniteMagnitude ≈ 3.4e38) does
/// after centering or the first layer. For overflow, a few of them are computed again in
/// double precision, so the report suggests `--precision double` only where it helps.
public struct NonFiniteDiagnosis: Sendable, Equatable {
    /// The non-finite samples' dataset rows, ascending.
    public var rows: [Int]
    /// Those whose input row itself holds a NaN or infinity.
    public var inputRows: [Int]
    /// The precision of the run.
    public var precision: Precision
    /// With overflow in single precision: how many were computed again in double, and how
    /// many of those came out finite.
    public var doubleCheck: (checked: Int, finite: Int)?

    static let doubleCheckLimit = 32

    public static func == (a: Self, b: Self) -> Bool {
        a.rows == b.rows && a.inputRows == b.inputRows && a.precision == b.precision
            && a.doubleCheck?.checked == b.doubleCheck?.checked && a.doubleCheck?.finite == b.doubleCheck?.finite
    }

    /// Diagnoses `rows` of `dataset`, nil when there are none. `contributions`: whether the
    /// run computed C (then the double-precision check does too).
    public init?(rows: [Int], model: GlassBoxModel, dataset: Dataset, precision: Precision, contributions: Bool) {
        guard !rows.isEmpty else { return nil }
        self.rows = rows
        self.precision = precision
        let d = dataset.featureCount
        inputRows = dataset.values.storage.withUnsafeBufferPointer { x in
            rows.filter { row in x[(row * d)..<((row + 1) * d)].contains { !$0.isFinite } }
        }
        let bad = Set(inputRows)
        let overflowed = rows.filter { !bad.contains($0) }
        guard precision == .single, !overflowed.isEmpty else { return }
        let engine = ContributionEngine<Double>(model: model)
        let outputs: EngineOutputs = contributions ? [.contributions, .pcaContributions] : []
        let checked = Array(overflowed.prefix(Self.doubleCheckLimit))
        let finite = checked.filter { row in
            var verification = VerificationAccumulator()
            verification.add(engine.compute(dataset.values, rows: row..<(row + 1), outputs: outputs))
            return verification.result.nonFiniteCount == 0
        }.count
        doubleCheck = (checked.count, finite)
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
