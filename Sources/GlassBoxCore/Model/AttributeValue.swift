import Foundation

/// A plain value from a model file's training attributes — what a restricted unpickler
/// or a JSON header can hold. Dictionaries keep their order.
public indirect enum AttributeValue: Equatable, Sendable, CustomStringConvertible {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([AttributeValue])
    case dict([(key: String, value: AttributeValue)])

    public static func == (a: AttributeValue, b: AttributeValue) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)): return x == y
        case let (.dict(x), .dict(y)): return x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: return false
        }
    }

    /// Python-like text, as `inspect` prints it.
    public var description: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return Self.printable(s)
        case .list(let l): return "[" + l.map(\.quotedDescription).joined(separator: ", ") + "]"
        case .dict(let d): return "{" + d.map { "\($0.key): \($0.value.quotedDescription)" }.joined(separator: ", ") + "}"
        }
    }

    var quotedDescription: String {
        if case .string(let s) = self { return "'\(Self.printable(s))'" }
        return description
    }

    /// Text from a model file, safe to print (see `DisplaySafe`).
    static func printable(_ s: String) -> String { DisplaySafe.text(s) }

    public var intValue: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    public subscript(key: String) -> AttributeValue? {
        if case .dict(let d) = self { return d.first { $0.key == key }?.value }
        return nil
    }

    /// A JSON rendering (keys in order), for `inspect --json` and the portable formats.
    public var json: String {
        switch self {
        case .none: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? String(d) : "null"
        case .string(let s): return JSONText.quote(s)
        case .list(let l): return "[" + l.map(\.json).joined(separator: ", ") + "]"
        case .dict(let d): return "{" + d.map { JSONText.quote($0.key) + ": " + $0.value.json }.joined(separator: ", ") + "}"
        }
    }
}

/// Minimal JSON string quoting shared by the writers (Foundation's JSONSerialization does not
/// keep key order, which our reports rely on for readability).
public enum JSONText {
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where DisplaySafe.isControl(scalar):
                // C0, DEL and C1: JSON requires only C0 escaped, but the rest must not reach a terminal either.
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Shortest round-tripping text for a double; JSON has no NaN/Infinity, so those become null.
    public static func number(_ d: Double) -> String {
        d.isFinite ? "\(d)" : "null"
    }
}
