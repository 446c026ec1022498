#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

private let newline = UInt8(ascii: "\n")
private let quote = UInt8(ascii: "\"")
private let carriageReturn = UInt8(ascii: "\r")

/// A run of whole records in a text buffer: `[start, end)` holds `records` records.
struct RecordPiece: Sendable {
    var start: Int
    var end: Int
    var records: Int
    /// Index of the first record among the buffer's records.
    var firstRecord: Int = 0
}

/// Record boundaries (the first pass). A record ends at a newline outside quotes; a `"`
/// opens a quoted field only at the start of a field (after a delimiter or at the start of
/// the record), elsewhere it is an ordinary character, as in Python's csv and pandas.
struct RecordScanner: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let count: Int
    let delimiter: UInt8
    /// The buffer ends the file: a last record without newline is complete, and an open quote is an error.
    let isFinal: Bool
    /// How far a record may be searched for its end; a guessed start (parallel scan) gives up past it,
    /// so that a wrong guess cannot search to the end of the file from every piece.
    var horizon: Int

    init(base: UnsafePointer<UInt8>, count: Int, delimiter: UInt8, isFinal: Bool) {
        self.base = base
        self.count = count
        self.delimiter = delimiter
        self.isFinal = isFinal
        horizon = count
    }

    enum Stop: Error, Equatable {
        /// The buffer ends inside the record starting here (more input needed).
        case incomplete(recordStart: Int)
        /// A quoted field opened here never closes (only when `isFinal`).
        case unterminatedQuote(at: Int)
    }

    private enum RecordEnd {
        case next(Int)
        case atEnd
        case openQuote(Int)
        case beyondHorizon
    }

    @inline(__always)
    private func find(_ byte: UInt8, from: Int, to: Int) -> Int? {
        guard to > from, let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }

    /// Where the record starting at `pos` ends: memchr for the newline, then for quotes before it.
    @inline(__always)
    private func recordEnd(from pos: Int) -> RecordEnd {
        var p = pos
        while true {
            let nl = find(newline, from: p, to: horizon) ?? horizon
            if nl == horizon && horizon < count { return .beyondHorizon }
            guard let q = find(quote, from: p, to: nl) else {
                return nl == count ? .atEnd : .next(nl + 1)
            }
            if q == pos || base[q - 1] == delimiter {
                var r = q + 1
                while true {
                    guard let c = find(quote, from: r, to: horizon) else {
                        return horizon < count ? .beyondHorizon : .openQuote(q)
                    }
                    if c + 1 < count && base[c + 1] == quote { r = c + 2; continue }
                    if c + 1 == count && !isFinal { return .openQuote(q) }  // may be an escaped `""`
                    p = c + 1
                    break
                }
            } else {
                p = q + 1
            }
        }
    }

    /// The end of the record starting at `pos` (after its newline), for the header and the sample.
    func endOfRecord(from pos: Int) -> Result<Int, Stop> {
        switch recordEnd(from: pos) {
        case .next(let e): return .success(e)
        case .atEnd: return isFinal ? .success(count) : .failure(.incomplete(recordStart: pos))
        case .openQuote(let q): return .failure(isFinal ? .unterminatedQuote(at: q) : .incomplete(recordStart: pos))
        case .beyondHorizon: return .failure(.incomplete(recordStart: pos))
        }
    }

    /// Records starting in `[start, until)` — at most `maxRecords` of them — cut into pieces of
    /// about `pieceBytes`. Returns where the scan stopped (the first record start ≥ `until`, the
    /// record after the last one taken, or the stop's record).
    func scan(from start: Int, until: Int, pieceBytes: Int, maxRecords: Int = .max) -> (pieces: [RecordPiece], end: Int, stop: Stop?) {
        var pieces: [RecordPiece] = []
        var pos = start
        var pieceStart = start
        var records = 0
        var taken = 0
        var stop: Stop?
        while pos < until && taken < maxRecords {
            switch recordEnd(from: pos) {
            case .next(let e):
                records += 1
                taken += 1
                pos = e
                if pos - pieceStart >= pieceBytes {
                    pieces.append(RecordPiece(start: pieceStart, end: pos, records: records))
                    pieceStart = pos
                    records = 0
                }
            case .atEnd:
                if isFinal {
                    records += 1
                    taken += 1
                    pos = count
                } else {
                    stop = .incomplete(recordStart: pos)
                }
            case .openQuote(let q):
                stop = isFinal ? .unterminatedQuote(at: q) : .incomplete(recordStart: pos)
            case .beyondHorizon:
                stop = .incomplete(recordStart: pos)
            }
            if stop != nil { break }
        }
        if records > 0 { pieces.append(RecordPiece(start: pieceStart, end: pos, records: records)) }
        return (pieces, pos, stop)
    }

    /// All records from `start`, in pieces of about `pieceBytes`, found in parallel: each piece
    /// guesses that it starts after the first newline at or past its nominal start, and the
    /// guesses are checked against where the previous piece's records ended; if one is wrong
    /// (a newline inside a quoted field), the scan is redone sequentially.
    /// `release` is called with byte ranges that were read (mapped files give their pages back).
    func scanAll(
        from start: Int, until: Int? = nil, pieceBytes: Int, release: ((Int, Int) -> Void)?
    ) -> (pieces: [RecordPiece], end: Int, stop: Stop?) {
        let limit = min(until ?? count, count)
        let total = limit - start
        var result: (pieces: [RecordPiece], end: Int, stop: Stop?)
        if total <= pieceBytes * 2 {
            result = scan(from: start, until: limit, pieceBytes: pieceBytes)
            release?(start, result.end)
        } else {
            let n = (total + pieceBytes - 1) / pieceBytes
            var parts = [(pieces: [RecordPiece], start: Int, end: Int, stop: Stop?)](repeating: ([], 0, 0, nil), count: n)
            parts.withUnsafeMutableBufferPointer { out in
                let out = out
                DispatchQueue.concurrentPerform(iterations: n) { i in
                    let nominal = start + i * pieceBytes
                    let until = i == n - 1 ? limit : nominal + pieceBytes
                    var s = start
                    if i > 0 { s = (find(newline, from: nominal - 1, to: count)).map { $0 + 1 } ?? count }
                    var guess = self
                    guess.horizon = i == 0 ? count : min(count, until + 4 * pieceBytes)
                    let r = guess.scan(from: s, until: until, pieceBytes: Int.max)
                    out[i] = (r.pieces, s, r.end, r.stop)
                    release?(s, r.end)
                }
            }
            var consistent = true
            for i in 1..<n where parts[i - 1].end != parts[i].start || (parts[i - 1].stop != nil) {
                consistent = false
                break
            }
            if consistent {
                result = (parts.flatMap { $0.pieces }, parts[n - 1].end, parts[n - 1].stop)
            } else {
                result = scan(from: start, until: limit, pieceBytes: pieceBytes)
            }
        }
        var first = 0
        for i in result.pieces.indices {
            result.pieces[i].firstRecord = first
            first += result.pieces[i].records
        }
        return result
    }
}

