/// Foundation-free number formatting for labels (deterministic across platforms and locales).
public enum NumberFormat {
    /// `value` with exactly `digits` decimals, e.g. `fixed(-0.125, 2) == "-0.13"`;
    /// `signed` adds "+" to positive numbers.
    public static func fixed(_ value: Double, _ digits: Int = 2, signed: Bool = false) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : (signed ? "+inf" : "inf") }
        let digits = max(0, min(9, digits))
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return value < 0 ? "-" + String(Int(abs(value))) : String(Int(value)) }
        let n = UInt64(scaled)
        let p = UInt64(scale)
        var s = String(n / p)
        if digits > 0 {
            let frac = String(n % p)
            s += "." + String(repeating: "0", count: digits - frac.count) + frac
        }
        let negative = value < 0 && n != 0
        return (negative ? "-" : (signed && n != 0 ? "+" : "")) + s
    }
}
