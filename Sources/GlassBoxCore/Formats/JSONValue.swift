import Foundation

/// A parsed JSON value. Objects keep their key order (attrs and headers are shown in file order).
/// Not `indirect`: arrays already box their elements, so scalars need no allocation of their own.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// An integer literal (no fraction or exponent) that fits in `Int`.
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let items) = self { return items.first { $0.key == key }?.value }
        return nil
    }

    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// As a training attribute. Recursion is bounded by the parser's depth limit.
    var attributeValue: AttributeValue {
        switch self {
        case .null: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let items): return .list(items.map(\.attributeValue))
        case .object(let items): return .dict(items.map { ($0.key, $0.value.attributeValue) })
        }
    }
}

/// A strict JSON (RFC 8259) parser for untrusted input.
///
/// Why not `JSONSerialization`: it recurses once per nesting level (a file of `[[[[…` is a
/// stack overflow unless its own, version-dependent limit catches it first), it loses key order
/// and duplicate keys, and it merges integers and doubles into `NSNumber`. This parser is one
/// loop with an explicit stack, so nesting costs heap, not call stack; depth, value count and
/// number length are capped, duplicate keys are refused, and strings must be valid UTF-8.
/// The depth cap also bounds every later recursive walk over the result (including the
/// compiler-generated destruction of nested enums).
public struct JSONParser {
    public struct Limits: Sendable {
        public var maxDepth = 64
        public var maxValues = 4_000_000
        public init() {}
    }

    /// Where and why the text is not acceptable JSON.
    public struct Failure: Error {
        public var offset: Int
        public var message: String
    }

    private static let maxNumberLength = 400

