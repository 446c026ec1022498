#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation

/// Reads a CSV/TSV dataset (plain or `.gz`, a file or a pipe), whole or in windows of rows.
///
/// - A header row, then one row per sample. Which columns are features, labels and ids is
///   decided by `ColumnLayout` (see the rule there).
/// - RFC 4180 quoting, LF or CRLF, a UTF-8 byte-order mark, no final newline, `,` `\t` `;`
///   delimiters (detected; `.tsv` means tab), gzip (detected by its magic bytes), blank lines
///   skipped, R `write.table` headers without the row-names column.
/// - Missing cells: empty, `NA`, `NaN` and pandas' other spellings, handled per `MissingPolicy`.
///   Infinite values (`inf`, or beyond Float32's range) are refused.
/// - Every refusal is an `InputError` at `FILE:LINE:COLUMN` saying what was found and what was expected.
///
/// Plain files are memory-mapped; record boundaries are found quote-aware at memchr speed
/// (in parallel for many rows), then the pieces are parsed in parallel straight into the
/// Float32 matrix, and mapped pages are handed back as each piece is done. `.gz` files and
/// pipes are streamed through a buffer. `CSVSource` reads rows in windows: skipping to row A
/// scans record ends without parsing numbers, so `--rows A:B` costs the rows up to B, and
/// export holds one window at a time.
public enum CSVDatasetReader {
    /// Opens `url` for reading rows (`DatasetSource`); the header is read and the columns are
    /// matched to the model here, so a bad header fails before any row is read.
    public static func open(
        _ url: URL, options: CSVReadOptions = CSVReadOptions(),
        expecting expectation: FeatureExpectation? = nil
    ) throws -> CSVSource {
        let file = url.relativePath
        if !MappedFile.isRegularFile(url.path) {
            // A pipe or device (`<(zcat …)`, /dev/stdin) cannot be mapped: streamed.
            let pipe = try PipeReader(url: url, file: file)
            return try CSVSource(file: file, options: options, expectation: expectation, streamFrom: pipe)
        }
        let mapped = try MappedFile(path: url.path, file: file)
        return try CSVSource(file: file, options: options, expectation: expectation, mapped: mapped)
    }

    /// Reads all of `url`. `notes` receives informational messages (the label column chosen, the
    /// delimiter detected, rows dropped …) for the command line to print on stderr.
    public static func read(
        _ url: URL, options: CSVReadOptions = CSVReadOptions(),
        expecting expectation: FeatureExpectation? = nil,
        notes: (String) -> Void = { _ in }
    ) throws -> Dataset {
        let source = try open(url, options: options, expecting: expectation)
        defer { source.notes.forEach(notes) }
        return try source.readAll()
    }

    /// Reads CSV text (or gzip data) held in memory; `fileName` is used in messages and for the `.tsv` rule.
    public static func read(
        data: Data, fileName: String, options: CSVReadOptions = CSVReadOptions(),
        expecting expectation: FeatureExpectation? = nil,
        notes: (String) -> Void = { _ in }
    ) throws -> Dataset {
        let source = try CSVSource(file: fileName, options: options, expectation: expectation, memory: data)
        defer { source.notes.forEach(notes) }
        return try source.readAll()
    }

    /// Reads CSV text (or gzip data) held in memory.
    public static func read(
        bytes: UnsafeRawBufferPointer, fileName: String, options: CSVReadOptions = CSVReadOptions(),
        expecting expectation: FeatureExpectation? = nil,
        notes: (String) -> Void = { _ in }
    ) throws -> Dataset {
        try read(data: Data(bytes), fileName: fileName, options: options, expecting: expectation, notes: notes)
    }
}

/// A CSV dataset read in windows of rows: the prelude and the column layout once, then records
/// from a cursor that only moves forward (going back starts again from the first row).
public final class CSVSource: DatasetSource {
    public let file: String
    let options: CSVReadOptions
    let expectation: FeatureExpectation?
    let featureList: (names: [String], file: String)?
    private let text: CSVInput
    private let prelude: CSVPrelude
    private var knowledge: ColumnKnowledge
    private var layout: ColumnLayout
    /// The next unread record: its byte in the current buffer, its index among the records
    /// after the header, and its data row (blank lines are not data rows).
    private var cursor = (byte: 0, record: 0, dataRow: 0)
    /// Label categories over every window so far.
    private var categories: [String] = []
    private var categoryIndex: [String: Int32] = [:]
    private var windowsRead = 0
    /// Bytes per record in the prelude's sample, for sizing scans.
    private let recordBytes: Int
    /// Where the first data row is, for "no rows" messages.
    private let dataPlace: (line: Int, column: Int)
    private var totals = (zeroed: 0, dropped: 0)
    public private(set) var rowCount: Int?
    private let fileBytes: Int?

