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
        let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
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
        if let f = value as? Float {
            bytes.append(contentsOf: f.description.utf8)
        } else {
            bytes.append(contentsOf: Double(value).description.utf8)
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
