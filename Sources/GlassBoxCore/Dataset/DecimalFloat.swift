/// Decimal text → Float32, correctly rounded (round-half-even of the exact decimal value).
///
/// Fast path: up to 19 significant digits are gathered into a UInt64 and scaled by one
/// correctly rounded double power of ten. That double is within 3 double-ulps of the exact
/// value, so rounding it to Float32 gives the correctly rounded result unless it lies within
/// a few double-ulps of a Float32 rounding midpoint (or outside the normal Float32 range, or
/// more digits were given); those rare cases go to the C library's correctly rounded `strtof`
/// (through `Float(String)`, which uses the C locale whatever `setlocale` was called with).
/// Parsing to Double and converting would round twice and is not always correct.
enum DecimalFloat {
    /// 10^0 … 10^38 at [0…38], 10^-1 … 10^-64 at [39…102], each the correctly rounded double;
    /// then, as UInt64, 10^0 … 10^8 at [103…111], and for i = 0…16 the mask of a 16-byte
    /// word's first i bytes as a (low, high) pair at [112 + 2i, 113 + 2i] (one table, fetched
    /// once per piece of rows).
    nonisolated(unsafe) static let powers: UnsafePointer<Double> = {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: 103 + 9 + 34)
        for e in 0...38 { p[e] = Double("1e\(e)")! }
        for e in 1...64 { p[38 + e] = Double("1e-\(e)")! }
        var v: UInt64 = 1
        for i in 0...8 { p[103 + i] = Double(bitPattern: v); v *= 10 }
        for i in 0...16 {
            let low: UInt64 = i >= 8 ? ~0 : (1 << (8 * i)) - 1
            let high: UInt64 = i <= 8 ? 0 : i == 16 ? ~0 : (1 << (8 * (i - 8))) - 1
            p[112 + 2 * i] = Double(bitPattern: low)
            p[113 + 2 * i] = Double(bitPattern: high)
        }
        return UnsafePointer(p)
    }()

    /// The commonest cell, `[+-]digits[.digits]` in at most 15 bytes (sign included) and followed
    /// by `terminator`: its value and length, or nil for anything else (then `scan` and the
    /// caller's general path decide, as for any cell).
    ///
    /// Reads 17 bytes at `p` whatever the cell's length. Unlike `scan` there is no branch on the
    /// digits: the cell's end and its dot are found in two 8-byte words at once, the dot is
    /// squeezed out, a sign becomes a leading 0, and the digits, padded with zeros to 16, are
    /// combined as two groups of eight. (Branching on the number of digits, which varies from
    /// cell to cell, mispredicted often enough to be the parser's largest cost.)
    /// The padded integer N is exact as a double (< 10^16, a multiple of 10 when above 2^53)
    /// and the value is N·10^(k−16) for a dot after k bytes: the same single rounded product,
    /// and the same midpoint test, as `scan`'s fast path, so the result is correctly rounded
    /// whenever it is returned. It is always finite, and normal or zero.
    @_transparent
    static func plainCell(
        _ p: UnsafePointer<UInt8>, _ terminator: UInt8,
        _ powers: UnsafePointer<Double>
    ) -> (value: Float, length: Int)? {
        let masks = UnsafeRawPointer(powers + 112).assumingMemoryBound(to: UInt64.self)
        let lo = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).littleEndian
        let hi = UnsafeRawPointer(p + 8).loadUnaligned(as: UInt64.self).littleEndian
        // The sign is looked at in the word already loaded, and kept as a digit 0: loading the
        // words after it made every cell wait for its first byte (with the cheaper `byteKinds`
        // below, 7.8 → 6.8 ns a cell on the benchmark file).
        let first = UInt8(truncatingIfNeeded: lo)
        let negative = first == UInt8(ascii: "-")
        let sign: UInt64 = negative || first == UInt8(ascii: "+") ? 0xFF : 0
        let (otherLo, dotLo) = byteKinds(lo)
        let (otherHi, dotHi) = byteKinds(hi)
        // The cell ends at the first byte, after any sign, that is neither digit nor dot (16: not within the words).
        let n = firstFlagged(otherLo & ~sign, otherHi)
        // The first dot, if before the end; at most one dot may be.
        let k = min(n, firstFlagged(dotLo, dotHi))
        let dots = (dotLo & masks[2 * n]) >> 7 | (dotHi & masks[2 * n + 1])
        let digits = k < n ? n - 1 : n  // a sign counted as a digit, 0
        // Bytes k+1… move down one over the dot; digit values from the first `digits` bytes.
        let keepLo = masks[2 * k], keepHi = masks[2 * k + 1]
        let lo2 = (lo & keepLo) | (((lo >> 8) | (hi << 56)) & ~keepLo)
        let hi2 = (hi & keepHi) | ((hi >> 8) & ~keepHi)
        let nibbles: UInt64 = 0x0F0F_0F0F_0F0F_0F0F
        let padded =
            eightDigits(lo2 & masks[2 * digits] & nibbles & ~sign) &* 100_000_000
            &+ eightDigits(hi2 & masks[2 * digits + 1] & nibbles)
        let scaled = Double(Int64(bitPattern: padded)) * powers[54 - k]  // 10^(k-16)
        let fromMidpoint = Int64(scaled.bitPattern & 0x1FFF_FFFF) &- 0x1000_0000
        guard n <= 15, digits > Int(sign & 1), dots & (dots &- 1) == 0, p[n] == terminator,
            fromMidpoint > 8 || fromMidpoint < -8
        else { return nil }
        let f = Float(scaled)
        return (Float(bitPattern: f.bitPattern | (negative ? 0x8000_0000 : 0)), n)
    }

    /// Per byte of `w`, its high bit set in `other` if it is neither a digit nor `.`, in `dot` if `.`
    /// (exact per byte: no carries or borrows cross bytes).
    @inline(__always)
    static func byteKinds(_ w: UInt64) -> (other: UInt64, dot: UInt64) {
        let high: UInt64 = 0x8080_8080_8080_8080
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        // x = byte ^ '0' is a digit's value; any other byte has x ≥ 10 (in its low 7 bits or its high bit).
        let x = w ^ 0x3030_3030_3030_3030
        let nonDigit = (((x & low7) &+ 0x7676_7676_7676_7676) | x) & high
        let y = w ^ 0x2E2E_2E2E_2E2E_2E2E  // zero at a dot
        let dot = ~(((y & low7) &+ low7) | y) & high
        return (nonDigit ^ dot, dot)
    }

    /// The index of the first flagged byte of the 16-byte word (low, high); 16 if none.
    /// (Arithmetic: `low != 0 ? … : …` compiled to a branch on whether the cell is longer than 8.)
    @inline(__always)
    static func firstFlagged(_ low: UInt64, _ high: UInt64) -> Int {
        let a = low.trailingZeroBitCount >> 3
        let b = high.trailingZeroBitCount >> 3
        return a + (b & (0 &- (a >> 3)))  // b added only when a is 8
    }

    /// Eight digit values, the first in the low byte, as a number (fast_float's eight-digit step).
    @inline(__always)
    static func eightDigits(_ x: UInt64) -> UInt64 {
        let v = x &* 10 &+ (x >> 8)
        return
            ((v & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064
            &+ ((v >> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001) >> 32
    }

    /// The longest prefix of `[p, end)` that is a decimal number — `[+-]digits[.digits][(e|E)[+-]digits]`,
    /// with at least one digit in the mantissa — and its value. `next == p` when there is none.
    /// No spaces, `inf` or `nan` here: callers handle those on their slow path.
    /// (`@_transparent`: `@inline(__always)` left it a call in the parser's loop, 7% slower.)
    @_transparent
    static func scan(
        _ p0: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>,
        _ powers: UnsafePointer<Double>
    ) -> (value: Float, next: UnsafePointer<UInt8>) {
        let integerPowers = UnsafeRawPointer(powers + 103).assumingMemoryBound(to: UInt64.self)
        var p = p0
        var negative = false
        if p < end && (p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+")) {
            negative = p.pointee == UInt8(ascii: "-")
            p += 1
        }
        // With at most 18 digits in all (leading zeros included) the UInt64 cannot overflow;
        // with more, `long` parses again.
        var mantissa: UInt64 = 0
        let integerStart = p
        digitRun(&p, end, &mantissa, integerPowers)
        var digits = p - integerStart
        var exp10 = 0
        if p < end && p.pointee == UInt8(ascii: ".") {
            p += 1
            let fractionStart = p
            digitRun(&p, end, &mantissa, integerPowers)
            digits += p - fractionStart
            exp10 = fractionStart - p
        }
        if digits == 0 { return (0, p0) }
        if p < end && (p.pointee | 0x20) == UInt8(ascii: "e") {
            var q = p + 1
            var expNegative = false
            if q < end && (q.pointee == UInt8(ascii: "-") || q.pointee == UInt8(ascii: "+")) {
                expNegative = q.pointee == UInt8(ascii: "-")
                q += 1
            }
            var e = 0
            let expStart = q
            while q < end {
                let d = q.pointee &- 48
                if d > 9 { break }
                if e < 1_000_000 { e = e * 10 + Int(d) }
                q += 1
            }
            // "1e" or "1e+" is not a number followed by text; the number ends before the "e".
            if q != expStart {
                exp10 += expNegative ? -e : e
                p = q
            }
        }
        if digits > 18 { return (long(p0, p, powers), p) }
        if mantissa == 0 { return (negative ? -0.0 : 0.0, p) }
        // 1 ≤ mantissa < 10^digits: overflow and underflow are certain past these bounds.
        if exp10 >= 39 { return (negative ? -.infinity : .infinity, p) }
        if digits + exp10 <= -46 { return (negative ? -0.0 : 0.0, p) }
        let m = Double(Int64(bitPattern: mantissa))  // < 10^18 < 2^63
        let scaled = exp10 >= 0 ? m * powers[exp10] : m * powers[38 - exp10]
        // `scaled` is within 3 double-ulps of the exact value: unless a Float32 rounding
        // midpoint is that close, rounding it gives the correctly rounded result.
        let fromMidpoint = Int64(scaled.bitPattern & 0x1FFF_FFFF) &- 0x1000_0000
        if fromMidpoint > 8 || fromMidpoint < -8,
            scaled >= 0x1p-126, scaled < Double(Float.greatestFiniteMagnitude)
        {
            let f = Float(scaled)
            return (negative ? -f : f, p)
        }
        return (slow(p0, p), p)
    }

    /// Appends the decimal digits at `p` to `mantissa` (wrapping), 8 bytes at a time while 8 can be read.
    @inline(__always)
    static func digitRun(
        _ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ mantissa: inout UInt64,
        _ integerPowers: UnsafePointer<UInt64>
    ) {
        while end - p >= 8 {
            // Bytes as digit values; the first non-digit has its high bit set in `x | (x + 0x76…)`
            // (borrows and carries only disturb the bytes after it).
            let x = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).littleEndian &- 0x3030_3030_3030_3030
            let nonDigit = (x | (x &+ 0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080
            let n = nonDigit == 0 ? 8 : nonDigit.trailingZeroBitCount >> 3
            if n == 0 { return }
            // The n digits, moved to the top bytes (zeros before them).
            mantissa = mantissa &* integerPowers[n] &+ eightDigits(x << UInt64((8 - n) << 3))
            p += n
            if n < 8 { return }
        }
        while p < end {
            let d = p.pointee &- 48
            if d > 9 { break }
            mantissa = mantissa &* 10 &+ UInt64(d)
            p += 1
        }
    }

    /// A number with more than 18 digits (leading zeros included), already delimited as `[p0, end)`:
    /// leading zeros are skipped and digits past the 19th significant one only scale, unless nonzero.
    @inline(never)
    static func long(_ p0: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ powers: UnsafePointer<Double>) -> Float {
        var p = p0
        var negative = false
        if p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
            negative = p.pointee == UInt8(ascii: "-")
            p += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exp10 = 0
        var truncated = false
        var fraction = false
        while p < end {
            let c = p.pointee
            if c == UInt8(ascii: ".") { fraction = true; p += 1; continue }
            let d = c &- 48
            if d > 9 { break }
            if digits < 19 {
                if mantissa != 0 || d != 0 {
                    mantissa = mantissa * 10 + UInt64(d)
                    digits += 1
                }
                if fraction { exp10 -= 1 }
            } else {
                if !fraction { exp10 += 1 }
                if d != 0 { truncated = true }
            }
            p += 1
        }
        if p < end {  // the exponent, already validated by `scan`
            p += 1
            var expNegative = false
            if p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
                expNegative = p.pointee == UInt8(ascii: "-")
                p += 1
            }
            var e = 0
            while p < end {
                if e < 1_000_000 { e = e * 10 + Int(p.pointee &- 48) }
                p += 1
            }
            exp10 += expNegative ? -e : e
        }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if truncated { return slow(p0, end) }
        if digits - 1 + exp10 >= 39 { return negative ? -.infinity : .infinity }
        if digits + exp10 <= -46 { return negative ? -0.0 : 0.0 }
        let m = mantissa < 1 << 63 ? Double(Int64(bitPattern: mantissa)) : Double(mantissa)
        let scaled = exp10 >= 0 ? m * powers[exp10] : m * powers[38 - exp10]
        let fromMidpoint = Int64(scaled.bitPattern & 0x1FFF_FFFF) &- 0x1000_0000
        if fromMidpoint > 8 || fromMidpoint < -8,
            scaled >= 0x1p-126, scaled < Double(Float.greatestFiniteMagnitude)
        {
            let f = Float(scaled)
            return negative ? -f : f
        }
        return slow(p0, end)
    }

    /// Correctly rounded, via the C library.
    @inline(never)
    static func slow(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Float {
        let text = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
        return Float(text) ?? .nan
    }

    /// The whole of `[p, end)` as a number, after trimming spaces: `.missing` for the usual
    /// missing-value spellings (pandas' defaults, R's `NA`, any-case `nan`), infinities for
    /// `inf`/`infinity` (any case, signed), `nil` for anything else.
    static func classify(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Cell {
        var a = p, b = end
        while a < b && (a.pointee == 32 || a.pointee == 9) { a += 1 }
        while b > a && (b[-1] == 32 || b[-1] == 9) { b -= 1 }
        if a == b { return .missing }
        let (v, next) = scan(a, b, powers)
        if next == b { return .number(v) }
        let count = b - a
        if count > 9 { return .text }
        var word: [UInt8] = []
        word.reserveCapacity(count)
        for i in 0..<count { word.append(a[i]) }
        if missingTokens.contains(word) { return .missing }
        var lower = word.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        var negative = false
        if let first = lower.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            lower.removeFirst()
        }
        if lower == Array("nan".utf8) { return .missing }
        if lower == Array("inf".utf8) || lower == Array("infinity".utf8) {
            return .number(negative ? -.infinity : .infinity)
        }
        return .text
    }

    enum Cell: Equatable {
        case number(Float)
        case missing
        case text
    }

    /// pandas' default `na_values` (besides the empty cell), which include R's `NA`.
    static let missingTokens: Set<[UInt8]> = Set(
        [
            "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
            "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
        ].map { Array($0.utf8) })
}