    private var preludeNotes: [String] = []
    /// Those of the last layout decided (a revised layout replaces them).
    private var layoutNotes: [String] = []
    private var laterNotes: [String] = []
    /// What the last revision of the layout learned, for messages.
    private var revision: String?

    /// Informational messages, in order: dialect, column roles, then what reading found.
    public var notes: [String] {
        var counts: [String] = []
        if totals.zeroed > 0 { counts.append("read \(totals.zeroed) missing value\(totals.zeroed == 1 ? "" : "s") as 0 (--missing zero)") }
        if totals.dropped > 0 {
            counts.append("left out \(totals.dropped) row\(totals.dropped == 1 ? "" : "s") with missing values (--missing drop)")
        }
        var all: [String] = []
        for s in preludeNotes + layoutNotes + laterNotes + counts where !all.contains(s) { all.append(s) }
        return all
    }

    public var featureNames: [String] { layout.featureColumns.map { layout.names[$0] } }
    public var labelColumn: String? { layout.labelColumn.map { layout.names[$0] } }

    public var estimatedRowCount: Int? {
        rowCount ?? fileBytes.map { max(1, ($0 - prelude.dataStart) / max(recordBytes, 1)) }
    }

    convenience init(file: String, options: CSVReadOptions, expectation: FeatureExpectation?, mapped: MappedFile) throws {
        if GzipInflater.isGzip(mapped.base, mapped.count) {
            let text = try CSVInput(
                stream: file, blockBytes: options.blockBytes ?? (16 << 20), recordLimit: 1 << 30,
                producer: {
                    let inflater = try GzipInflater(input: mapped.base, count: mapped.count, file: file)
                    inflater.release = mapped.release
                    return inflater
                }, keep: mapped)
            try self.init(file: file, options: options, expectation: expectation, text: text, fileBytes: nil)
        } else {
            try self.init(
                file: file, options: options, expectation: expectation, text: CSVInput(mapped: mapped, name: file),
                fileBytes: mapped.count)
        }
    }

    convenience init(file: String, options: CSVReadOptions, expectation: FeatureExpectation?, memory: Data) throws {
        let bytes = OwnedBytes(memory)
        let text: CSVInput
        if GzipInflater.isGzip(bytes.base, bytes.count) {
            text = try CSVInput(
                stream: file, blockBytes: options.blockBytes ?? (16 << 20), recordLimit: 1 << 30,
                producer: {
                    try GzipInflater(input: bytes.base, count: bytes.count, file: file)
                }, keepBytes: bytes)
        } else {
            text = CSVInput(memory: bytes, name: file)
        }
        try self.init(file: file, options: options, expectation: expectation, text: text, fileBytes: nil)
    }

    convenience init(file: String, options: CSVReadOptions, expectation: FeatureExpectation?, streamFrom pipe: PipeReader) throws {
        var used = false
        let text = try CSVInput(
            stream: file, blockBytes: options.blockBytes ?? (4 << 20), recordLimit: options.pipeRecordLimit ?? (64 << 20),
            producer: {
                guard !used else {
                    throw InputError(
                        file: file,
                        message:
                            "cannot read a pipe a second time, expected a file (or name the feature columns with --features, so that one pass suffices)"
                    )
                }
                used = true
                return pipe
            })
        if GzipInflater.isGzip(text.base, text.count) {
            // Compressed data from a pipe: gathered in memory, then decompressed as a stream.
            var data = Data(bytes: text.base, count: text.count)
            var block = [UInt8](repeating: 0, count: 1 << 20)
            while !pipe.finished {
                let n = try block.withUnsafeMutableBufferPointer { try pipe.read(into: $0.baseAddress!, capacity: $0.count) }
                data.append(contentsOf: block[0..<n])
            }
            try self.init(file: file, options: options, expectation: expectation, memory: data)
        } else {
            try self.init(file: file, options: options, expectation: expectation, text: text, fileBytes: nil)
        }
    }

