import Foundation

/// What to do with missing feature cells: empty, `NA`, `NaN` (and pandas' other spellings).
public enum MissingPolicy: String, Sendable, CaseIterable {
    /// Refuse the file; the message counts the missing cells and names the first.
    case error
    /// Read them as 0.
    case zero
    /// Leave out the rows that have any; the remaining rows keep their ids from the file.
    case drop
}

/// How to read a CSV dataset (the command-line flags `--label-column`, `--id-column`,
/// `--features`, `--delimiter`, `--missing`).
public struct CSVReadOptions: Sendable {
    /// The group column; nil picks `label`, `cell_type`, `celltype`, `group`, `class` or `cluster` (any case) if present.
    public var labelColumn: String?
    /// The sample-id column; nil detects one (`sample_id`, `id`, `cell`, `barcode`, … or an unnamed
    /// first column), else a sample's id is its 0-based data row (see `ColumnLayout`).
    public var idColumn: String?
    /// A file with one feature column name per line, selecting and ordering the features.
    public var featuresFile: URL?
    /// The same, given directly (used when `featuresFile` is nil).
    public var featureList: [String]?
    /// The field delimiter; nil detects it (`.tsv`/`.tab` → tab, otherwise the header's commonest of `,` tab `;`).
    public var delimiter: UInt8?
    public var missing: MissingPolicy
    /// Most memory one read may take for the values it holds at once (nil: `MemoryBudget.standard`).
    public var memory: MemoryBudget?

    /// Bytes per parallel piece (nil: chosen from the size). Small values exercise the parallel paths in tests.
    var pieceBytes: Int?
    /// Bytes of decompressed text handled at a time for `.gz` input (nil: 16 MiB).
    var blockBytes: Int?
    /// Longest row a pipe may send (nil: 64 MiB): a stream without line ends is refused there.
    var pipeRecordLimit: Int?

    public init(
        labelColumn: String? = nil, idColumn: String? = nil, featuresFile: URL? = nil,
        featureList: [String]? = nil, delimiter: UInt8? = nil, missing: MissingPolicy = .error
    ) {
        self.labelColumn = labelColumn
        self.idColumn = idColumn
        self.featuresFile = featuresFile
        self.featureList = featureList
        self.delimiter = delimiter
        self.missing = missing
    }

    /// The byte for a `--delimiter` value: a single ASCII character, or `tab`, `\t`, `comma`, `semicolon`, `pipe`, `space`.
    public static func delimiter(from text: String) -> UInt8? {
        switch text.lowercased() {
        case "tab", "\\t", "\t": return 9
        case "comma": return UInt8(ascii: ",")
        case "semicolon": return UInt8(ascii: ";")
        case "pipe": return UInt8(ascii: "|")
        case "space": return 32
        default:
            let bytes = Array(text.utf8)
            guard bytes.count == 1, bytes[0] < 0x80, bytes[0] != UInt8(ascii: "\""),
                bytes[0] != UInt8(ascii: "\n"), bytes[0] != UInt8(ascii: "\r")
            else { return nil }
            return bytes[0]
        }
    }

    /// Reads a `--features` file: one column name per line; blank lines are skipped and
    /// surrounding spaces (and a CR) trimmed. A name given twice is an error.
    static let maxFeatureListBytes: Int64 = 256 << 20

    public static func loadFeatureList(from url: URL) throws -> [String] {
        let file = url.relativePath
        // Say what a FIFO or device is rather than failing to read it (or reading forever).
        let size = try FileKind.regularFileSize(url.path, file: file, expected: "a file listing feature names")
        guard size <= maxFeatureListBytes else {
            throw InputError(file: file, message: "is \(size) bytes, more than the \(maxFeatureListBytes) a feature list may have")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw InputError(file: file, message: "cannot read the feature list: \(error.localizedDescription)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var names: [String] = []
        var seen: [String: Int] = [:]
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let raw = Array(line)
            if let bad = raw.withUnsafeBufferPointer({ firstInvalidUTF8($0.baseAddress!, $0.count) }), !raw.isEmpty {
                throw InputError(
                    file: file, line: lineNumber, column: bad + 1,
                    message: "found byte 0x\(String(raw[bad], radix: 16, uppercase: true)), which is not UTF-8, expected UTF-8 text")
            }
            let name = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { continue }
            if let first = seen[name] {
                throw InputError(
                    file: file, line: lineNumber, column: 1,
                    message: "found \(DisplaySafe.quoted(name)) again (first on line \(first)), expected each feature once")
            }
            seen[name] = lineNumber
            names.append(name)
        }
        if names.isEmpty {
            throw InputError(file: file, message: "found no column names, expected one feature column name per line")
        }
        return names
    }
}

/// What the model needs from the data: its input width and, when it carries them, the
/// feature names in input order.
public struct FeatureExpectation: Sendable, Equatable {
    public var count: Int
    public var names: [String]?

    public init(count: Int, names: [String]? = nil) {
        precondition(names == nil || names!.count == count)
        self.count = count
        self.names = names
    }

    public init(model: GlassBoxModel) {
        self.init(count: model.featureCount, names: model.featureNames)
    }
}
