#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation

/// Reads a CSV/TSV dataset (plain or `.gz`) into a `Dataset`, for `verify`, `export` and the explorer.
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
/// Plain files are memory-mapped; a first pass finds record boundaries (in parallel,
/// quote-aware), a second parses the pieces in parallel straight into the Float32 matrix.
/// Mapped pages are handed back as each piece is done, so the peak resident memory is about
/// the matrix. `.gz` files are decompressed in blocks, each parsed the same way.
public enum CSVDatasetReader {
    /// Reads `url`. `notes` receives informational messages (the label column chosen, the
    /// delimiter detected, rows dropped …) for the command line to print on stderr.
    public static func read(_ url: URL, options: CSVReadOptions = CSVReadOptions(),
                            expecting expectation: FeatureExpectation? = nil,
                            notes: (String) -> Void = { _ in }) throws -> Dataset {
        let file = url.relativePath
        let session = try CSVSession(file: file, options: options, expectation: expectation)
        defer { session.notes.forEach(notes) }
        if !MappedFile.isRegularFile(url.path) {
            // A pipe or device (`<(zcat …)`, /dev/stdin) cannot be mapped: read it whole.
            let data: Data
            do {
                data = try FileHandle(forReadingFrom: url).readToEnd() ?? Data()
            } catch {
                throw InputError(file: file, message: "found no readable file (\(error.localizedDescription)), expected a CSV file")
            }
            return try data.withUnsafeBytes { bytes in
                let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
                if GzipInflater.isGzip(base, bytes.count) { return try session.readGzip(base, bytes.count, release: nil) }
                return try session.readText(base, bytes.count, release: nil)
            }
        }
        let mapped = try MappedFile(path: url.path, file: file)
        if GzipInflater.isGzip(mapped.base, mapped.count) {
            return try session.readGzip(mapped.base, mapped.count, release: mapped.release)
        }
        return try session.readText(mapped.base, mapped.count, release: mapped.release)
    }

    /// Reads CSV text (or gzip data) held in memory; `fileName` is used in messages and for the `.tsv` rule.
    public static func read(data: Data, fileName: String, options: CSVReadOptions = CSVReadOptions(),
                            expecting expectation: FeatureExpectation? = nil,
                            notes: (String) -> Void = { _ in }) throws -> Dataset {
        try data.withUnsafeBytes { bytes in
            try read(bytes: bytes, fileName: fileName, options: options, expecting: expectation, notes: notes)
        }
    }

    /// Reads CSV text (or gzip data) held in memory.
    public static func read(bytes: UnsafeRawBufferPointer, fileName: String, options: CSVReadOptions = CSVReadOptions(),
                            expecting expectation: FeatureExpectation? = nil,
                            notes: (String) -> Void = { _ in }) throws -> Dataset {
        let session = try CSVSession(file: fileName, options: options, expectation: expectation)
        defer { session.notes.forEach(notes) }
        var empty: UInt8 = 0
        return try withUnsafePointer(to: &empty) { emptyPointer in
            let base = bytes.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) } ?? emptyPointer
            if GzipInflater.isGzip(base, bytes.count) {
                return try session.readGzip(base, bytes.count, release: nil)
            }
            return try session.readText(base, bytes.count, release: nil)
        }
    }
}

/// One read: the options, and the notes gathered on the way.
final class CSVSession {
    let file: String
    let options: CSVReadOptions
    let expectation: FeatureExpectation?
    let featureList: (names: [String], file: String)?
    private var preludeNotes: [String] = []
    /// Those of the last layout decided (a revised layout replaces them).
    private var layoutNotes: [String] = []
    private var laterNotes: [String] = []

    /// Informational messages, in order: dialect, column roles, then what the parse found.
    var notes: [String] {
        var all: [String] = []
        for s in preludeNotes + layoutNotes + laterNotes where !all.contains(s) { all.append(s) }
        return all
    }

    init(file: String, options: CSVReadOptions, expectation: FeatureExpectation?) throws {
        self.file = file
        self.options = options
        self.expectation = expectation
        if let url = options.featuresFile {
            featureList = (try CSVReadOptions.loadFeatureList(from: url), url.relativePath)
        } else if let list = options.featureList {
            featureList = (list, "the feature list")
        } else {
            featureList = nil
        }
    }

    private func note(_ s: String) { laterNotes.append(s) }