    private init(file: String, options: CSVReadOptions, expectation: FeatureExpectation?, text: CSVInput, fileBytes: Int?) throws {
        self.file = file
        self.options = options
        self.expectation = expectation
        self.text = text
        self.fileBytes = fileBytes
        if let url = options.featuresFile {
            featureList = (try CSVReadOptions.loadFeatureList(from: url), url.relativePath)
        } else if let list = options.featureList {
            featureList = (list, "the feature list")
        } else {
            featureList = nil
        }
        if text.isStream { try Self.refuseBinary(text, file: file) }
        // The prelude may need more than the first buffer of a stream.
        var found: CSVPrelude?
        while true {
            if let p = try CSVPrelude.read(text.base, text.count, isFinal: text.isFinal, file: file, options: options) {
                found = p
                break
            }
            guard try text.advance(keepingFrom: 0) else { break }
        }
        guard let prelude = found else {
            throw InputError(
                file: file, line: 1, column: 1, message: "found an empty file, expected a header row followed by rows of values")
        }
        self.prelude = prelude
        text.bomLength = prelude.bomLength
        preludeNotes = prelude.notes
        knowledge = prelude.knowledge
        dataPlace = text.position.locate(prelude.dataStart)
        recordBytes = prelude.sampleBytesPerRecord
        // Said before the columns are matched: without a row, every column looks numeric.
        if prelude.knowledge.noDataRows { throw Self.noDataRows(file: file, at: dataPlace) }
        layout = try ColumnLayout.decide(
            header: prelude.header, knowledge: prelude.knowledge, options: options,
            featureList: featureList, expectation: expectation, file: file)
        layoutNotes = layout.notes
        cursor = (prelude.dataStart, 0, 0)
    }

    static func noDataRows(file: String, at place: (line: Int, column: Int)) -> InputError {
        InputError(
            file: file, line: place.line, column: place.column,
            message: "found a header but no data rows (no rows of values), expected at least one sample")
    }

    /// A stream that starts with NUL bytes is binary data, not text: refused at once rather
    /// than searched for a line end (a device like /dev/zero never has one).
    private static func refuseBinary(_ text: CSVInput, file: String) throws {
        if GzipInflater.isGzip(text.base, text.count) { return }
        if let nul = memchr(text.base, 0, min(text.count, 4096)) {
            let at = UnsafeRawPointer(nul) - UnsafeRawPointer(text.base)
            throw InputError(file: file, message: "found binary data (a NUL byte at byte \(at + 1)), expected CSV text")
        }
    }

    private func note(_ s: String) { laterNotes.append(s) }

    private static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    private func pieceBytes(for total: Int) -> Int {
        options.pieceBytes ?? min(max(total / (Self.cores * 8), 1 << 20), 8 << 20)
    }

    // MARK: Windows

    /// Every row, as one dataset (the explorer, `read`). A column that turns out not to be
    /// numeric further down is learned, and the file read again with the better layout.
    public func readAll() throws -> Dataset {
        try read(from: 0, maxRows: .max).dataset
    }

    public func read(from start: Int, maxRows: Int) throws -> DatasetWindow {
        precondition(start >= 0 && maxRows >= 0)
        while true {
            if start < cursor.dataRow { try rewind() }
            let window = try readWindow(from: start, maxRows: maxRows)
            guard revise(&knowledge, layout: layout, outputs: window.outputs) else {
                windowsRead += 1
                return window.result
            }
            // The layout was wrong: some column is not all numbers, or the first column does
            // not count the rows. Read again from the start, unless rows were handed out already.
            guard windowsRead == 0 else {
                throw InputError(
                    file: file,
                    message: "found, \(revision ?? "past the first rows, a column unlike the first rows"), "
                        + "after the rows before were read otherwise; name the feature columns with --features FILE (or use a model that carries feature names)"
                )
            }
            layout = try ColumnLayout.decide(
                header: prelude.header, knowledge: knowledge, options: options,
                featureList: featureList, expectation: expectation, file: file)
            layoutNotes = layout.notes
            categories = []
            categoryIndex = [:]
            try rewind()
        }
    }

    /// Back to the first data row.
    private func rewind() throws {
        if text.isStream {
            try text.restart()
            text.bomLength = prelude.bomLength
        }
        cursor = (prelude.dataStart, 0, 0)
        totals = (0, 0)
    }

    private func scanner() -> RecordScanner {
        RecordScanner(base: text.base, count: text.count, delimiter: prelude.delimiter, isFinal: text.isFinal)
    }

    /// The data rows in the file, counted by scanning record ends (quote-aware, without
    /// parsing a number); reading rows afterwards starts again from the first (a pipe cannot).
    public func countRows() throws -> Int {
        if let n = rowCount { return n }
        try skip(to: .max)
        rowCount = cursor.dataRow
        return cursor.dataRow
    }

