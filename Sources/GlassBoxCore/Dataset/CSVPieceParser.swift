private let newline = UInt8(ascii: "\n")
private let quote = UInt8(ascii: "\"")
private let carriageReturn = UInt8(ascii: "\r")

/// A problem found by the second pass, located by byte offsets in the buffer.
struct CellProblem {
    enum Kind {
        case tooFewFields(found: Int)
        case tooManyFields(found: Int)
        /// A feature cell that is neither a number nor missing.
        case notANumber
        case invalidUTF8(byte: UInt8)
        case textAfterClosingQuote
        case unterminatedQuote
    }

    var kind: Kind
    /// Where to point.
    var offset: Int
    /// The file column (0-based) and the cell's bytes, when it is about a cell.
    var column: Int?
    var cellStart: Int = 0
    var cellEnd: Int = 0
}

/// The first of some cells, and how many.
struct CellTally {
    var count = 0
    var first: (offset: Int, end: Int, column: Int)?

    mutating func add(_ start: Int, _ end: Int, _ column: Int) {
        if first == nil { first = (start, end, column) }
        count += 1
    }
}

/// What one piece of records yields besides its matrix rows.
struct PieceOutput {
    var problem: CellProblem?
    var missing = CellTally()
    var infinite = CellTally()
    /// Record indices (in the buffer) of blank lines, and of rows dropped for missing values.
    var blank: [Int] = []
    var dropped: [Int] = []
    /// Numeric-mode feature columns that hold a non-number: file column → first such cell.
    var demoted: [(column: Int, start: Int, end: Int)] = []
    var countsFrom0 = true
    var countsFrom1 = true
    var indexIsText = false
    /// One per record (blank ones included): label codes into `labelCategories`, ids.
    var labelCategories: [String] = []
    var labelCodes: [Int32] = []
    var ids: [String] = []
}