extension RecordScanner {
    /// The next `limit` records from `start` (all of them with `.max`; fewer at the end of the
    /// buffer), in pieces numbered from 0. Many records are found in parallel (`scanAll` over
    /// the bytes they should take, `recordBytes` each by estimate), the exact count then by a
    /// sequential scan of the rest or a rescan of the piece that went past it.
    func scan(
        from start: Int, records limit: Int, pieceBytes: Int, recordBytes: Int,
        release: ((Int, Int) -> Void)?
    ) -> (pieces: [RecordPiece], end: Int, stop: Stop?) {
        var result: (pieces: [RecordPiece], end: Int, stop: Stop?)
        let (wanted, overflow) = limit.multipliedReportingOverflow(by: max(recordBytes, 1))
        if limit == .max || overflow || wanted >= count - start {
            result = scanAll(from: start, pieceBytes: pieceBytes, release: release)
        } else if wanted <= 4 * pieceBytes {
            result = scan(from: start, until: count, pieceBytes: pieceBytes, maxRecords: limit)
            release?(start, result.end)
        } else {
            // A little less than the estimate in parallel; the rest exactly.
            result = scanAll(from: start, until: start + wanted / 10 * 9, pieceBytes: pieceBytes, release: release)
            let found = result.pieces.reduce(0) { $0 + $1.records }
            if result.stop == nil && found < limit {
                let rest = scan(from: result.end, until: count, pieceBytes: pieceBytes, maxRecords: limit - found)
                release?(result.end, rest.end)
                result = (result.pieces + rest.pieces, rest.end, rest.stop)
            }
        }
        // Past the limit (the estimate was long, or everything was scanned): cut the piece that crosses it.
        var kept: [RecordPiece] = []
        var taken = 0
        for piece in result.pieces {
            if taken + piece.records <= limit {
                kept.append(piece)
                taken += piece.records
                continue
            }
            if taken < limit {
                let cut = scan(from: piece.start, until: piece.end, pieceBytes: pieceBytes, maxRecords: limit - taken)
                kept += cut.pieces
                result.end = cut.end
            } else {
                result.end = piece.start
            }
            result.stop = nil
            break
        }
        var first = 0
        for i in kept.indices {
            kept[i].firstRecord = first
            first += kept[i].records
        }
        result.pieces = kept
        return result
    }
}