    /// Moves the cursor to data row `row` (or the end of the file), reading record ends only.
    private func skip(to row: Int) throws {
        if !text.isStream { skipUnquoted(to: row) }
        var scan = scanner()
        var fields = FieldReader(base: text.base, count: text.count, delimiter: prelude.delimiter)
        var releasedTo = cursor.byte
        func moveOn() throws -> Bool {
            text.release?(releasedTo, cursor.byte)
            guard try text.advance(keepingFrom: cursor.byte) else { return false }
            cursor.byte = 0
            releasedTo = 0
            scan = scanner()
            fields = FieldReader(base: text.base, count: text.count, delimiter: prelude.delimiter)
            return true
        }
        while cursor.dataRow < row {
            if cursor.byte >= text.count {
                if try !moveOn() { break }
                continue
            }
            switch scan.endOfRecord(from: cursor.byte) {
            case .success(let end):
                if !fields.isBlank(at: cursor.byte) { cursor.dataRow += 1 }
                cursor.record += 1
                cursor.byte = end
                if cursor.byte - releasedTo >= 8 << 20 {
                    text.release?(releasedTo, cursor.byte)
                    releasedTo = cursor.byte
                }
            case .failure(.incomplete):
                if try !moveOn() { break }
            case .failure(.unterminatedQuote(let at)):
                throw CSVPrelude.describe(.unterminatedQuote(at: at), position: text.position, file: file)
            }
        }
        text.release?(releasedTo, cursor.byte)
    }

    /// The fast part of `skip` in a mapped file: while the text ahead has no `"` at all, records
    /// end at newlines, which are counted in parallel (`LineCounter`), a segment at a time; a
    /// segment holding row `row` is split smaller until it is small enough for the exact scan.
    private func skipUnquoted(to row: Int) {
        let base = text.base, count = text.count
        var segment = 32 << 20  // small enough that the pages counted stay few (they are given back after)
        while cursor.dataRow < row && segment >= 1 << 20 {
            var e = min(count, cursor.byte + segment)
            // Up to the segment's last newline: a record ending past it is left whole.
            while e > cursor.byte && base[e - 1] != 10 { e -= 1 }
            guard e > cursor.byte else { return }
            let c = LineCounter.count(base, from: cursor.byte, to: e, limit: count, prepare: text.populate)
            guard !c.quoted else { return }  // fields may hold newlines from here: the exact scan
            let rows = c.records - c.blanks
            if cursor.dataRow + rows > row {
                segment /= 4
                continue
            }
            text.release?(cursor.byte, e)
            cursor = (e, cursor.record + c.records, cursor.dataRow + rows)
        }
    }

    /// One window, parsed but not yet judged by `revise`.
    private func readWindow(from start: Int, maxRows: Int) throws -> (result: DatasetWindow, outputs: [BlockOutput]) {
        try skip(to: start)
        let first = cursor.dataRow, firstRecord = cursor.record
        let d = layout.featureCount
        var parts: [AnonymousFloats] = []
        var outputs: [BlockOutput] = []
        var single: [Float]?
        var wanted = maxRows
        let budget = options.memory ?? .standard
        while wanted > 0 {
            let found = scanner().scan(
                from: cursor.byte, records: wanted, pieceBytes: pieceBytes(for: text.count - cursor.byte),
                recordBytes: recordBytes, release: text.release)
            if case .unterminatedQuote(let at)? = found.stop {
                throw CSVPrelude.describe(.unterminatedQuote(at: at), position: text.position, file: file)
            }
            let records = found.pieces.reduce(0) { $0 + $1.records }
            let ended = text.isFinal && found.end >= text.count
            try budget.check(rows: cursor.record - firstRecord + records, features: d, file: file, soFar: !ended)
            if records > 0 {
                let position = text.position
                let out: BlockOutput
                if outputs.isEmpty && ended && !text.isStream {
                    // The whole-file case: parsed straight into the matrix's storage.
                    var output: BlockOutput?
                    single = try [Float](unsafeUninitializedCapacity: max(records * d, 1)) { buffer, initialized in
                        let o = try parseBlock(
                            base: text.base, pieces: found.pieces, layout: layout, delimiter: prelude.delimiter,
                            position: position, recordBase: cursor.record, dataRowBase: cursor.dataRow,
                            into: buffer.baseAddress!, release: text.release)
                        initialized = o.kept * d
                        output = o
                    }
                    out = output!
                } else {
                    let part = AnonymousFloats(count: records * d)
                    out = try parseBlock(
                        base: text.base, pieces: found.pieces, layout: layout, delimiter: prelude.delimiter,
                        position: position, recordBase: cursor.record, dataRowBase: cursor.dataRow,
                        into: part.pointer, release: text.release)
                    part.used = out.kept * d
                    parts.append(part)
                }
                outputs.append(out)
                cursor.byte = found.end
                cursor.record += records
                cursor.dataRow += out.dataRows
                wanted -= out.dataRows
            }
            if ended { break }
            if wanted > 0 && (found.stop != nil || found.end >= text.count || records == 0) {
                // The buffer ends inside a record: the stream moves on.
                guard try text.advance(keepingFrom: cursor.byte) else { break }
                cursor.byte = 0
            }
        }
        let atEnd = text.isFinal && cursor.byte >= text.count
        if atEnd { rowCount = cursor.dataRow }
        let window = try assemble(outputs: outputs, parts: parts, single: single, firstRow: first, isLast: atEnd)
        return (window, outputs)
    }

