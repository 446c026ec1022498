/// CSV output built as bytes: RFC 4180 fields and numbers as shortest round-trip text.
///
/// Numbers use Swift's `description` (shortest digits that parse back to the same Float or
/// Double), so pandas, numpy and R read back exactly the values glassbox computed.
public struct CSVText: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var atLineStart = true

    public init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    public var isEmpty: Bool { bytes.isEmpty }

    private mutating func separate() {
        if !atLineStart { bytes.append(UInt8(ascii: ",")) }
        atLineStart = false
    }

    /// A text field, quoted when it holds a comma, a quote, CR or LF (quotes doubled), or
    /// leading/trailing spaces (which some readers would strip).
    public mutating func field(_ text: String) {
        separate()
        let utf8 = text.utf8
        let needsQuotes =
            utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || utf8.first == 32 || utf8.last == 32
        guard needsQuotes else { bytes.append(contentsOf: utf8); return }
        bytes.append(UInt8(ascii: "\""))
        for b in utf8 {
            bytes.append(b)
            if b == UInt8(ascii: "\"") { bytes.append(b) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Pre-quoted bytes (see `quoted(_:)`), for fields repeated on many lines.
    public mutating func raw(_ field: [UInt8]) {
        separate()
        bytes.append(contentsOf: field)
    }

    public mutating func integer(_ value: Int) {
        separate()
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// Shortest round-trip text of a Float or Double (other types go through Double); NaN and
    /// infinities as `nan`, `inf`, `-inf` (what pandas and numpy write).
    @inline(__always)
    public mutating func number<T: BinaryFloatingPoint>(_ value: T) {
        separate()
        guard value.isFinite else {
            bytes.append(contentsOf: (value.isNaN ? "nan" : value < 0 ? "-inf" : "inf").utf8)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ShortestText.window) { scratch in
            let n =
                value is Float
                ? ShortestText.write(value as! Float, scratch.baseAddress!)
                : ShortestText.write(Double(value), scratch.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<n]))
        }
    }

    public mutating func endLine() {
        bytes.append(10)
        atLineStart = true
    }

    public mutating func row(_ fields: [String]) {
        for f in fields { field(f) }
        endLine()
    }

    /// A field's bytes as `field(_:)` would write them.
    public static func quoted(_ text: String) -> [UInt8] {
        var t = CSVText()
        t.field(text)
        return t.bytes
    }
}

/// A write position in memory reserved for a chunk's lines (see `lines(capacity:_:)`): the
/// per-chunk tables (a million lines per export) write numbers and pre-quoted fields straight
/// into the result instead of appending through `CSVText` field by field. Every write checks
/// its room first, so a wrong capacity would trap, never overrun.
struct TextCursor {
    private(set) var p: UnsafeMutablePointer<UInt8>
    let end: UnsafeMutablePointer<UInt8>

    /// Text of at most `capacity` bytes (plus `ShortestText.window` for the last number's
    /// scratch), written by `body` into the returned array's own storage.
    static func lines(capacity: Int, _ body: (inout TextCursor) -> Void) -> [UInt8] {
        let reserved = max(capacity, 0) + ShortestText.window
        return [UInt8](unsafeUninitializedCapacity: reserved) { buffer, count in
            let base = buffer.baseAddress!
            var t = TextCursor(p: base, end: base + reserved)
            body(&t)
            count = t.p - base
        }
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        precondition(p < end)
        p.pointee = b
        p += 1
    }

    @inline(__always)
    mutating func copy(_ source: UnsafePointer<UInt8>, count n: Int) {
        precondition(end - p >= n)
        p.update(from: source, count: n)
        p += n
    }

    /// Bytes `field(_:)` may write for `text`: every byte a doubled quote, plus the quotes.
    static func fieldBound(_ text: String) -> Int { 2 * text.utf8.count + 2 }

    /// As `CSVText.field`.
    mutating func field(_ text: String) {
        var text = text
        text.withUTF8 { u in
            precondition(end - p >= 2 * u.count + 2)
            let needsQuotes =
                u.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
                || u.first == 32 || u.last == 32
            guard needsQuotes else {
                if let b = u.baseAddress { copy(b, count: u.count) }
                return
            }
            byte(UInt8(ascii: "\""))
            for b in u {
                byte(b)
                if b == UInt8(ascii: "\"") { byte(b) }
            }
            byte(UInt8(ascii: "\""))
        }
    }

    /// Decimal digits of a non-negative integer below 10^20 (ranks, counts).
    @inline(__always)
    mutating func integer(_ value: Int) {
        precondition(value >= 0 && end - p >= 20)
        if value < 10 {
            byte(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var digits = 1, rest = value / 10
        while rest > 0 { digits += 1; rest /= 10 }
        var v = value
        for i in stride(from: digits - 1, through: 0, by: -1) {
            p[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
        }
        p += digits
    }

    /// As `CSVText.number`: at most `ShortestText.maxLength(T.self)` bytes.
    @inline(__always)
    mutating func number<T: BinaryFloatingPoint>(_ value: T) {
        guard value.isFinite else {
            for b in (value.isNaN ? "nan" : value < 0 ? "-inf" : "inf").utf8 { byte(b) }
            return
        }
        precondition(end - p >= ShortestText.window)
        p += value is Float ? ShortestText.write(value as! Float, p) : ShortestText.write(Double(value), p)
    }
}

/// `Float.description` / `Double.description` of finite values, written into caller memory.
/// Those properties format into a stack buffer and then build a String per number — the
/// String, not the digits, was most of the ~6% of export CPU that top_features.csv took. The
/// stdlib also exports the same formatter (`_Float32ToASCII` / `_Float64ToASCII`, which
/// `description` calls) under its stable C-era names, writing into a buffer we pass. All 2^32
/// Float bit patterns gave `description`'s bytes (Swift 6.3); ExportTextTests keep checking.
enum ShortestText {
    /// Bytes the formatter may touch from where it writes (its own precondition is ≥ 32).
    static let window = 32
    /// Longest finite text: sign, 9 (17) significant digits, ".", "e-45" ("e-308").
    static let maxFloat = 15, maxDouble = 24

    /// Longest text `CSVText.number` writes for a `T` (other types go through Double).
    static func maxLength<T: BinaryFloatingPoint>(_: T.Type) -> Int { T.self == Float.self ? maxFloat : maxDouble }

    /// Writes `value`'s shortest round-trip text at `p` (which must have `window` bytes);
    /// returns its length. Finite values only (NaN would print its payload, unlike `description`).
    @inline(__always)
    static func write(_ value: Float, _ p: UnsafeMutablePointer<UInt8>) -> Int {
        fillZeros(p)
        return Int(truncatingIfNeeded: swift_float32ToString(p, UInt(window), value, false))
    }

    @inline(__always)
    static func write(_ value: Double, _ p: UnsafeMutablePointer<UInt8>) -> Int {
        fillZeros(p)
        return Int(truncatingIfNeeded: swift_float64ToString(p, UInt(window), value, false))
    }

    /// The formatter leaves some zeros ("0.0012") as it finds them: `description` hands it a
    /// buffer of "0"s, so ours must be one too.
    @inline(__always)
    private static func fillZeros(_ p: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(p).initializeMemory(as: UInt8.self, repeating: UInt8(ascii: "0"), count: window)
    }
}

// Declared in the stdlib (FloatingPointToString.swift) as `@_silgen_name` Swift functions.
@_silgen_name("swift_float32ToString")
private func swift_float32ToString(_ buffer: UnsafeMutablePointer<UInt8>, _ length: UInt, _ value: Float, _ debug: Bool) -> UInt64
@_silgen_name("swift_float64ToString")
private func swift_float64ToString(_ buffer: UnsafeMutablePointer<UInt8>, _ length: UInt, _ value: Double, _ debug: Bool) -> UInt64
