import Foundation

/// What `verify` prints and `export` writes to verification.json: upstream's
/// JacobianVerification fields, the tolerance verdict and where the numbers came from.
public struct VerificationReport {
    public var verification: JacobianVerification
    /// The worst samples: (export row, id, reconstruction error).
    public var worst: [(row: Int, id: String, error: Double)]
    /// The data file, for the text.
    public var dataFile: String
    public var tolerance: Double
    public var precision: Precision
    /// Extra JSON fields (e.g. files and their SHA-256, the glassbox version), appended in order.
    public var provenance: [(key: String, value: AttributeValue)]
    /// Why some samples came out NaN or infinite, when any did.
    public var nonFinite: NonFiniteDiagnosis?
    /// With `--feature-sets`: how the sets cover the features, and the partition check.
    public var featureSets: SetPartitionReport?

    public init(
        verification: JacobianVerification, worst: [(row: Int, id: String, error: Double)], dataFile: String,
        tolerance: Double, precision: Precision, provenance: [(key: String, value: AttributeValue)] = [],
        nonFinite: NonFiniteDiagnosis? = nil
    ) {
        self.verification = verification
        self.worst = worst
        self.dataFile = dataFile
        self.tolerance = tolerance
        self.precision = precision
        self.provenance = provenance
        self.nonFinite = nonFinite
    }

    /// The reconstruction — and, when the feature sets partition the features, their sums —
    /// within the tolerance, with every sample finite.
    public var passed: Bool { verification.passes(tolerance: tolerance) && (featureSets?.passes(tolerance: tolerance) ?? true) }

    /// How many non-finite samples the text names.
    static let nonFiniteShown = 10

    public var text: String {
        let v = verification
        func range(_ r: (Double, Double)) -> String { "[\(formatValue(r.0)), \(formatValue(r.1))]" }
        var lines = [
            "samples               \(v.sampleCount) from \(dataFile) (\(precision.rawValue) precision)",
            "z_range               \(range(v.zRange))",
            "reconstruction_range  \(range(v.reconstructionRange))",
            "max_error             \(formatValue(v.maxError))",
            "mean_error            \(formatValue(v.meanError))",
            "relative_error        \(formatValue(v.relativeError))  " + verdict,
        ]
        if v.nonFiniteCount > 0 {
            let ids = (nonFinite?.ids ?? v.nonFiniteRows.map(String.init)).prefix(Self.nonFiniteShown)
            let named = ids.joined(separator: ", ") + (v.nonFiniteCount > ids.count ? ", …" : "")
            lines.append(
                "non_finite            \(v.nonFiniteCount) of \(v.sampleCount) samples \(v.nonFiniteCount == 1 ? "has" : "have") a NaN or infinite result"
                    + (named.isEmpty ? "" : ": \(named)"))
            if let nonFinite { lines.append("                      " + nonFinite.explanation) }
        }
        if !worst.isEmpty {
            lines.append("worst samples         " + worst.map { "\($0.id) (\(formatValue($0.error)))" }.joined(separator: ", "))
        }
        if let sets = featureSets { lines += setLines(sets) }
        // Ids and the file names come from the user's files.
        return DisplaySafe.text(lines.joined(separator: "\n"), keepingNewlines: true)
    }

    private var verdict: String {
        let v = verification
        let within = v.relativeError <= tolerance
        let comparison = (within ? "≤" : ">") + " tolerance \(formatValue(tolerance))"
        if v.nonFiniteCount > 0 {
            let notFinite = "\(v.nonFiniteCount) sample\(v.nonFiniteCount == 1 ? " is" : "s are") not finite: FAIL"
            return v.nonFiniteCount == v.sampleCount ? notFinite : comparison + " on the finite samples, but " + notFinite
        }
        return comparison + (within ? ": PASS" : ": FAIL")
    }

    public var json: String {
        let v = verification
        var fields: [String] = [
            "\"z_range\": [\(JSONText.number(v.zRange.0)), \(JSONText.number(v.zRange.1))]",
            "\"reconstruction_range\": [\(JSONText.number(v.reconstructionRange.0)), \(JSONText.number(v.reconstructionRange.1))]",
            "\"max_error\": \(JSONText.number(v.maxError))",
            "\"mean_error\": \(JSONText.number(v.meanError))",
            "\"relative_error\": \(JSONText.number(v.relativeError))",
            "\"n_samples\": \(v.sampleCount)",
            "\"n_non_finite\": \(v.nonFiniteCount)",
            "\"tolerance\": \(JSONText.number(tolerance))",
            "\"passed\": \(passed)",
            "\"precision\": \(JSONText.quote(precision.rawValue))",
        ]
        if let nonFinite { fields.append("\"non_finite\": \(nonFinite.json)") }
        if let sets = featureSets { fields.append("\"feature_sets\": " + setJSON(sets)) }
        fields += provenance.map { "\(JSONText.quote($0.key)): \($0.value.json)" }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    private func setLines(_ sets: SetPartitionReport) -> [String] {
        var lines = ["feature_sets          \(DisplaySafe.text(sets.file)): \(sets.statement)"]
        if let c = sets.check {
            let ok = c.passes(tolerance: tolerance)
            lines += [
                "sets_max_error        \(formatValue(c.maxError))   (|Σ set contributions − z|, the remainder included)",
                "sets_mean_error       \(formatValue(c.meanError))",
                "sets_relative_error   \(formatValue(c.relativeError))  "
                    + (ok ? "≤ tolerance \(formatValue(tolerance)): PASS" : "> tolerance \(formatValue(tolerance)): FAIL"),
            ]
        }
        return lines
    }

    private func setJSON(_ sets: SetPartitionReport) -> String {
        var fields = [
            "\"file\": \(JSONText.quote(sets.file))",
            "\"sha256\": \(sets.sha256.map(JSONText.quote) ?? "null")",
            "\"sets\": \(sets.setCount)",
            "\"remainder_features\": \(sets.remainderCount)",
            "\"overlapping_features\": \(sets.overlappingFeatureCount)",
            "\"partition\": \(sets.check != nil)",
        ]
        if let c = sets.check {
            fields += [
                "\"max_error\": \(JSONText.number(c.maxError))",
                "\"mean_error\": \(JSONText.number(c.meanError))",
                "\"relative_error\": \(JSONText.number(c.relativeError))",
                "\"passed\": \(c.passes(tolerance: tolerance))",
            ]
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