/// Field-level reading shared by the header, the sample and the slow paths of the parser.
struct FieldReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let delimiter: UInt8

    enum Terminator { case delimiter, endOfRecord }

    struct Field {
        /// Where the field starts (its opening quote, if quoted).
        var start: Int
        /// The content (unquoted, `""` unescaped).
        var bytes: [UInt8]
        var quoted: Bool
        var terminator: Terminator
        /// Just after the terminator.
        var next: Int
    }

    enum Problem: Error {
        /// Text after a closing quote: where, and the field's start.
        case afterClosingQuote(at: Int, fieldStart: Int)
        case unterminatedQuote(at: Int)
    }

    /// Is there an end of record (newline, CRLF or end of buffer) at `q`? Returns the position after it.
    @inline(__always)
    func endOfRecord(at q: Int) -> Int? {
        if q >= count { return count }
        let c = base[q]
        if c == newline { return q + 1 }
        if c == carriageReturn && (q + 1 == count || base[q + 1] == newline) { return min(q + 2, count) }
        return nil
    }

    /// The terminator at `q` (which follows a field) and the position after it, or nil if `q` holds something else.
    @inline(__always)
    func terminator(at q: Int) -> (Terminator, Int)? {
        if q < count && base[q] == delimiter { return (.delimiter, q + 1) }
        if let e = endOfRecord(at: q) { return (.endOfRecord, e) }
        return nil
    }

    /// End of an unquoted field starting at `p`: the delimiter, newline, CRLF or buffer end.
    @inline(__always)
    func unquotedEnd(from p: Int) -> Int {
        var q = p
        while q < count {
            let c = base[q]
            if c == delimiter || c == newline { break }
            if c == carriageReturn && (q + 1 == count || base[q + 1] == newline) { break }
            q += 1
        }
        return q
    }

    /// Reads the quoted field whose opening quote is at `p`: its unescaped content and the
    /// position just after the closing quote.
    func quoted(at p: Int) -> Result<(content: [UInt8], after: Int), Problem> {
        var content: [UInt8] = []
        var r = p + 1
        while true {
            var c = r
            while c < count && base[c] != quote { c += 1 }
            if c == count { return .failure(.unterminatedQuote(at: p)) }
            content.append(contentsOf: UnsafeBufferPointer(start: base + r, count: c - r))
            if c + 1 < count && base[c + 1] == quote {
                content.append(quote)
                r = c + 2
            } else {
                return .success((content, c + 1))
            }
        }
    }

    /// Reads one field starting at `p`.
    func field(at p: Int) -> Result<Field, Problem> {
        if p < count && base[p] == quote {
            switch quoted(at: p) {
            case .failure(let e): return .failure(e)
            case .success(let (content, after)):
                guard let (t, next) = terminator(at: after) else {
                    return .failure(.afterClosingQuote(at: after, fieldStart: p))
                }
                return .success(Field(start: p, bytes: content, quoted: true, terminator: t, next: next))
            }
        }
        let e = unquotedEnd(from: p)
        let (t, next) = terminator(at: e)!
        return .success(
            Field(
                start: p, bytes: Array(UnsafeBufferPointer(start: base + p, count: e - p)),
                quoted: false, terminator: t, next: next))
    }

    /// All fields of the record starting at `p`, and where the next record starts.
    func record(at p: Int) -> Result<(fields: [Field], next: Int), Problem> {
        var fields: [Field] = []
        var pos = p
        while true {
            switch field(at: pos) {
            case .failure(let e): return .failure(e)
            case .success(let f):
                fields.append(f)
                pos = f.next
                if f.terminator == .endOfRecord { return .success((fields, pos)) }
            }
        }
    }

    /// A field as `cells(at:)` gives it: unquoted content is left in the buffer.
    struct Cell {
        /// Where the field starts and ends (at its opening quote and after its closing one, if quoted).
        var start: Int
        var end: Int
        /// A quoted field's content (`""` unescaped); nil for an unquoted one, which is `start..<end`.
        var quoted: [UInt8]?

        func withBytes<R>(in base: UnsafePointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            if let quoted { return quoted.withUnsafeBufferPointer(body) }
            return body(UnsafeBufferPointer(start: base + start, count: end - start))
        }
    }

    /// The fields of the record starting at `p`, as `record(at:)` reads them (nil where it fails),
    /// without copying unquoted ones: for the sample of a wide file, copying was most of its time.
    func cells(at p: Int) -> [Cell]? {
        var cells: [Cell] = []
        var pos = p
        while true {
            let cell: Cell
            let after: Int
            if pos < count && base[pos] == quote {
                guard case .success(let (content, end)) = quoted(at: pos) else { return nil }
                cell = Cell(start: pos, end: end, quoted: content)
                after = end
            } else {
                cell = Cell(start: pos, end: unquotedEnd(from: pos), quoted: nil)
                after = cell.end
            }
            guard let (t, next) = terminator(at: after) else { return nil }
            cells.append(cell)
            if t == .endOfRecord { return cells }
            pos = next
        }
    }

    /// Is the record starting at `p` empty (a blank line)?
    @inline(__always)
    func isBlank(at p: Int) -> Bool {
        p >= count || base[p] == newline || (base[p] == carriageReturn && (p + 1 == count || base[p + 1] == newline))
    }
}

