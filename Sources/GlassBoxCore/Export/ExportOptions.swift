import Foundation

/// How the contribution arrays are written.
public enum ContributionFormat: String, Sendable, CaseIterable {
    /// `contributions.npy` (n, k, d) — what `numpy.load` reads directly.
    case npy
    /// `contributions.csv` in long form: id, component, feature, value.
    case csv
}

/// What `glassbox export` (and, with no directory, `glassbox verify`) computes and writes.
public struct ExportOptions: Sendable {
    /// Where the files go; nil computes and verifies only, writing nothing (`verify`).
    public var directory: URL?
    public var precision: Precision = .single
    /// Largest relative reconstruction error that passes.
    public var tolerance: Double = 1e-4
    /// Features per sample in top_features.csv, and per group in groups.csv.
    public var topK = 20
    public var format: ContributionFormat = .npy
    /// The data rows to export (nil: all); checked against the file as it is read.
    public var rowSpan: RowSpan?
    /// The same as a range.
    public var rows: Range<Int>? {
        get { rowSpan.map { ($0.start ?? 0)..<($0.end ?? Int.max) } }
        set { rowSpan = newValue.map { RowSpan(start: $0.lowerBound, end: $0.upperBound) } }
    }
    /// Bytes of feature values read per window (nil: 512 MiB): what bounds an export's memory.
    public var windowBytes: Int?
    /// Also write embedding.svg and groups.svg. Keeps 2 floats per sample for the scatter.
    public var plots = false
    /// Samples per engine chunk (nil: the engine's default); results do not depend on it.
    public var chunkSize: Int?
    public var threads: Int?
    /// How many worst-reconstructed samples to report.
    public var worstCount = 5
    /// Files and version recorded in verification.json (nil: none, as `verify --json` prints).
    public var provenance: ExportProvenance?
    /// Replace `directory` even when it is not a glassbox export (see `ExportManifest`).
    public var force = false

    /// Called with each chunk's rows before it is written — lets tests make an export fail midway.
    var chunkHook: (@Sendable (Range<Int>) throws -> Void)?
    /// Called after each window is read (starts the data's digest once reading is under way).
    public var windowRead: (@Sendable () -> Void)?

    public init(directory: URL? = nil) {
        self.directory = directory
    }
}

/// Where an export's inputs came from: the model's SHA-256, what identifies the data cheaply
/// (its size and modification time; the export adds digests of its columns and rows), the
/// data's SHA-256 only when asked for (`--hash-data`: it reads the whole file), and the version.
public struct ExportProvenance: Sendable {
    public var model: FileDigest
    public var data: URL
    public var dataStamp: FileStamp
    public var dataDigest: FileDigest?
    public var version: String

    public init(model: FileDigest, data: URL, dataStamp: FileStamp, dataDigest: FileDigest? = nil, version: String) {
        self.model = model
        self.data = data
        self.dataStamp = dataStamp
        self.dataDigest = dataDigest
        self.version = version
    }
}

/// A file's SHA-256, computed on a background thread from `start()` on — so hashing a large
/// data file overlaps other work instead of adding to it.
public final class FileDigest: @unchecked Sendable {
    public let url: URL
    private let lock = NSLock()
    private var started = false
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<String, Error>?

    /// With `start: false`, hashing begins at `start()` (or at `hex()` at the latest).
    public init(_ url: URL, start: Bool = true) {
        self.url = url
        if start { self.start() }
    }

    /// Begins hashing; a no-op once begun. Export starts hashing the data only after reading
    /// it: on 2 cores, a hash running beside the parallel parse only slows the parse, while
    /// the compute-and-write phase has idle moments (waits for the disk, each phase's tail)
    /// that the hash fills — measured 1.36 → 1.30 s for a whole export. (Running it at SCHED_IDLE
    /// instead starved it behind any other busy process: 4 s instead of 1.6.)
    public func start() {
        lock.lock()
        defer { lock.unlock() }
        guard !started else { return }
        started = true
        let thread = Thread { [self] in
            result = Result { try SHA256.hexDigest(of: url) }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The hex digest; waits for the hashing to finish.
    public func hex() throws -> String {
        start()
        done.wait()
        done.signal()
        return try result!.get()
    }
}