/// The second pass over one piece of records: numbers straight into the matrix rows.
struct PieceParser: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let delimiter: UInt8
    let columnCount: Int
    let featureCount: Int
    /// Per file column: feature slot (≥ 0) for plain numeric columns, -1 skip, -2 general path.
    let fast: UnsafePointer<Int32>
    /// Per file column: how many columns from it on, before the last, are plain numeric columns
    /// with consecutive feature slots (a run `plainCell` can fill without looking at `fast`).
    let runs: UnsafePointer<Int32>
    let slots: UnsafePointer<Int32>
    let labelColumn: Int
    let idColumn: Int
    let indexColumn: Int
    /// Names-based features: a non-number is an error, not a reason to make the column metadata.
    let strict: Bool
    let missing: MissingPolicy
    /// Global index of the buffer's first record (for the index check).
    let recordBase: Int

    func parse(_ piece: RecordPiece, into matrix: UnsafeMutablePointer<Float>) -> PieceOutput {
        var o = PieceOutput()
        let end = piece.end
        let limit = base + end
        let powers = DecimalFloat.powers
        var labelIndex: [String: Int32] = [:]
        let d = featureCount
        let lastColumn = columnCount - 1
        let wantsLabels = labelColumn >= 0
        let wantsIds = idColumn >= 0
        // A delimiter that can be part of a number would end `plainCell`'s cells early.
        let plainCells =
            !(delimiter >= UInt8(ascii: "0") && delimiter <= UInt8(ascii: "9"))
            && delimiter != UInt8(ascii: ".") && delimiter != UInt8(ascii: "-") && delimiter != UInt8(ascii: "+")
        let zeroCell = UInt16(UInt8(ascii: "0")) | UInt16(delimiter) << 8  // `0` and the delimiter, little-endian
        var p = piece.start
        var record = piece.firstRecord
        let stop = piece.firstRecord + piece.records
        let reader = FieldReader(base: base, count: end, delimiter: delimiter)

        while record < stop {
            let row = matrix + record * d
            if reader.isBlank(at: p) {
                o.blank.append(record)
                if wantsLabels { o.labelCodes.append(-1) }
                if wantsIds { o.ids.append("") }
                p = reader.endOfRecord(at: p) ?? end
                record += 1
                continue
            }
            var column = 0
            var rowMissing = false
            while true {
                var code = fast[column]
                let run = Int(runs[column])
                if run > 0 && plainCells {
                    // The common case: a run of plain numbers, each followed by the delimiter. The
                    // first cell that is not (or too near the end) is left to the general code below.
                    let out = row + Int(code)
                    var j = 0
                    while j < run && end - p >= 17 {
                        // `0` is the commonest cell in sparse data: a branch that mispredicts (on the
                        // benchmark file, half the cells are `0`, at random), but is still cheaper
                        // than `plainCell` for them (8.2 → 6.8 ns a cell).
                        if UnsafeRawPointer(base + p).loadUnaligned(as: UInt16.self).littleEndian == zeroCell {
                            out[j] = 0
                            p += 2
                            j += 1
                            continue
                        }
                        guard let (value, length) = DecimalFloat.plainCell(base + p, delimiter, powers) else { break }
                        out[j] = value
                        p += length + 1
                        j += 1
                    }
                    column += j
                    if j == run { continue }  // on to the next run, or the general code
                    code = fast[column]
                }
                var q: Int
                if code >= 0 && (p == end || base[p] != quote) {
                    let (value, next) = DecimalFloat.scan(base + p, limit, powers)
                    q = next - base
                    if q != p
                        && (q == end || base[q] == delimiter || base[q] == newline
                            || (base[q] == carriageReturn && (q + 1 == end || base[q + 1] == newline)))
                    {
                        row[Int(code)] = value
                        if !value.isFinite { o.infinite.add(p, q, column) }
                    } else {
                        q = reader.unquotedEnd(from: p)
                        if let problem = feature(
                            slot: Int(code), column: column, bytes: base + p, count: q - p,
                            cellStart: p, cellEnd: q, row: row, rowMissing: &rowMissing, o: &o)
                        {
                            o.problem = problem
                            return o
                        }
                    }
                } else if code == -1 && (p == end || base[p] != quote) {
                    var hi: UInt8 = 0
                    q = p
                    while q < end {
                        let c = base[q]
                        if c == delimiter || c == newline { break }
                        hi |= c
                        q += 1
                    }
                    if hi & 0x80 != 0, let bad = firstInvalidUTF8(base + p, q - p) {
                        o.problem = CellProblem(kind: .invalidUTF8(byte: base[p + bad]), offset: p + bad, column: column)
                        return o
                    }
                } else {
                    let (next, problem) = general(
                        column: column, at: p, end: end, reader: reader, row: row, record: record,
                        rowMissing: &rowMissing, o: &o, labelIndex: &labelIndex)
                    if let problem { o.problem = problem; return o }
                    q = next
                }
                // The terminator at q.
                if q < end && base[q] == delimiter {
                    if column == lastColumn {
                        o.problem = CellProblem(
                            kind: .tooManyFields(found: countFields(from: p, reader: reader)),
                            offset: q + 1, column: nil)
                        return o
                    }
                    column += 1
                    p = q + 1
                    continue
                }
                if column != lastColumn {
                    o.problem = CellProblem(kind: .tooFewFields(found: column + 1), offset: q, column: nil)
                    return o
                }
                p = reader.endOfRecord(at: q) ?? end
                break
            }
            if rowMissing && missing == .drop { o.dropped.append(record) }
            record += 1
        }
        return o
    }

    /// Quoted fields, labels, ids, the index check: the field at `p`, and where it ends.
    @inline(never)
    private func general(
        column: Int, at p: Int, end: Int, reader: FieldReader, row: UnsafeMutablePointer<Float>, record: Int,
        rowMissing: inout Bool, o: inout PieceOutput, labelIndex: inout [String: Int32]
    ) -> (Int, CellProblem?) {
        var q: Int
        var content: [UInt8]
        if p < end && base[p] == quote {
            switch reader.quoted(at: p) {
            case .failure:
                return (p, CellProblem(kind: .unterminatedQuote, offset: p, column: column))
            case .success(let (c, after)):
                content = c
                q = after
                if reader.terminator(at: q) == nil {
                    return (
                        q,
                        CellProblem(
                            kind: .textAfterClosingQuote, offset: q, column: column,
                            cellStart: p, cellEnd: reader.unquotedEnd(from: q))
                    )
                }
            }
        } else {
            q = reader.unquotedEnd(from: p)
            content = Array(UnsafeBufferPointer(start: base + p, count: q - p))
        }
        let problem: CellProblem? = content.withUnsafeBufferPointer { buf in
            let bytes = buf.baseAddress ?? UnsafePointer(base + p)
            if let bad = firstInvalidUTF8(bytes, buf.count) {
                // Point at the byte in the file (content and file agree up to any `""`).
                let offset = base[p] == quote ? p + 1 + bad : p + bad
                return CellProblem(kind: .invalidUTF8(byte: bytes[bad]), offset: offset, column: column)
            }
            let slot = Int(slots[column])
            if slot >= 0,
                let problem = feature(
                    slot: slot, column: column, bytes: bytes, count: buf.count,
                    cellStart: p, cellEnd: q, row: row, rowMissing: &rowMissing, o: &o)
            {
                return problem
            }
            if column == labelColumn {
                let text = String(decoding: buf, as: UTF8.self)
                if let c = labelIndex[text] {
                    o.labelCodes.append(c)
                } else {
                    let c = Int32(o.labelCategories.count)
                    labelIndex[text] = c
                    o.labelCategories.append(text)
                    o.labelCodes.append(c)
                }
            }
            if column == idColumn { o.ids.append(String(decoding: buf, as: UTF8.self)) }
            if column == indexColumn { checkIndex(bytes, buf.count, record: record, cell: (p, q), o: &o) }
            return nil
        }
        return (q, problem)
    }

    /// A feature cell off the fast path: spaces, missing values, infinities, text.
    @inline(never)
    private func feature(
        slot: Int, column: Int, bytes: UnsafePointer<UInt8>, count: Int, cellStart: Int, cellEnd: Int,
        row: UnsafeMutablePointer<Float>, rowMissing: inout Bool, o: inout PieceOutput
    ) -> CellProblem? {
        switch DecimalFloat.classify(bytes, bytes + count) {
        case .number(let v):
            row[slot] = v
            if !v.isFinite { o.infinite.add(cellStart, cellEnd, column) }
        case .missing:
            o.missing.add(cellStart, cellEnd, column)
            rowMissing = true
            row[slot] = missing == .zero ? 0 : .nan
        case .text:
            if let bad = firstInvalidUTF8(bytes, count) {
                return CellProblem(kind: .invalidUTF8(byte: bytes[bad]), offset: cellStart + bad, column: column)
            }
            if strict {
                return CellProblem(kind: .notANumber, offset: cellStart, column: column, cellStart: cellStart, cellEnd: cellEnd)
            }
            if !o.demoted.contains(where: { $0.column == column }) { o.demoted.append((column, cellStart, cellEnd)) }
            row[slot] = .nan
        }
        return nil
    }

    private func checkIndex(_ bytes: UnsafePointer<UInt8>, _ count: Int, record: Int, cell: (Int, Int), o: inout PieceOutput) {
        var value = 0
        var ok = count > 0 && count < 19
        if ok {
            for i in 0..<count {
                let d = bytes[i] &- 48
                if d > 9 { ok = false; break }
                value = value * 10 + Int(d)
            }
        }
        if !ok {
            o.countsFrom0 = false
            o.countsFrom1 = false
            if DecimalFloat.classify(bytes, bytes + count) == .text && !o.indexIsText {
                // Text: the column is metadata whatever it counts.
                o.indexIsText = true
                o.demoted.append((indexColumn, cell.0, cell.1))
            }
            return
        }
        let r = recordBase + record
        if value != r { o.countsFrom0 = false }
        if value != r + 1 { o.countsFrom1 = false }
    }

    /// Fields in the record starting at `start` (for the too-many-fields message).
    private func countFields(from start: Int, reader: FieldReader) -> Int {
        // Walk back to the record start is not possible here, so count from this field on and add
        // the columns before it.
        var n = columnCount - 1
        var p = start
        while true {
            guard case .success(let f) = reader.field(at: p) else { return n + 1 }
            n += 1
            if f.terminator == .endOfRecord { return n }
            p = f.next
        }
    }
}
