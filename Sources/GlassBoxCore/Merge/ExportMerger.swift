import Foundation

/// What `glassbox merge` writes and how.
public struct MergeOptions: Sendable {
    /// The merged export's directory.
    public var directory: URL
    /// Replace `directory` even when it is not a glassbox export.
    public var force = false
    /// Accept parts that cover a run of rows short of the whole data (to merge in stages);
    /// they must still be contiguous and not overlap.
    public var partial = false

    public init(directory: URL) {
        self.directory = directory
    }
}

/// `glassbox merge`: exports of consecutive row ranges (the parts of a split export) into the
/// export of all their rows — the per-sample files streamed one after another (arrays bit for
/// bit, never a whole array in memory), the summaries recomputed from the parts' statistics.
/// Atomic like an export: the merged export is staged and swapped in whole.
public enum ExportMerger {
    public static func run(
        parts urls: [URL], options: MergeOptions, token: CancellationToken? = nil,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> ExportResult {
        let clock = PhaseClock()

        let parts = try ExportParts(urls, partial: options.partial)
        try checkOutput(options.directory, isNotAmong: parts)
        var (summary, codes) = parts.merged()
        let sizes = try partFileSizes(parts)
        clock.end("read and check the parts")

        let files = try ExportFiles(directory: options.directory, force: options.force)
        defer { files.discard() }  // a no-op once committed
        let total = sizes.joined().reduce(0) { $0 + $1.size }
        var copied = 0
        for (f, name) in summary.dataFiles.map(\.name).enumerated() {
            let out = try files.create(name)
            let pieces = parts.parts.indices.map { (parts.parts[$0], sizes[$0][f].size) }
            if name.hasSuffix(".npy") {
                try concatenateNPY(name, pieces, into: out, token: token) {
                    copied += $0; progress?(copied, total)
                }
            } else {
                try concatenateCSV(name, pieces, into: out, token: token) {
                    copied += $0; progress?(copied, total)
                }
            }
        }
        summary.dataFiles = try files.sizes()
        clock.end("concatenate")

        let scatter = summary.settings.plots ? try scatterPoints(parts, codes: codes, summary: summary) : nil
        try summary.writeTables(to: files, scatter: scatter)
        let report = try summary.writeRecords(to: files)
        try files.commit()
        clock.end("summaries and commit")
        return ExportResult(report: report, rows: summary.rows, files: files.names, seconds: clock.seconds, phases: clock.phases)
    }

    /// Merging into a part, or a directory holding parts, would delete them at the swap.
    private static func checkOutput(_ out: URL, isNotAmong parts: ExportParts) throws {
        let target = out.resolvingSymlinksInPath().standardizedFileURL.path
        for part in parts.parts {
            let path = part.url.resolvingSymlinksInPath().standardizedFileURL.path
            if path == target || path.hasPrefix(target.hasSuffix("/") ? target : target + "/") {
                throw InputError(
                    file: out.relativePath,
                    message: "\(path == target ? "is" : "holds") the part \(part.name); merging into it would delete "
                        + "\(path == target ? "it" : "the parts") — choose another --out")
            }
        }
    }

    /// Each part's per-sample files and their sizes, checked against what its statistics
    /// recorded (a part changed since it was exported would merge into nonsense).
    private static func partFileSizes(_ parts: ExportParts) throws -> [[(name: String, size: Int)]] {
        try parts.parts.map { part in
            try part.summary.dataFiles.map { recorded in
                let path = (part.name as NSString).appendingPathComponent(recorded.name)
                let url = part.url.appendingPathComponent(recorded.name)
                guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int else {
                    throw InputError(file: path, message: "missing: \(PartStatistics.file) lists it among the part's files")
                }
                guard size == recorded.size else {
                    throw InputError(
                        file: path,
                        message: "is \(size) bytes, but the part's \(PartStatistics.file) records \(recorded.size): "
                            + "the part changed after it was exported; export it again")
                }
                return (recorded.name, size)
            }
        }
    }

    /// One array of all the parts' rows: the same header an export of them all writes (one disk
    /// block), then each part's data as it is.
    private static func concatenateNPY(
        _ name: String, _ pieces: [(ExportParts.Part, Int)], into out: PartialFile,
        token: CancellationToken?, copied: (Int) -> Void
    ) throws {
        var headers: [NPY.Header] = []
        for (part, size) in pieces {
            let path = (part.name as NSString).appendingPathComponent(name)
            let h = try NPY.header(ofFile: part.url.appendingPathComponent(name), file: path)
            let rows = part.summary.sampleCount
            let expected = headers.first.map { Array($0.shape.dropFirst()) }
            guard h.shape.first == rows, expected == nil || Array(h.shape.dropFirst()) == expected!,
                h.dtype == (headers.first?.dtype ?? h.dtype)
            else {
                throw InputError(
                    file: path,
                    message: "holds a \(h.dtype.rawValue) array of shape \(h.shape), expected one row for each of its \(rows) samples"
                        + (headers.first.map { " of shape \(Array($0.shape.dropFirst())) in \($0.dtype.rawValue) like the other parts" }
                            ?? ""))
            }
            guard h.dataOffset + h.count * h.dtype.size == size else {
                throw InputError(
                    file: path,
                    message: "is \(size) bytes, expected \(h.dataOffset + h.count * h.dtype.size) for its header and shape \(h.shape)")
            }
            headers.append(h)
        }
        let rows = headers.reduce(0) { $0 + $1.shape[0] }
        try out.append(
            Array(NPY.header(dtype: headers[0].dtype, shape: [rows] + headers[0].shape.dropFirst(), alignment: DirectFileWriter.blockSize)))
        for ((part, size), h) in zip(pieces, headers) {
            try out.append(
                contentsOf: part.url.appendingPathComponent(name), range: h.dataOffset..<size,
                file: (part.name as NSString).appendingPathComponent(name), token: token)
            copied(size)
        }
    }

    /// One table of all the parts' lines: the header once (every part's must be the same),
    /// then each part's lines as they are.
    private static func concatenateCSV(
        _ name: String, _ pieces: [(ExportParts.Part, Int)], into out: PartialFile,
        token: CancellationToken?, copied: (Int) -> Void
    ) throws {
        var header: [UInt8]?
        for (part, size) in pieces {
            let path = (part.name as NSString).appendingPathComponent(name)
            let url = part.url.appendingPathComponent(name)
            let stream = try CSVRecordStream(url, file: path)
            guard try stream.next() != nil else { throw InputError(file: path, message: "is empty, expected a header line") }
            let length = stream.offset
            let bytes = [UInt8](try FileHandle(forReadingFrom: url).read(upToCount: length) ?? Data())
            if let header {
                guard bytes == header else {
                    throw InputError(
                        file: path, line: 1,
                        message: "has another header than \(pieces[0].0.name)'s: "
                            + "'\(DisplaySafe.text(String(decoding: bytes.prefix(80), as: UTF8.self)))'")
                }
            } else {
                header = bytes
                try out.append(bytes)
            }
            try out.append(contentsOf: url, range: length..<size, file: path, token: token)
            copied(size)
        }
    }

    /// The scatter of all rows, read back from the parts' embedding.csv: the values are their
    /// shortest round-trip text, so they parse to what the export plotted.
    private static func scatterPoints(
        _ parts: ExportParts, codes: [[Int32]], summary: ExportSummary
    ) throws -> (points: [Float], codes: [Int32]?) {
        let m = summary.outputCount, labelled = summary.categories != nil
        var points: [Float] = [], rowCodes: [Int32] = []
        points.reserveCapacity(summary.sampleCount * m)
        if labelled { rowCodes.reserveCapacity(summary.sampleCount) }
        for (p, part) in parts.parts.enumerated() {
            let path = (part.name as NSString).appendingPathComponent(ExportFile.embedding.name)
            let stream = try CSVRecordStream(part.url.appendingPathComponent(ExportFile.embedding.name), file: path)
            _ = try stream.next()
            let labels = part.summary.categories.map { Dictionary($0.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }) }
            let first = labelled ? 2 : 1
            var line = 1, rows = 0
            while let fields = try stream.next() {
                line += 1
                rows += 1
                guard fields.count == first + m else {
                    throw InputError(file: path, line: line, message: "has \(fields.count) fields, expected \(first + m)")
                }
                if let labels {
                    guard let code = labels[fields[1]] else {
                        throw InputError(
                            file: path, line: line, message: "label '\(DisplaySafe.text(fields[1]))' is not among the part's groups")
                    }
                    rowCodes.append(codes[p][code])
                }
                for j in 0..<m {
                    let text = fields[first + j]
                    // As the export plots them: the working precision's value, as Float.
                    let value = summary.settings.precision == .single ? Float(text) : Double(text).map(Float.init)
                    guard let value else {
                        throw InputError(file: path, line: line, message: "'\(DisplaySafe.text(text))' is not a number")
                    }
                    points.append(value)
                }
            }
            guard rows == part.summary.sampleCount else {
                throw InputError(
                    file: path, message: "has \(rows) samples, expected the \(part.summary.sampleCount) its \(PartStatistics.file) counts")
            }
        }
        return (points, labelled ? rowCodes : nil)
    }
}
