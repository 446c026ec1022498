#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let newline = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
private let quote = UInt8(ascii: "\"")

/// The start of the file: byte-order mark, delimiter, header, and a sample of rows that
/// says which columns hold text.
struct CSVPrelude {
    var bomLength: Int
    var delimiter: UInt8
    var header: CSVHeader
    /// Where the first data record starts.
    var dataStart: Int
    var knowledge: ColumnKnowledge
    var notes: [String] = []
    /// Average bytes per record in the sample (an estimate for sizing scans; 0 without rows).
    var sampleBytesPerRecord = 0

    static let sampleRows = 200

    /// Reads the prelude from the start of the text; nil when `isFinal` is false and more text is needed.
    static func read(
        _ base: UnsafePointer<UInt8>, _ count: Int, isFinal: Bool, file: String,
        options: CSVReadOptions
    ) throws -> CSVPrelude? {
        func fail(_ line: Int, _ column: Int, _ message: String) -> InputError {
            InputError(file: file, line: line, column: column, message: message)
        }
        if count >= 2 && ((base[0] == 0xFF && base[1] == 0xFE) || (base[0] == 0xFE && base[1] == 0xFF)) {
            throw fail(1, 1, "found a UTF-16 byte-order mark, expected UTF-8 text (save the file as UTF-8 CSV)")
        }
        let bom = count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF ? 3 : 0
        let position = TextPosition(base: base, count: count, firstLine: 1, bomLength: bom)
        // Blank lines before the header are skipped, as pandas does.
        var start = bom
        while start < count {
            if base[start] == newline {
                start += 1
            } else if base[start] == carriageReturn && start + 1 < count && base[start + 1] == newline {
                start += 2
            } else if base[start] == 32 || base[start] == 9, let e = lineEndIfBlank(base, count, start) {
                start = e
            } else {
                break
            }
        }
        if start >= count {
            if !isFinal { return nil }
            throw fail(1, 1, "found an empty file, expected a header row followed by rows of values")
        }
        // The first line, for choosing the delimiter.
        var lineEnd = start
        var inQuotes = false
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, 9: 0, UInt8(ascii: ";"): 0]
        while lineEnd < count {
            let c = base[lineEnd]
            if c == quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if c == newline { break }
                if counts[c] != nil { counts[c]! += 1 }
            }
            lineEnd += 1
        }
        if lineEnd == count && !isFinal { return nil }
        if lineEnd == count && isFinal, memchr(base + start, Int32(carriageReturn), count - start) != nil {
            // No LF at all but CRs: classic Mac line endings.
            let (l, c) = position.locate(
                UnsafeRawPointer(memchr(base + start, Int32(carriageReturn), count - start)!) - UnsafeRawPointer(base))
            throw fail(l, c, "found a carriage return alone as the line ending, expected LF or CRLF line endings")
        }
        var notes: [String] = []
        let delimiter: UInt8
        if let d = options.delimiter {
            delimiter = d
        } else if isTabSeparatedName(file) {
            delimiter = 9
        } else {
            var best = UInt8(ascii: ",")
            for candidate in [UInt8(9), UInt8(ascii: ";")] where counts[candidate]! > counts[best]! { best = candidate }
            delimiter = best
            if best != UInt8(ascii: ",") {
                notes.append("reading \(best == 9 ? "tab" : "';'")-separated columns (set another with --delimiter)")
            }
        }

        // The header record.
        let scanner = RecordScanner(base: base, count: count, delimiter: delimiter, isFinal: isFinal)
        let headerEnd: Int
        switch scanner.endOfRecord(from: start) {
        case .success(let e): headerEnd = e
        case .failure(.incomplete): return nil
        case .failure(.unterminatedQuote(let at)):
            let (l, c) = position.locate(at)
            throw fail(l, c, "found a quoted header cell that never closes, expected a closing '\"'")
        }
        let headerReader = FieldReader(base: base, count: headerEnd, delimiter: delimiter)
        let headerFields: [FieldReader.Field]
        switch headerReader.record(at: start) {
        case .success(let r): headerFields = r.fields
        case .failure(let problem): throw describe(problem, position: position, file: file)
        }
        var names: [String] = []
        var places: [(line: Int, column: Int)] = []
        var seen: [String: Int] = [:]
        let headerPlaces = position.locate(ascending: headerFields.map(\.start))
        for (j, field) in headerFields.enumerated() {
            let place = headerPlaces[j]
            if let bad = field.bytes.withUnsafeBufferPointer({ firstInvalidUTF8($0.baseAddress ?? base, $0.count) }) {
                let (l, c) = position.locate(field.start + (field.quoted ? 1 : 0) + bad)
                throw fail(
                    l, c,
                    "found byte 0x\(hex(field.bytes[bad])), which is not UTF-8, expected UTF-8 text (convert the file, e.g. iconv -f latin1 -t utf-8)"
                )
            }
            let name = String(decoding: field.bytes, as: UTF8.self).trimmingSpaces()
            if !name.isEmpty, let first = seen[name] {
                throw fail(
                    place.0, place.1,
                    "found a second column named \(DisplaySafe.quoted(name)) (column \(j + 1); the first is column \(first + 1)), expected unique column names"
                )
            }
            seen[name] = j
            names.append(name)
            places.append(place)
        }

        // The sample.
        var knowledge = ColumnKnowledge()
        var p = headerEnd
        var rows = 0
        var countsFrom0 = true, countsFrom1 = true
        var sample: [[FieldReader.Cell]] = []
        var sampledRecords = 0
        while sample.count < sampleRows && p < count {
            guard case .success(let e) = scanner.endOfRecord(from: p) else { break }
            sampledRecords += 1
            let reader = FieldReader(base: base, count: e, delimiter: delimiter)
            if !reader.isBlank(at: p) {
                guard let cells = reader.cells(at: p) else { break }
                sample.append(cells)
            }
            p = e
        }
        if !names.isEmpty, !sample.isEmpty, sample.allSatisfy({ $0.count == names.count + 1 }) {
            // R's write.table: the header leaves out the row-names column.
            names.insert("", at: 0)
            places.insert(places[0], at: 0)
            notes.append("the header has one name fewer than the rows: taking the first field of each row as row names (R write.table)")
        }
        var isText = [Bool](repeating: false, count: names.count)
        for fields in sample {
            // The parse proper reports ragged rows; the sample stops at the first.
            if fields.count != names.count { break }
            for (j, field) in fields.enumerated() where !isText[j] {
                let cell = field.withBytes(in: base) { b -> DecimalFloat.Cell in
                    guard let a = b.baseAddress else { return .missing }
                    return DecimalFloat.classify(a, a + b.count)
                }
                if cell == .text {
                    let (l, c) = position.locate(field.start)
                    isText[j] = true
                    knowledge.text[j] = CellNote(line: l, column: c, text: excerpt(field.withBytes(in: base) { Array($0) }))
                }
            }
            let value = fields[0].withBytes(in: base) { first in
                first.count < 19 && !first.isEmpty && first.allSatisfy({ $0 &- 48 <= 9 })
                    ? first.reduce(0) { $0 * 10 + Int($1 - 48) } : -1
            }
            if value != rows { countsFrom0 = false }
            if value != rows + 1 { countsFrom1 = false }
            rows += 1
        }
        knowledge.firstColumnCountsRows = rows >= 2 && (countsFrom0 || countsFrom1) && knowledge.text[0] == nil
        knowledge.noDataRows = sample.isEmpty && isFinal && p >= count
        return CSVPrelude(
            bomLength: bom, delimiter: delimiter, header: CSVHeader(names: names, places: places),
            dataStart: headerEnd, knowledge: knowledge, notes: notes,
            sampleBytesPerRecord: sampledRecords > 0 ? (p - headerEnd) / sampledRecords : 0)
    }

    private static func lineEndIfBlank(_ base: UnsafePointer<UInt8>, _ count: Int, _ start: Int) -> Int? {
        var i = start
        while i < count && (base[i] == 32 || base[i] == 9) { i += 1 }
        if i < count && base[i] == newline { return i + 1 }
        if i + 1 < count && base[i] == carriageReturn && base[i + 1] == newline { return i + 2 }
        return nil
    }

    static func isTabSeparatedName(_ file: String) -> Bool {
        var name = file.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        return name.hasSuffix(".tsv") || name.hasSuffix(".tab")
    }

    static func describe(_ problem: FieldReader.Problem, position: TextPosition, file: String) -> InputError {
        switch problem {
        case .unterminatedQuote(let at):
            let (l, c) = position.locate(at)
            return InputError(file: file, line: l, column: c, message: "found a quoted field that never closes, expected a closing '\"'")
        case .afterClosingQuote(let at, _):
            let (l, c) = position.locate(at)
            let byte = at < position.count ? position.base[at] : 0
            return InputError(
                file: file, line: l, column: c,
                message:
                    "found '\(excerpt([byte]))' after a closing quote, expected a delimiter or the end of the line (write a quote inside a quoted field as \"\")"
            )
        }
    }
}

func hex(_ byte: UInt8) -> String {
    let s = String(byte, radix: 16, uppercase: true)
    return s.count == 1 ? "0" + s : s
}

/// A cell's text for a message: at most 40 characters (and its length when longer), line
/// breaks shown as `\n`, other control characters escaped when the message is shown.
func excerpt(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    return DisplaySafe.excerpt(text).replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        .replacingOccurrences(of: "\t", with: "\\t")
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
