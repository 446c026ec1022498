/// Numbers for people to read — the explorer's panels and the export's pictures alike: a
/// fixed count of significant digits, plain notation from 0.001 to 99,999, scientific outside.
///
///     SignificantDigits.format(0.42391)   // "0.424"
///     SignificantDigits.format(1)         // "1.00"
///     SignificantDigits.format(-12.345)   // "-12.3"
///     SignificantDigits.format(1234.5)    // "1235"    (whole numbers keep every digit)
///     SignificantDigits.format(0.000123)  // "1.23e-04"
///     SignificantDigits.format(0)         // "0"
///     SignificantDigits.format(0.5, trimmed: true)  // "0.5"   (axis ticks)
public enum SignificantDigits {
    public static func format(_ value: Double, digits: Int = 3, signed: Bool = false, trimmed: Bool = false) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : (signed ? "+inf" : "inf") }
        let digits = max(1, min(9, digits))
        if value == 0 { return "0" }
        let magnitude = abs(value)
        var text: String
        if magnitude >= 99_999.5 || magnitude < 0.000_999_5 {
            text = scientific(value, digits: digits)
        } else {
            var decimals = max(0, digits - 1 - exponent(of: magnitude))
            // Rounding may carry into the next decade (9.996 → 10.0): one decimal fewer then.
            if decimals > 0, exponent(of: rounded(magnitude, decimals)) > exponent(of: magnitude) { decimals -= 1 }
            text = fixed(value, decimals)
        }
        if trimmed, text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if text == "-0" { text = "0" }
        return signed && value > 0 && text != "0" ? "+" + text : text
    }

    /// `1.23e-04`: `digits` significant digits in the mantissa, two exponent digits at least.
    public static func scientific(_ value: Double, digits: Int = 3) -> String {
        if value == 0 || !value.isFinite { return format(value, digits: digits) }
        var e = exponent(of: abs(value))
        var mantissa = value / power(e)
        if abs(rounded(mantissa, digits - 1)) >= 10 {
            e += 1
            mantissa = value / power(e)
        }
        let sign = e < 0 ? "-" : "+"
        let exponentText = abs(e) < 10 ? "0\(abs(e))" : "\(abs(e))"
        return fixed(mantissa, digits - 1) + "e" + sign + exponentText
    }

    /// ⌊log10 a⌋ for a > 0, exactly for powers of ten.
    static func exponent(of a: Double) -> Int {
        var e = 0, x = a
        while x >= 10 { x /= 10; e += 1 }
        while x < 1 { x *= 10; e -= 1 }
        return e
    }

    static func power(_ e: Int) -> Double {
        var p = 1.0
        for _ in 0..<abs(e) { p *= 10 }
        return e < 0 ? 1 / p : p
    }

    static func rounded(_ v: Double, _ decimals: Int) -> Double {
        let scale = power(decimals)
        return (v * scale).rounded() / scale
    }

    /// `value` with exactly `decimals` decimals, rounded half away from zero.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        let scale = power(decimals)
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e18 else { return String(Int(value)) }
        let n = UInt64(scaled), p = UInt64(scale)
        var s = String(n / p)
        if decimals > 0 {
            let fraction = String(n % p)
            s += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return (value < 0 && n != 0 ? "-" : "") + s
    }
}