    /// The window's dataset from its parsed blocks: checks, totals, ids and label codes.
    private func assemble(
        outputs: [BlockOutput], parts: [AnonymousFloats], single: [Float]?, firstRow: Int, isLast: Bool
    ) throws -> DatasetWindow {
        let d = layout.featureCount
        let names = layout.names
        let dataRows = outputs.reduce(0) { $0 + $1.dataRows }
        if dataRows == 0 && firstRow == 0 && isLast { throw Self.noDataRows(file: file, at: dataPlace) }
        let infinite = outputs.reduce(0) { $0 + $1.infinite }
        if infinite > 0, let (cell, column) = outputs.lazy.compactMap({ $0.firstInfinite }).first {
            let beyond = cell.text.lowercased().contains("inf") ? "" : " (beyond Float32's ±3.4e38)"
            throw InputError(
                file: file, line: cell.line, column: cell.column,
                message:
                    "found \(infinite) infinite value\(infinite == 1 ? "" : "s") in feature columns (the first, '\(cell.text)'\(beyond) in column \(DisplaySafe.quoted(names[column]))), expected finite numbers"
            )
        }
        let missing = outputs.reduce(0) { $0 + $1.missing }
        if missing > 0, let (cell, column) = outputs.lazy.compactMap({ $0.firstMissing }).first {
            switch options.missing {
            case .error:
                let what = cell.text.isEmpty ? "an empty cell" : "'\(cell.text)'"
                throw InputError(
                    file: file, line: cell.line, column: cell.column,
                    message:
                        "found \(missing) missing value\(missing == 1 ? "" : "s") in feature columns (the first, \(what) in column \(DisplaySafe.quoted(names[column]))), expected numbers; accept them with --missing zero or --missing drop"
                )
            case .zero:
                totals.zeroed += missing
            case .drop:
                totals.dropped += outputs.reduce(0) { $0 + $1.dropped }
            }
        }
        let kept = outputs.reduce(0) { $0 + $1.kept }
        if kept == 0 && dataRows > 0 && firstRow == 0 && isLast {
            let (cell, _) = outputs.lazy.compactMap({ $0.firstMissing }).first!
            throw InputError(
                file: file, line: cell.line, column: cell.column,
                message: "found missing values in every one of the \(dataRows) rows, expected at least one complete row")
        }
        let storage: [Float]
        if let single {
            storage = single
        } else {
            // Parts are copied into the matrix and unmapped one by one: the peak stays near one matrix.
            let total = parts.reduce(0) { $0 + $1.used }
            storage = [Float](unsafeUninitializedCapacity: total) { out, initialized in
                var at = 0
                for part in parts {
                    if part.used > 0 { (out.baseAddress! + at).update(from: part.pointer, count: part.used) }
                    at += part.used
                    part.free()
                }
                initialized = total
            }
        }
        let ids = layout.idColumn != nil ? outputs.flatMap { $0.ids } : outputs.flatMap { $0.rowNumbers.map(String.init) }
        var labels: GroupLabels?
        if let column = layout.labelColumn {
            var codes: [Int32] = []
            codes.reserveCapacity(kept)
            for out in outputs {
                let map = out.labelCategories.map { text -> Int32 in
                    let name = text.isEmpty ? GroupLabels.missing : text
                    if let c = categoryIndex[name] { return c }
                    let c = Int32(categories.count)
                    categoryIndex[name] = c
                    categories.append(name)
                    return c
                }
                codes += out.labelCodes.map { map[Int($0)] }
            }
            labels = GroupLabels(column: names[column], categories: categories, codes: codes)
        }
        let dataset = Dataset(
            file: file, featureNames: featureNames, values: Matrix(rows: kept, cols: d, storage: storage),
            ids: ids, idColumn: layout.idColumn.map { names[$0] }, labels: labels,
            firstRow: firstRow, fileRowCount: rowCount)
        return DatasetWindow(dataset: dataset, rows: firstRow..<(firstRow + dataRows), isLast: isLast)
    }

