/// Text from a file, made safe to print: control characters (C0, DEL, C1) are shown as
/// `\u{…}`, so a hostile file cannot send escape sequences to the user's terminal — an OSC
/// that retitles the window, a cursor move that hides a line — through a message or a report.
/// The one escaping every path to the terminal uses: `InputError.description`, the reports'
/// text, the JSON writers (as `\u00XX`) and the command line's stderr.
public enum DisplaySafe {
    /// `s` with every control character escaped; with `keepingNewlines`, line feeds stay
    /// (for messages of several lines that we wrote ourselves around the file's text).
    public static func text(_ s: String, keepingNewlines: Bool = false) -> String {
        func escaped(_ scalar: Unicode.Scalar) -> Bool { isControl(scalar) && !(keepingNewlines && scalar == "\n") }
        guard s.unicodeScalars.contains(where: escaped) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if escaped(scalar) { out += "\\u{" + String(scalar.value, radix: 16) + "}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// At most `limit` characters of `s`, for quoting a file's text in a message; a longer
    /// text is cut and says how long it was (a 10 MB header cell must not come back whole).
    public static func excerpt(_ s: String, limit: Int = 40) -> String {
        var end = s.startIndex
        for _ in 0..<limit {
            guard end < s.endIndex else { return s }
            end = s.index(after: end)
        }
        return end == s.endIndex ? s : s[..<end] + "… (\(s.utf8.count) bytes)"
    }

    /// `'excerpt'`.
    public static func quoted(_ s: String, limit: Int = 40) -> String { "'" + excerpt(s, limit: limit) + "'" }

    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    static func error(_ e: InputError) -> InputError {
        var e = e
        e.field = e.field.map { text($0) }
        e.message = text(e.message)
        return e
    }
}
