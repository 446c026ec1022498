import Foundation

/// A feature-set file as written, before its members are matched to a model's features: the
/// sets in file order with their members as listed.
///
/// Two forms are read:
/// - **GMT** (MSigDB, Enrichr, GSEA): one set per line, `name<TAB>description<TAB>feature<TAB>…`.
///   Empty member fields (trailing tabs) are skipped; a set may list no members.
/// - **A two-column table** `set,feature` (CSV, RFC 4180 quotes allowed) or `set<TAB>feature`
///   (TSV): one membership per line; a set's lines need not be adjacent. The first line is a
///   header, and skipped, when its fields are column names: `set`, `gene_set`, `geneset`,
///   `gs_name` or `term`, then `feature`, `gene`, `gene_symbol` or `symbol` (any case).
///
/// The form follows the name — `.gmt`; `.csv`, `.tsv`, `.tab` — or else the content: GMT when
/// a line has three or more tab-separated fields, otherwise a TSV table when the first
/// non-blank line has a tab and a CSV table when it has a comma. Blank lines are skipped, CRLF line ends and a UTF-8 byte-order mark accepted, and
/// spaces around names trimmed. A member listed twice in a set counts once.
public struct FeatureSetFile: Sendable {
    public enum Format: String, Sendable {
        case gmt
        /// `set,feature` lines, comma-separated.
        case csv
        /// `set<TAB>feature` lines.
        case tsv
    }

    /// One set as the file lists it.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// GMT's second field (often a URL or `na`); empty in a table.
        public var description: String
        /// Distinct members, in the order first listed.
        public var members: [String]
        /// The 1-based line where the set first appears.
        public var line: Int
    }

    /// How messages name the file.
    public var file: String
    public var format: Format
    public var entries: [Entry]
    /// The file's SHA-256 (hex), for provenance; nil when parsed from memory.
    public var sha256: String?

    /// Larger than any real collection (all of MSigDB is ~50 MB) and small enough to hold.
    public static let maxBytes = 1 << 30

    /// Reads the file at `url`; `file` is how messages name it (default: the path as given).
    public static func read(_ url: URL, file: String? = nil, format: Format? = nil) throws -> FeatureSetFile {
        let name = file ?? url.relativePath
        let data = try PortableFile.read(url, file: name, limit: maxBytes)
        var parsed = try parse(data, file: name, format: format ?? Format(fileName: url.lastPathComponent))
        var digest = SHA256()
        digest.update(data)
        parsed.sha256 = SHA256.hex(digest.finalize())
        return parsed
    }

    /// Parses the text of a set file; `format` nil detects it from the first non-blank line.
    public static func parse(_ data: Data, file: String, format: Format? = nil) throws -> FeatureSetFile {
        try data.withUnsafeBytes { raw in
            var lines = LineReader(raw.bindMemory(to: UInt8.self), file: file)
            let format = try format ?? lines.detectFormat()
            var parser = Parser(file: file, format: format)
            while let line = try lines.next() { try parser.add(line) }
            return try parser.finish()
        }
    }
}

extension FeatureSetFile.Format {
    /// The form a file name implies, or nil (then the content decides).
    init?(fileName: String) {
        switch (fileName as NSString).pathExtension.lowercased() {
        case "gmt": self = .gmt
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        default: return nil
        }
    }

    var separator: UInt8 { self == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t") }
}

/// The file's lines: no line end, CR stripped, a leading byte-order mark skipped; refuses NUL
/// bytes (binary data) and text that is not UTF-8.
private struct LineReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    var offset = 0
    var number = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
    }

    struct Line {
        var number: Int
        var bytes: UnsafeBufferPointer<UInt8>
        var isBlank: Bool { bytes.allSatisfy { $0 == 32 || $0 == 9 } }
    }

    mutating func next() throws -> Line? {
        guard offset < bytes.count else { return nil }
        number += 1
        let start = offset
        var end = start
        while end < bytes.count && bytes[end] != 10 {
            if bytes[end] == 0 {
                throw InputError(
                    file: file, line: number, message: "found a NUL byte (binary data), expected text: a GMT file or a set,feature table")
            }
            end += 1
        }
        offset = end + 1
        if end > start && bytes[end - 1] == 13 { end -= 1 }
        let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if String(validating: line, as: UTF8.self) == nil {
            let bad = line.firstIndex { $0 >= 0x80 }.map { line[$0] } ?? 0
            throw InputError(
                file: file, line: number,
                message: "found byte 0x\(String(bad, radix: 16, uppercase: true)), which is not UTF-8, "
                    + "expected UTF-8 text (convert the file, e.g. iconv -f latin1 -t utf-8)")
        }
        return Line(number: number, bytes: line)
    }

    /// The form of the text (the reader is left where it was): GMT when a line has two tabs
    /// or more, else a TSV table when the first non-blank line has a tab (so a GMT whose
    /// every set lists no member reads as a table — name it .gmt), else a CSV table.
    func detectFormat() throws -> FeatureSetFile.Format {
        var probe = self
        var first: LineReader.Line?
        while let line = try probe.next() {
            if line.isBlank { continue }
            if first == nil { first = line }
            var tabs = 0
            for b in line.bytes where b == 9 { tabs += 1 }
            if tabs >= 2 { return .gmt }
        }
        guard let first else {
            throw InputError(
                file: file, line: 1,
                message: "found no sets, expected a GMT file (name<TAB>description<TAB>feature…) or a set,feature table")
        }
        if first.bytes.contains(9) { return .tsv }
        if first.bytes.contains(UInt8(ascii: ",")) { return .csv }
        throw InputError(
            file: file, line: first.number,
            message: "found a line with neither tabs nor commas, expected a GMT file "
                + "(name<TAB>description<TAB>feature…) or a set,feature table")
    }
}