    // MARK: The second pass over a buffer

    struct BlockOutput {
        var records = 0
        var kept = 0
        /// Records that are not blank lines.
        var dataRows = 0
        var dropped = 0
        /// 1-based data row number of each kept row.
        var rowNumbers: [Int] = []
        var ids: [String] = []
        var labelCategories: [String] = []
        var labelCodes: [Int32] = []
        var missing = 0
        var firstMissing: (note: CellNote, column: Int)?
        var infinite = 0
        var firstInfinite: (note: CellNote, column: Int)?
        var demoted: [Int: CellNote] = [:]
        var countsFrom0 = true
        var countsFrom1 = true
    }

    private func parseBlock(
        base: UnsafePointer<UInt8>, pieces: [RecordPiece], layout: ColumnLayout, delimiter: UInt8,
        position: TextPosition, recordBase: Int, dataRowBase: Int,
        into matrix: UnsafeMutablePointer<Float>, release: ((Int, Int) -> Void)?
    ) throws -> BlockOutput {
        let fast = layout.fastCodes()
        let runs = layout.fastRuns()
        let slots = layout.slots()
        let d = layout.featureCount
        var outputs = [PieceOutput](repeating: PieceOutput(), count: pieces.count)
        fast.withUnsafeBufferPointer { fastCodes in
            runs.withUnsafeBufferPointer { runLengths in
                slots.withUnsafeBufferPointer { slotCodes in
                    let parser = PieceParser(
                        base: base, delimiter: delimiter, columnCount: layout.names.count, featureCount: d,
                        fast: fastCodes.baseAddress!, runs: runLengths.baseAddress!,
                        slots: slotCodes.baseAddress!,
                        labelColumn: layout.labelColumn ?? -1, idColumn: layout.idColumn ?? -1,
                        indexColumn: layout.indexColumn ?? -1, strict: layout.mode != .numeric,
                        missing: options.missing, recordBase: recordBase)
                    outputs.withUnsafeMutableBufferPointer { out in
                        let out = out
                        if pieces.count == 1 {
                            out[0] = parser.parse(pieces[0], into: matrix)
                            release?(pieces[0].start, pieces[0].end)
                        } else {
                            DispatchQueue.concurrentPerform(iterations: pieces.count) { i in
                                prefault(matrix + pieces[i].firstRecord * d, count: pieces[i].records * d)
                                out[i] = parser.parse(pieces[i], into: matrix)
                                release?(pieces[i].start, pieces[i].end)
                            }
                        }
                    }
                }
            }
        }

        func cellText(_ start: Int, _ end: Int) -> String {
            var e = end
            if e > start && base[e - 1] == UInt8(ascii: "\r") { e -= 1 }
            return excerpt(Array(UnsafeBufferPointer(start: base + start, count: e - start)))
        }
        func note(_ start: Int, _ end: Int) -> CellNote {
            let (l, c) = position.locate(start)
            return CellNote(line: l, column: c, text: cellText(start, end))
        }

        var block = BlockOutput()
        block.records = pieces.reduce(0) { $0 + $1.records }
        var removed: [Int] = []
        var blank: [Int] = []
        let names = layout.names
        for (piece, o) in zip(pieces, outputs) {
            if let problem = o.problem {
                throw describe(problem, names: names, position: position, text: cellText)
            }
            if let f = o.missing.first, block.firstMissing == nil { block.firstMissing = (note(f.offset, f.end), f.column) }
            if let f = o.infinite.first, block.firstInfinite == nil { block.firstInfinite = (note(f.offset, f.end), f.column) }
            block.missing += o.missing.count
            block.infinite += o.infinite.count
            for (column, start, end) in o.demoted where block.demoted[column] == nil { block.demoted[column] = note(start, end) }
            block.countsFrom0 = block.countsFrom0 && o.countsFrom0
            block.countsFrom1 = block.countsFrom1 && o.countsFrom1
            if o.indexIsText { block.countsFrom0 = false; block.countsFrom1 = false }
            blank += o.blank
            block.dropped += o.dropped.count
            // Both lists are ascending within a piece.
            var i = 0, j = 0
            while i < o.blank.count || j < o.dropped.count {
                if j == o.dropped.count || (i < o.blank.count && o.blank[i] < o.dropped[j]) {
                    removed.append(o.blank[i]); i += 1
                } else {
                    removed.append(o.dropped[j]); j += 1
                }
            }
            _ = piece
        }
        block.dataRows = block.records - blank.count

        // Keep the rows that are not blank or dropped, moving runs of them down.
        var write = 0
        var read = 0
        var keptRecords: [Range<Int>] = []
        for r in removed + [block.records] {
            if r > read {
                let run = r - read
                if write != read { (matrix + write * d).update(from: matrix + read * d, count: run * d) }
                keptRecords.append(read..<r)
                write += run
            }
            read = r + 1
        }
        block.kept = write

        var blankBefore = 0
        var b = 0
        block.rowNumbers.reserveCapacity(write)
        for run in keptRecords {
            for r in run {
                while b < blank.count && blank[b] < r { b += 1; blankBefore += 1 }
                block.rowNumbers.append(dataRowBase + r - blankBefore)
            }
        }
        if layout.labelColumn != nil {
            var index: [String: Int32] = [:]
            var codes: [Int32] = []
            codes.reserveCapacity(block.records)
            for o in outputs {
                let map = o.labelCategories.map { name -> Int32 in
                    if let c = index[name] { return c }
                    let c = Int32(block.labelCategories.count)
                    index[name] = c
                    block.labelCategories.append(name)
                    return c
                }
                codes += o.labelCodes.map { $0 < 0 ? -1 : map[Int($0)] }
            }
            block.labelCodes.reserveCapacity(write)
            for run in keptRecords { block.labelCodes += codes[run] }
        }
        if layout.idColumn != nil {
            let ids = outputs.flatMap { $0.ids }
            block.ids.reserveCapacity(write)
            for run in keptRecords { block.ids += ids[run] }
        }
        return block
    }