    /// Parses `bytes` as one JSON value, allowing surrounding whitespace.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: Limits = Limits()) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes, limits: limits)
        return try parser.document()
    }

    public static func parse(_ data: Data, limits: Limits = Limits()) throws -> JSONValue {
        try data.withUnsafeBytes { try parse($0, limits: limits) }
    }

    /// 1-based line and column (in bytes) of `offset`, for `FILE:LINE:COL` messages.
    public static func lineAndColumn(of offset: Int, in bytes: UnsafeRawBufferPointer) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for i in 0..<min(offset, bytes.count) {
            if bytes[i] == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// An open object: its members so far, their keys, and the key whose value comes next.
    private struct OpenObject {
        var items: [(key: String, value: JSONValue)] = []
        var keys: Set<String> = []
        var key: String
    }

    private let bytes: UnsafeRawBufferPointer
    private let limits: Limits
    private var pos = 0
    private var values = 0

    private init(bytes: UnsafeRawBufferPointer, limits: Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    private func fail(_ message: String, at offset: Int? = nil) -> Failure {
        Failure(offset: offset ?? pos, message: message)
    }

    private var atEnd: Bool { pos >= bytes.count }
    private var peek: UInt8 { bytes[pos] }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02x", byte)
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipWhitespace()
        guard !atEnd else { throw fail("unexpected end of JSON, expected \(what)") }
        guard peek == byte else { throw fail("expected \(what), found \(describe(peek))") }
        pos += 1
    }

    private mutating func count() throws {
        values += 1
        guard values <= limits.maxValues else { throw fail("more than \(limits.maxValues) JSON values; refusing the file") }
    }

    private mutating func document() throws -> JSONValue {
        // Open containers, innermost last. Their contents live in `arrays` and `objects` and
        // are appended to in place: a container taken out and put back on every value would
        // be copied each time, which made parsing quadratic in the container's size.
        var open: [Bool] = []  // true: an object
        var arrays: [[JSONValue]] = []
        var objects: [OpenObject] = []
        func checkDepth(at offset: Int) throws {
            guard open.count < limits.maxDepth else {
                throw fail("JSON nests deeper than \(limits.maxDepth) levels", at: offset)
            }
        }
        parsing: while true {
            // A value is expected here.
            skipWhitespace()
            guard !atEnd else { throw fail("unexpected end of JSON, expected a value") }
            try count()
            let valueStart = pos
            var value: JSONValue
            switch peek {
            case UInt8(ascii: "{"):
                pos += 1
                skipWhitespace()
                if !atEnd, peek == UInt8(ascii: "}") {
                    pos += 1
                    value = .object([])
                } else {
                    try checkDepth(at: valueStart)
                    objects.append(OpenObject(key: try key()))
                    open.append(true)
                    continue parsing
                }
            case UInt8(ascii: "["):
                pos += 1
                skipWhitespace()
                if !atEnd, peek == UInt8(ascii: "]") {
                    pos += 1
                    value = .array([])
                } else {
                    try checkDepth(at: valueStart)
                    arrays.append([])
                    open.append(false)
                    continue parsing
                }
            case UInt8(ascii: "\""): value = .string(try string())
            case UInt8(ascii: "t"): try literal("true"); value = .bool(true)
            case UInt8(ascii: "f"): try literal("false"); value = .bool(false)
            case UInt8(ascii: "n"): try literal("null"); value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = try number()
            default: throw fail("expected a JSON value, found \(describe(peek))")
            }
            // Attach the finished value to its container, closing containers as they end.
            while let isObject = open.last {
                skipWhitespace()
                guard !atEnd else { throw fail("unexpected end of JSON inside an \(isObject ? "object" : "array")") }
                let next = peek
                pos += 1
                if !isObject {
                    arrays[arrays.count - 1].append(value)
                    if next == UInt8(ascii: ",") { continue parsing }
                    guard next == UInt8(ascii: "]") else {
                        throw fail("expected ',' or ']' in an array, found \(describe(next))", at: pos - 1)
                    }
                    value = .array(arrays.removeLast())
                } else {
                    let top = objects.count - 1
                    objects[top].items.append((objects[top].key, value))
                    objects[top].keys.insert(objects[top].key)
                    if next == UInt8(ascii: ",") {
                        skipWhitespace()
                        let keyStart = pos
                        let newKey = try self.key()
                        guard !objects[top].keys.contains(newKey) else {
                            throw fail("duplicate key \(JSONText.quote(DisplaySafe.excerpt(newKey)))", at: keyStart)
                        }
                        objects[top].key = newKey
                        continue parsing
                    }
                    guard next == UInt8(ascii: "}") else {
                        throw fail("expected ',' or '}' in an object, found \(describe(next))", at: pos - 1)
                    }
                    value = .object(objects.removeLast().items)
                }
                open.removeLast()
            }
            skipWhitespace()
            guard atEnd else { throw fail("unexpected \(describe(peek)) after the JSON value") }
            return value
        }
    }

    /// `"key" :` — leaves the position at the value.
    private mutating func key() throws -> String {
        skipWhitespace()
        guard !atEnd, peek == UInt8(ascii: "\"") else {
            throw fail(atEnd ? "unexpected end of JSON, expected an object key" : "expected a quoted object key, found \(describe(peek))")
        }
        let k = try string()
        try expect(UInt8(ascii: ":"), "':' after an object key")
        return k
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard bytes.count - pos >= n, (0..<n).allSatisfy({ bytes[pos + $0] == word.utf8Start[$0] }) else {
            throw fail("expected a JSON value, found \(describe(peek))")
        }
        pos += n
    }

    private mutating func number() throws -> JSONValue {
        let start = pos
        var integral = true
        func digits(_ parser: inout JSONParser) -> Int {
            let s = parser.pos
            while parser.pos < parser.bytes.count, (0x30...0x39).contains(parser.bytes[parser.pos]) { parser.pos += 1 }
            return parser.pos - s
        }
        if peek == UInt8(ascii: "-") { pos += 1 }
        let intStart = pos
        let intDigits = digits(&self)
        guard intDigits > 0 else { throw fail("a number needs digits after '-'", at: start) }
        guard !(intDigits > 1 && bytes[intStart] == UInt8(ascii: "0")) else { throw fail("numbers may not have leading zeros", at: start) }
        if !atEnd, peek == UInt8(ascii: ".") {
            pos += 1
            integral = false
            guard digits(&self) > 0 else { throw fail("a number needs digits after '.'", at: start) }
        }
        if !atEnd, peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            pos += 1
            integral = false
            if !atEnd, peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { pos += 1 }
            guard digits(&self) > 0 else { throw fail("a number needs digits in its exponent", at: start) }
        }
        guard pos - start <= Self.maxNumberLength else { throw fail("a number longer than \(Self.maxNumberLength) characters", at: start) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        if integral, let i = Int(text) { return .int(i) }
        guard let d = Double(text), d.isFinite else { throw fail("number \(text.prefix(40)) is out of range", at: start) }
        return .double(d)
    }

    private mutating func hex4() throws -> UInt32 {
        guard bytes.count - pos >= 4 else { throw fail("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let digit: UInt8
            switch c {
            case 0x30...0x39: digit = c - 0x30
            case 0x41...0x46: digit = c - 0x41 + 10
            case 0x61...0x66: digit = c - 0x61 + 10
            default: throw fail("invalid hex digit \(describe(c)) in a \\u escape")
            }
            v = v << 4 | UInt32(digit)
            pos += 1
        }
        return v
    }

    private mutating func string() throws -> String {
        let start = pos
        pos += 1  // opening quote
        var out: [UInt8] = []
        var runStart = pos
        func flush(_ parser: JSONParser) { out.append(contentsOf: parser.bytes[runStart..<parser.pos]) }
        while true {
            guard !atEnd else { throw fail("unterminated string", at: start) }
            let c = peek
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw fail("unescaped control character \(describe(c)) in a string") }
            if c != UInt8(ascii: "\\") { pos += 1; continue }
            flush(self)
            pos += 1
            guard !atEnd else { throw fail("unterminated string", at: start) }
            let e = peek
            pos += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard bytes.count - pos >= 2, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                        throw fail("unpaired UTF-16 surrogate in a \\u escape")
                    }
                    pos += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired UTF-16 surrogate in a \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("unpaired UTF-16 surrogate in a \\u escape")
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default: throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: pos - 2)
            }
            runStart = pos
        }
        flush(self)
        pos += 1  // closing quote
        guard let s = String(bytes: out, encoding: .utf8) else { throw fail("string is not valid UTF-8", at: start) }
        return s
    }
}