/// Builds the entries line by line, refusing what cannot be a set file.
private struct Parser {
    let file: String
    let format: FeatureSetFile.Format
    var entries: [FeatureSetFile.Entry] = []
    /// Entry index by set name, and the members each entry already has.
    var index: [String: Int] = [:]
    var seen: [Set<String>] = []
    var lines = 0

    static let headerSets: Set<String> = ["set", "gene_set", "geneset", "gs_name", "term"]
    static let headerFeatures: Set<String> = ["feature", "gene", "gene_symbol", "symbol"]
    static let gmtShape = "name<TAB>description<TAB>feature<TAB>…"

    init(file: String, format: FeatureSetFile.Format) {
        self.file = file
        self.format = format
    }

    func fail(_ line: Int, _ message: String) -> InputError {
        InputError(file: file, line: line, message: message)
    }

    mutating func add(_ line: LineReader.Line) throws {
        if line.isBlank { return }
        lines += 1
        switch format {
        case .gmt: try addGMT(line)
        case .csv, .tsv: try addTable(line)
        }
    }

    mutating func addGMT(_ line: LineReader.Line) throws {
        let fields = line.bytes.split(separator: 9, omittingEmptySubsequences: false).map(Self.trimmed)
        guard fields.count >= 2 else {
            throw fail(line.number, "found \(DisplaySafe.quoted(fields[0])) with no tab, expected \(Self.gmtShape)")
        }
        let name = fields[0]
        guard !name.isEmpty else { throw fail(line.number, "found an empty set name, expected \(Self.gmtShape)") }
        if let first = index[name] {
            throw fail(
                line.number,
                "found the set name \(DisplaySafe.quoted(name)) again (first on line \(entries[first].line)), expected each set once")
        }
        try checkName(name, line: line.number)
        var entry = FeatureSetFile.Entry(name: name, description: fields[1], members: [], line: line.number)
        var members = Set<String>()
        for member in fields.dropFirst(2) where !member.isEmpty && members.insert(member).inserted {
            entry.members.append(member)
        }
        index[name] = entries.count
        entries.append(entry)
        seen.append(members)
    }

    mutating func addTable(_ line: LineReader.Line) throws {
        let fields =
            try format == .csv
            ? Self.csvFields(line, file: file) : line.bytes.split(separator: 9, omittingEmptySubsequences: false).map(Self.trimmed)
        let shape = format == .csv ? "set,feature" : "set<TAB>feature"
        guard fields.count == 2 else {
            throw fail(line.number, "found \(fields.count) field\(fields.count == 1 ? "" : "s"), expected 2: \(shape)")
        }
        if lines == 1 && Self.headerSets.contains(fields[0].lowercased()) && Self.headerFeatures.contains(fields[1].lowercased()) { return }
        let (name, member) = (fields[0], fields[1])
        guard !name.isEmpty else { throw fail(line.number, "found an empty set name, expected \(shape)") }
        guard !member.isEmpty else {
            throw fail(line.number, "found an empty feature for set \(DisplaySafe.quoted(name)), expected \(shape)")
        }
        let e: Int
        if let found = index[name] {
            e = found
        } else {
            try checkName(name, line: line.number)
            e = entries.count
            index[name] = e
            entries.append(FeatureSetFile.Entry(name: name, description: "", members: [], line: line.number))
            seen.append([])
        }
        if seen[e].insert(member).inserted { entries[e].members.append(member) }
    }

    func checkName(_ name: String, line: Int) throws {
        if name == FeatureSets.remainderName {
            throw fail(line, "found the set name '\(name)', which names the features in no set, expected another name")
        }
    }

    func finish() throws -> FeatureSetFile {
        guard !entries.isEmpty else {
            throw fail(1, "found no sets, expected " + (format == .gmt ? Self.gmtShape : "set,feature lines"))
        }
        return FeatureSetFile(file: file, format: format, entries: entries)
    }

    static func trimmed<S: Collection>(_ bytes: S) -> String where S.Element == UInt8 {
        String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    /// A CSV line's fields: RFC 4180 quotes (a quote inside written twice), no line breaks inside.
    static func csvFields(_ line: LineReader.Line, file: String) throws -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        var i = 0
        let b = line.bytes
        while true {
            field.removeAll(keepingCapacity: true)
            while i < b.count && b[i] == 32 { i += 1 }
            if i < b.count && b[i] == UInt8(ascii: "\"") {
                i += 1
                var closed = false
                while i < b.count {
                    if b[i] == UInt8(ascii: "\"") {
                        if i + 1 < b.count && b[i + 1] == UInt8(ascii: "\"") { field.append(b[i]); i += 2; continue }
                        closed = true
                        i += 1
                        break
                    }
                    field.append(b[i])
                    i += 1
                }
                guard closed else {
                    throw InputError(
                        file: file, line: line.number,
                        message: "found a quoted field that does not close on its line, expected a closing '\"'")
                }
                while i < b.count && b[i] == 32 { i += 1 }
                guard i == b.count || b[i] == UInt8(ascii: ",") else {
                    throw InputError(
                        file: file, line: line.number, column: i + 1,
                        message:
                            "found \(DisplaySafe.quoted(trimmed(b[i...]))) after a closing quote, expected a comma or the end of the line")
                }
            } else {
                while i < b.count && b[i] != UInt8(ascii: ",") { field.append(b[i]); i += 1 }
            }
            fields.append(trimmed(field))
            guard i < b.count else { return fields }
            i += 1  // the comma
        }
    }
}