    private static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    private func pieceBytes(for total: Int) -> Int {
        options.pieceBytes ?? min(max(total / (Self.cores * 8), 1 << 20), 8 << 20)
    }

    // MARK: Plain text

    func readText(_ base: UnsafePointer<UInt8>, _ count: Int, release: ((Int, Int) -> Void)?) throws -> Dataset {
        guard let prelude = try CSVPrelude.read(base, count, isFinal: true, file: file, options: options) else {
            throw InputError(file: file, line: 1, column: 1, message: "found an empty file, expected a header row followed by rows of values")
        }
        preludeNotes = prelude.notes
        var knowledge = prelude.knowledge
        var layout = try decide(prelude, knowledge)   // before the first pass: fail fast on the header
        let position = TextPosition(base: base, count: count, firstLine: 1, bomLength: prelude.bomLength)
        let scanner = RecordScanner(base: base, count: count, delimiter: prelude.delimiter, isFinal: true)
        let scan = scanner.scanAll(from: prelude.dataStart, pieceBytes: pieceBytes(for: count - prelude.dataStart), release: release)
        if case .unterminatedQuote(let at)? = scan.stop {
            throw CSVPrelude.describe(.unterminatedQuote(at: at), position: position, file: file)
        }
        let records = scan.pieces.reduce(0) { $0 + $1.records }
        let dataPlace = position.locate(prelude.dataStart)
        while true {
            let d = layout.featureCount
            var output: BlockOutput?
            let storage = try [Float](unsafeUninitializedCapacity: max(records * d, 1)) { buffer, initialized in
                let out = try parseBlock(base: base, pieces: scan.pieces, layout: layout, delimiter: prelude.delimiter,
                                         position: position, recordBase: 0, dataRowBase: 0,
                                         into: buffer.baseAddress!, release: release)
                initialized = out.kept * d
                output = out
            }
            if revise(&knowledge, layout: layout, outputs: [output!]) {
                layout = try decide(prelude, knowledge)
                continue
            }
            return try finish(layout: layout, outputs: [output!], storage: storage, dataPlace: dataPlace)
        }
    }

    private func decide(_ prelude: CSVPrelude, _ knowledge: ColumnKnowledge) throws -> ColumnLayout {
        let layout = try ColumnLayout.decide(header: prelude.header, knowledge: knowledge, options: options,
                                             featureList: featureList, expectation: expectation, file: file)
        layoutNotes = layout.notes
        return layout
    }

    // MARK: gzip