    private func describe(
        _ problem: CellProblem, names: [String], position: TextPosition,
        text: (Int, Int) -> String
    ) -> InputError {
        let (line, column) = position.locate(problem.offset)
        let expectedFields = names.count
        let message: String
        switch problem.kind {
        case .tooFewFields(let found):
            message = "found \(found) field\(found == 1 ? "" : "s"), expected \(expectedFields) as in the header"
        case .tooManyFields(let found):
            message = "found \(found) fields, expected \(expectedFields) as in the header"
        case .notANumber:
            let name = problem.column.map { names[$0] } ?? "?"
            message =
                "found '\(text(problem.cellStart, problem.cellEnd))' in feature column \(DisplaySafe.quoted(name)), expected a number (or a missing value: empty, NA, NaN)"
        case .invalidUTF8(let byte):
            message = "found byte 0x\(hex(byte)), which is not UTF-8, expected UTF-8 text (convert the file, e.g. iconv -f latin1 -t utf-8)"
        case .textAfterClosingQuote:
            message =
                "found '\(text(problem.offset, problem.cellEnd))' after a closing quote, expected a delimiter or the end of the line (write a quote inside a quoted field as \"\")"
        case .unterminatedQuote:
            message = "found a quoted field that never closes, expected a closing '\"'"
        }
        return InputError(file: file, line: line, column: column, message: message)
    }

    /// Learns from a whole-file parse in numeric mode: columns that turned out not to be all
    /// numbers, a first column that does not count the rows. True if the layout must be redone.
    private func revise(_ knowledge: inout ColumnKnowledge, layout: ColumnLayout, outputs: [BlockOutput]) -> Bool {
        var changed = false
        for out in outputs {
            for (column, cell) in out.demoted.sorted(by: { $0.key < $1.key }) where knowledge.text[column] == nil {
                knowledge.text[column] = cell
                changed = true
                revision =
                    "at line \(cell.line), '\(cell.text)' in column \(DisplaySafe.quoted(layout.names[column])), which the first rows showed as numbers"
                if expectation == nil && column != layout.indexColumn {
                    note(
                        "column \(DisplaySafe.quoted(layout.names[column])) is not all numbers (line \(cell.line): '\(cell.text)'): taken as metadata, not a feature"
                    )
                }
            }
        }
        if layout.indexColumn != nil && !outputs.allSatisfy({ $0.countsFrom0 }) && !outputs.allSatisfy({ $0.countsFrom1 }) {
            knowledge.firstColumnCountsRows = false
            changed = true
            revision = "that the first column '\(layout.names[0])' does not count the rows, which the first rows suggested"
        }
        return changed
    }

}