/// UTF-8 validation of a byte range: the offset of the first byte that is not part of valid UTF-8.
@inline(__always)
func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
    var i = 0
    while i < n {
        let b = p[i]
        if b < 0x80 { i += 1; continue }
        var need = 0
        var minimum: UInt32 = 0
        var scalar: UInt32 = 0
        if b & 0xE0 == 0xC0 {
            need = 1; minimum = 0x80; scalar = UInt32(b & 0x1F)
        } else if b & 0xF0 == 0xE0 {
            need = 2; minimum = 0x800; scalar = UInt32(b & 0x0F)
        } else if b & 0xF8 == 0xF0 {
            need = 3; minimum = 0x10000; scalar = UInt32(b & 0x07)
        } else {
            return i
        }
        if i + need >= n { return i }
        for k in 1...need {
            let c = p[i + k]
            if c & 0xC0 != 0x80 { return i }
            scalar = scalar << 6 | UInt32(c & 0x3F)
        }
        if scalar < minimum || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar <= 0xDFFF) { return i }
        i += need + 1
    }
    return nil
}

/// Text positions for messages: 1-based line and column (in characters) of a byte offset.
struct TextPosition {
    /// The buffer, which starts at a line start (line `firstLine`).
    let base: UnsafePointer<UInt8>
    let count: Int
    let firstLine: Int
    /// Bytes of byte-order mark at the start of line 1 (not counted as a column).
    let bomLength: Int

    func locate(_ offset: Int) -> (line: Int, column: Int) {
        let o = min(max(offset, 0), count)
        var line = firstLine
        var lineStart = 0
        var p = 0
        while p < o, let hit = memchr(base + p, Int32(newline), o - p) {
            p = (UnsafeRawPointer(hit) - UnsafeRawPointer(base)) + 1
            line += 1
            lineStart = p
        }
        var column = 1
        var i = lineStart
        if line == 1 && firstLine == 1 { i = max(i, bomLength) }
        while i < o {
            if base[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }

    /// `locate` for each of `offsets`, in one pass when they ascend (the header's cells).
    func locate(ascending offsets: [Int]) -> [(line: Int, column: Int)] {
        var places: [(line: Int, column: Int)] = []
        places.reserveCapacity(offsets.count)
        var line = firstLine, column = 1, i = 0
        for offset in offsets {
            let o = min(max(offset, 0), count)
            if o < i { places.append(locate(offset)); continue }
            while i < o {
                let b = base[i]
                if b == newline {
                    line += 1
                    column = 1
                } else if b & 0xC0 != 0x80 && !(line == 1 && firstLine == 1 && i < bomLength) {
                    column += 1
                }
                i += 1
            }
            places.append((line, column))
        }
        return places
    }

    /// Newlines in `[0, upTo)`.
    func lines(upTo: Int) -> Int {
        var n = 0
        var p = 0
        while p < upTo, let hit = memchr(base + p, Int32(newline), upTo - p) {
            p = (UnsafeRawPointer(hit) - UnsafeRawPointer(base)) + 1
            n += 1
        }
        return n
    }
}