    /// Decompresses in blocks, double-buffered: the next block is inflated on another thread
    /// while the current one is parsed.
    func readGzip(_ base: UnsafePointer<UInt8>, _ count: Int, release: ((Int, Int) -> Void)?) throws -> Dataset {
        let blockBytes = options.blockBytes ?? (16 << 20)
        var current = TextBuffer(capacity: blockBytes)
        var spare = TextBuffer(capacity: blockBytes)
        var prelude: CSVPrelude?
        var knowledge = ColumnKnowledge()
        var dataPlace = (line: 2, column: 1)
        while true {
            let inflater = try GzipInflater(input: base, count: count, file: file)
            inflater.release = release
            current.clear()
            try current.fill(from: inflater)
            while true {
                if let p = try CSVPrelude.read(current.base, current.count, isFinal: current.isFinal, file: file, options: options) {
                    if prelude == nil {
                        prelude = p
                        preludeNotes = p.notes
                        knowledge = p.knowledge
                        dataPlace = TextPosition(base: current.base, count: current.count, firstLine: 1, bomLength: p.bomLength)
                            .locate(p.dataStart)
                    }
                    break
                }
                current.grow()
                try current.fill(from: inflater)
            }
            let prelude = prelude!
            let layout = try decide(prelude, knowledge)
            let d = layout.featureCount
            var parts: [AnonymousFloats] = []
            var outputs: [BlockOutput] = []
            var start = prelude.dataStart
            var lineBase = 1
            var recordBase = 0
            var dataRowBase = 0
            var firstBlock = true
            let filling = DispatchGroup()
            let fillError = ErrorBox()
            defer { filling.wait() }   // never leave the inflater and a buffer to a running fill
            while true {
                let scanner = RecordScanner(base: current.base, count: current.count, delimiter: prelude.delimiter,
                                            isFinal: current.isFinal)
                let position = TextPosition(base: current.base, count: current.count, firstLine: lineBase,
                                            bomLength: firstBlock ? prelude.bomLength : 0)
                let pieceSize = options.pieceBytes ?? min(max(blockBytes / (Self.cores * 4), 1 << 20), 8 << 20)
                let scan = scanner.scanAll(from: start, pieceBytes: pieceSize, release: nil)
                if case .unterminatedQuote(let at)? = scan.stop {
                    throw CSVPrelude.describe(.unterminatedQuote(at: at), position: position, file: file)
                }
                let done = current.isFinal && scan.end >= current.count
                if !done {
                    // The unfinished record moves to the spare buffer, which fills meanwhile.
                    spare.take(tailOf: current, from: scan.end)
                    let next = spare
                    filling.enter()
                    DispatchQueue.global().async {
                        do { try next.fill(from: inflater) } catch { fillError.error = error }
                        filling.leave()
                    }
                }
                let records = scan.pieces.reduce(0) { $0 + $1.records }
                if records > 0 {
                    let part = AnonymousFloats(count: records * d)
                    let out = try parseBlock(base: current.base, pieces: scan.pieces, layout: layout, delimiter: prelude.delimiter,
                                             position: position, recordBase: recordBase, dataRowBase: dataRowBase,
                                             into: part.pointer, release: nil)
                    part.used = out.kept * d
                    parts.append(part)
                    outputs.append(out)
                    recordBase += records
                    dataRowBase += out.dataRows
                }
                if done { break }
                lineBase += position.lines(upTo: scan.end)
                filling.wait()
                if let error = fillError.error { throw error }
                swap(&current, &spare)
                start = 0
                firstBlock = false
            }
            if revise(&knowledge, layout: layout, outputs: outputs) { continue }
            current.free()
            spare.free()
            let total = parts.reduce(0) { $0 + $1.used }
            // Parts are copied into the matrix and unmapped one by one: the peak stays near one matrix.
            let storage = [Float](unsafeUninitializedCapacity: max(total, 1)) { out, initialized in
                var at = 0
                for i in parts.indices {
                    if parts[i].used > 0 {
                        (out.baseAddress! + at).update(from: parts[i].pointer, count: parts[i].used)
                    }
                    at += parts[i].used
                    parts[i].free()
                }
                initialized = total
            }
            return try finish(layout: layout, outputs: outputs, storage: storage, dataPlace: dataPlace)
        }
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

    private func parseBlock(base: UnsafePointer<UInt8>, pieces: [RecordPiece], layout: ColumnLayout, delimiter: UInt8,
                            position: TextPosition, recordBase: Int, dataRowBase: Int,
                            into matrix: UnsafeMutablePointer<Float>, release: ((Int, Int) -> Void)?) throws -> BlockOutput {
        let fast = layout.fastCodes()
        let runs = layout.fastRuns()
        let slots = layout.slots()
        let d = layout.featureCount
        var outputs = [PieceOutput](repeating: PieceOutput(), count: pieces.count)
        fast.withUnsafeBufferPointer { fastCodes in
            runs.withUnsafeBufferPointer { runLengths in
                slots.withUnsafeBufferPointer { slotCodes in
                    let parser = PieceParser(base: base, delimiter: delimiter, columnCount: layout.names.count, featureCount: d,
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
                if j == o.dropped.count || (i < o.blank.count && o.blank[i] < o.dropped[j]) { removed.append(o.blank[i]); i += 1 }
                else { removed.append(o.dropped[j]); j += 1 }
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
                block.rowNumbers.append(dataRowBase + r - blankBefore + 1)
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

    private func describe(_ problem: CellProblem, names: [String], position: TextPosition,
                          text: (Int, Int) -> String) -> InputError {
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
            message = "found '\(text(problem.cellStart, problem.cellEnd))' in feature column \(DisplaySafe.quoted(name)), expected a number (or a missing value: empty, NA, NaN)"
        case .invalidUTF8(let byte):
            message = "found byte 0x\(hex(byte)), which is not UTF-8, expected UTF-8 text (convert the file, e.g. iconv -f latin1 -t utf-8)"
        case .textAfterClosingQuote:
            message = "found '\(text(problem.offset, problem.cellEnd))' after a closing quote, expected a delimiter or the end of the line (write a quote inside a quoted field as \"\")"
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
                if expectation == nil && column != layout.indexColumn {
                    note("column \(DisplaySafe.quoted(layout.names[column])) is not all numbers (line \(cell.line): '\(cell.text)'): taken as metadata, not a feature")
                }
            }
        }
        if layout.indexColumn != nil && !outputs.allSatisfy({ $0.countsFrom0 }) && !outputs.allSatisfy({ $0.countsFrom1 }) {
            knowledge.firstColumnCountsRows = false
            changed = true
        }
        return changed
    }

    private func finish(layout: ColumnLayout, outputs: [BlockOutput], storage: [Float],
                        dataPlace: (line: Int, column: Int)) throws -> Dataset {
        let d = layout.featureCount
        let names = layout.names
        let dataRows = outputs.reduce(0) { $0 + $1.dataRows }
        if dataRows == 0 {
            throw InputError(file: file, line: dataPlace.line, column: dataPlace.column,
                             message: "found a header but no rows of values, expected at least one sample")
        }
        let infinite = outputs.reduce(0) { $0 + $1.infinite }
        if infinite > 0, let (cell, column) = outputs.lazy.compactMap({ $0.firstInfinite }).first {
            let beyond = cell.text.lowercased().contains("inf") ? "" : " (beyond Float32's ±3.4e38)"
            throw InputError(file: file, line: cell.line, column: cell.column,
                             message: "found \(infinite) infinite value\(infinite == 1 ? "" : "s") in feature columns (the first, '\(cell.text)'\(beyond) in column \(DisplaySafe.quoted(names[column]))), expected finite numbers")
        }
        let missing = outputs.reduce(0) { $0 + $1.missing }
        if missing > 0, let (cell, column) = outputs.lazy.compactMap({ $0.firstMissing }).first {
            switch options.missing {
            case .error:
                let what = cell.text.isEmpty ? "an empty cell" : "'\(cell.text)'"
                throw InputError(file: file, line: cell.line, column: cell.column,
                                 message: "found \(missing) missing value\(missing == 1 ? "" : "s") in feature columns (the first, \(what) in column \(DisplaySafe.quoted(names[column]))), expected numbers; accept them with --missing zero or --missing drop")
            case .zero:
                note("read \(missing) missing value\(missing == 1 ? "" : "s") as 0 (--missing zero)")
            case .drop:
                let dropped = outputs.reduce(0) { $0 + $1.dropped }
                note("left out \(dropped) row\(dropped == 1 ? "" : "s") with missing values (--missing drop)")
            }
        }
        let kept = outputs.reduce(0) { $0 + $1.kept }
        if kept == 0 {
            let (cell, _) = outputs.lazy.compactMap({ $0.firstMissing }).first!
            throw InputError(file: file, line: cell.line, column: cell.column,
                             message: "found missing values in every one of the \(dataRows) rows, expected at least one complete row")
        }
        let ids: [String]
        if layout.idColumn != nil {
            ids = outputs.flatMap { $0.ids }
        } else {
            ids = outputs.flatMap { $0.rowNumbers.map(String.init) }
        }
        var labels: GroupLabels?
        if let column = layout.labelColumn {
            var index: [String: Int32] = [:]
            var categories: [String] = []
            var codes: [Int32] = []
            codes.reserveCapacity(kept)
            for out in outputs {
                let map = out.labelCategories.map { name -> Int32 in
                    if let c = index[name] { return c }
                    let c = Int32(categories.count)
                    index[name] = c
                    categories.append(name)
                    return c
                }
                codes += out.labelCodes.map { map[Int($0)] }
            }
            labels = GroupLabels(column: names[column], categories: categories, codes: codes)
        }
        return Dataset(file: file, featureNames: layout.featureColumns.map { names[$0] },
                       values: Matrix(rows: kept, cols: d, storage: storage), ids: ids,
                       idColumn: layout.idColumn.map { names[$0] }, labels: labels)
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
    let populateWrite: Int32 = 23   // MADV_POPULATE_WRITE
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

    /// Starts over with `other`'s bytes from `offset` on, leaving room for more.
    func take(tailOf other: TextBuffer, from offset: Int) {
        let rest = other.count - offset
        count = 0
        isFinal = false
        while capacity <= rest { grow() }
        if rest > 0 { base.update(from: other.base + offset, count: rest) }
        count = rest
    }

    func fill(from inflater: GzipInflater) throws {
        while count < capacity && !inflater.finished {
            count += try inflater.read(into: base + count, capacity: capacity - count)
        }
        isFinal = inflater.finished
    }
}