/// A file mapped read-only. `release` hands pages already parsed back to the kernel (they stay
/// in the page cache), so the resident set does not grow by the file's size.
final class MappedFile: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let count: Int
    private let mapping: UnsafeMutableRawPointer?
    private let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    init(path: String, file: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw InputError(file: file, message: "found no readable file (\(String(cString: strerror(errno)))), expected a CSV file")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw InputError(file: file, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw InputError(file: file, message: "found a directory or device, expected a CSV file")
        }
        count = Int(info.st_size)
        if count == 0 {
            // Nothing to map (mmap refuses length 0); one unread byte stands in.
            mapping = nil
            base = UnsafePointer(UnsafeMutablePointer<UInt8>.allocate(capacity: 1))
            return
        }
        guard let m = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), m != MAP_FAILED else {
            throw InputError(file: file, message: "cannot map the file into memory: \(String(cString: strerror(errno)))")
        }
        mapping = m
        base = UnsafePointer(m.assumingMemoryBound(to: UInt8.self))
    }

    deinit {
        if let mapping { munmap(mapping, count) } else { UnsafeMutablePointer(mutating: base).deallocate() }
    }

    /// Whether `path` names a regular file (or does not exist: opening it reports that).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return true }
        let kind = info.st_mode & S_IFMT
        return kind == S_IFREG || kind == S_IFDIR
    }

    /// Gives back the whole pages inside `[from, to)`.
    func release(_ from: Int, _ to: Int) {
        guard let mapping else { return }
        let lo = (from + pageSize - 1) / pageSize * pageSize
        let hi = to / pageSize * pageSize
        if hi > lo { madvise(mapping + lo, hi - lo, MADV_DONTNEED) }
    }

    /// Maps in the pages of `[from, to)` in one call before they are scanned: faulting them in
    /// one by one (64 KB at a time) was a third of the CPU time of skipping to a late row.
    /// (Linux 5.14 and later; elsewhere, or if refused, the pages fault in as they are read.)
    func populate(_ from: Int, _ to: Int) {
        #if os(Linux)
        guard let mapping else { return }
        let lo = from / pageSize * pageSize
        let populateRead: Int32 = 22  // MADV_POPULATE_READ
        if to > lo { _ = madvise(mapping + lo, min(count, to) - lo, populateRead) }
        #endif
    }
}

/// Maps in the whole pages of `count` floats at `p` in one call, before a piece's rows are
/// written: a page fault for each page of a new matrix cost 1–3% of a read's CPU time.
/// (Linux 5.14 and later; elsewhere, or if refused, the pages fault in as they are written.
/// Transparent huge pages instead made reads slower and their time erratic, by compaction.)
func prefault(_ p: UnsafeMutablePointer<Float>, count: Int) {
    #if os(Linux)
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let lo = (Int(bitPattern: p) + page - 1) / page * page
    let hi = Int(bitPattern: p + count) / page * page
    let populateWrite: Int32 = 23  // MADV_POPULATE_WRITE
    if hi > lo { _ = madvise(UnsafeMutableRawPointer(bitPattern: lo), hi - lo, populateWrite) }
    #endif
}

/// Floats in anonymous memory, returned to the system as soon as freed (not kept by malloc).
final class AnonymousFloats {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private var bytes: Int
    var used = 0

    init(count: Int) {
        bytes = max(count, 1) * MemoryLayout<Float>.stride
        let m = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        precondition(m != nil && m != MAP_FAILED, "cannot allocate \(bytes) bytes")
        pointer = m!.assumingMemoryBound(to: Float.self)
    }

    func free() {
        if bytes > 0 { munmap(pointer, bytes) }
        bytes = 0
    }

    deinit { free() }
}

/// An error handed back from another thread.
final class ErrorBox: @unchecked Sendable {
    var error: Error?
}

/// Decompressed text, filled from the inflater (on one thread at a time).
final class TextBuffer: @unchecked Sendable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var count = 0
    /// The inflater had finished when the last fill ended: this text ends the file.
    private(set) var isFinal = false

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    func clear() {
        count = 0
        isFinal = false
    }

    /// Gives the memory back (before the matrix is assembled); the buffer is not used after.
    func free() {
        base.deallocate()
        base = .allocate(capacity: 1)
        capacity = 1
        count = 0
    }

    func grow() {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// Drops the bytes before `offset`, moving the rest to the front.
    func shift(from offset: Int) {
        let rest = count - offset
        if rest > 0 && offset > 0 { base.update(from: base + offset, count: rest) }
        count = rest
        isFinal = false
    }

    /// Starts over with `other`'s bytes from `offset` on, leaving room for more.
    func take(tailOf other: TextBuffer, from offset: Int) {
        let rest = other.count - offset
        count = 0
        isFinal = false
        while capacity <= rest { grow() }
        if rest > 0 { base.update(from: other.base + offset, count: rest) }
        count = rest
    }

    func fill(from inflater: any CSVInput.Producer) throws {
        while count < capacity && !inflater.finished {
            count += try inflater.read(into: base + count, capacity: capacity - count)
        }
        isFinal = inflater.finished
    }
}
