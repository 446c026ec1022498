/// Upstream's `JacobianVerification`: how well `f(x) = J(x) · x` holds.
public struct JacobianVerification: Equatable, Sendable {
    /// (min, max) of the embedding Z.
    public var zRange: (Double, Double)
    /// (min, max) of the reconstruction J · x.
    public var reconstructionRange: (Double, Double)
    /// max |Z − J·x| over all samples and dimensions.
    public var maxError: Double
    /// mean |Z − J·x| over all samples and dimensions.
    public var meanError: Double
    /// maxError / (max |Z| + 1e-8).
    public var relativeError: Double
    /// How many samples it covers.
    public var sampleCount: Int
    /// Samples with a NaN or infinity in z, J·u or (when computed) C. They fail the
    /// verification whatever the errors of the others, which are all the fields above cover.
    public var nonFiniteCount: Int = 0
    /// The dataset rows of those samples, ascending, when their rows were given.
    public var nonFiniteRows: [Int] = []

    public static func == (a: Self, b: Self) -> Bool {
        a.zRange == b.zRange && a.reconstructionRange == b.reconstructionRange && a.maxError == b.maxError
            && a.meanError == b.meanError && a.relativeError == b.relativeError && a.sampleCount == b.sampleCount
            && a.nonFiniteCount == b.nonFiniteCount && a.nonFiniteRows == b.nonFiniteRows
    }

    /// Upstream's criterion, relative_error ≤ tolerance, on finite results only: a NaN or an
    /// infinity is never within a tolerance, however the other samples fare.
    public func passes(tolerance: Double) -> Bool {
        nonFiniteCount == 0 && relativeError <= tolerance
    }

    /// `verify_jacobian(Z, J, X)` on whole arrays: Z (n, m), J (n, m, in), X (n, in).
    public static func verify<T: BLASScalar>(z: Matrix<T>, jacobian: Array3<T>, input x: Matrix<T>) -> JacobianVerification {
        let (n, m, k) = jacobian.shape
        precondition(z.rows == n && z.cols == m && x.rows == n && x.cols == k)
        var acc = VerificationAccumulator()
        var r = [T](repeating: 0, count: m)
        for i in 0..<n {
            for j in 0..<m {
                var s: T = 0
                for c in 0..<k { s += jacobian.storage[(i * m + j) * k + c] * x.storage[i * k + c] }
                r[j] = s
            }
            acc.add(z: z.storage[(i * m)..<((i + 1) * m)], reconstruction: r[...])
        }
        return acc.result
    }
}

/// Builds a `JacobianVerification` incrementally, sample by sample, in any order —
/// so the explorer and `export` can report on the samples computed so far.
public struct VerificationAccumulator: Sendable {
    private var zMin = Double.infinity, zMax = -Double.infinity
    private var rMin = Double.infinity, rMax = -Double.infinity
    private var maxError = 0.0, sumError = 0.0, maxAbsZ = 0.0
    private var entries = 0
    public private(set) var sampleCount = 0
    private var nonFiniteCount = 0
    /// In the order added; sorted by `result`.
    private var nonFiniteRows: [Int] = []

    public init() {}

    /// Adds one sample's embedding and reconstruction (m values each); returns its
    /// reconstruction error max_j |z_j − r_j|, or NaN when a value is NaN or infinite
    /// (`finite: false` says another of its results, C, is). `row` is its dataset row.
    @discardableResult
    @_specialize(where T == Float, C == ArraySlice<Float>)
    @_specialize(where T == Double, C == ArraySlice<Double>)
    public mutating func add<T: BinaryFloatingPoint, C: Collection>(
        z: C, reconstruction r: C, row: Int? = nil,
        finite: Bool = true
    ) -> Double where C.Element == T {
        sampleCount += 1
        // Min and max skip a NaN, and an infinity would hide every real error: such a sample
        // is counted apart, and the statistics are those of the others.
        guard finite, z.allSatisfy(\.isFinite), r.allSatisfy(\.isFinite) else {
            nonFiniteCount += 1
            if let row { nonFiniteRows.append(row) }
            return .nan
        }
        var sampleError = 0.0
        for (zv, rv) in zip(z, r) {
            let zd = Double(zv), rd = Double(rv)
            zMin = min(zMin, zd); zMax = max(zMax, zd)
            rMin = min(rMin, rd); rMax = max(rMax, rd)
            // Upstream takes |Z − R| in the working precision; so do we.
            let e = Double(abs(zv - rv))
            sampleError = max(sampleError, e)
            sumError += e
            maxAbsZ = max(maxAbsZ, abs(zd))
            entries += 1
        }
        maxError = max(maxError, sampleError)
        return sampleError
    }

    /// Adds every sample of an engine chunk, its contributions included when computed;
    /// returns each sample's reconstruction error (NaN for a non-finite sample).
    /// Specialized for callers in other modules (the explorer's pass): unspecialized, the
    /// finiteness check walks m × d values per sample through generic slices, 8× the pass.
    @discardableResult
    @_specialize(exported:true,where T == Float)
    @_specialize(exported:true,where T == Double)
    public mutating func add<T>(_ chunk: ContributionChunk<T>) -> [Double] {
        let m = chunk.outputCount
        return (0..<chunk.count).map { i in
            add(
                z: chunk.embedding[(i * m)..<((i + 1) * m)], reconstruction: chunk.reconstruction[(i * m)..<((i + 1) * m)],
                row: chunk.rows.lowerBound + i,
                finite: Self.isFinite(chunk.contributions, sample: i, size: m * chunk.featureCount)
                    && Self.isFinite(chunk.pcaContributions, sample: i, size: m * chunk.encoderInputCount))
        }
    }

    /// Whether sample `i`'s block of `size` values is free of NaN and infinity (true when absent).
    /// It runs over every contribution of every sample (export, the explorer's pass): one
    /// vectorized pass over the bits (`BLASScalar.allFinite`).
    static func isFinite<T: BLASScalar>(_ values: [T]?, sample i: Int, size: Int) -> Bool {
        guard let values else { return true }
        return values.withUnsafeBufferPointer { T.allFinite($0.baseAddress! + i * size, count: size) }
    }

    /// The rows of the non-finite samples added so far that are at or after `row`, ascending.
    public func nonFiniteRows(from row: Int) -> [Int] {
        nonFiniteRows.filter { $0 >= row }.sorted()
    }

    public mutating func merge(_ other: VerificationAccumulator) {
        zMin = min(zMin, other.zMin); zMax = max(zMax, other.zMax)
        rMin = min(rMin, other.rMin); rMax = max(rMax, other.rMax)
        maxError = max(maxError, other.maxError)
        sumError += other.sumError
        maxAbsZ = max(maxAbsZ, other.maxAbsZ)
        entries += other.entries
        sampleCount += other.sampleCount
        nonFiniteCount += other.nonFiniteCount
        nonFiniteRows += other.nonFiniteRows
    }

    public var result: JacobianVerification {
        // With samples but no finite one, there is nothing to describe: NaN (null in JSON), not 0.
        let none = sampleCount > 0 ? Double.nan : 0
        return JacobianVerification(
            zRange: entries > 0 ? (zMin, zMax) : (none, none),
            reconstructionRange: entries > 0 ? (rMin, rMax) : (none, none),
            maxError: entries > 0 ? maxError : none,
            meanError: entries > 0 ? sumError / Double(entries) : none,
            relativeError: entries > 0 ? maxError / (maxAbsZ + 1e-8) : none,
            sampleCount: sampleCount,
            nonFiniteCount: nonFiniteCount,
            nonFiniteRows: nonFiniteRows.sorted())
    }
}

// MARK: - State, for merging part exports (see `PartStatistics`)

extension VerificationAccumulator {
    /// Everything the accumulator holds, so a part export can record it and a merge can
    /// continue from it exactly.
    public struct State: Equatable, Sendable {
        public var zMin: Double, zMax: Double
        public var reconstructionMin: Double, reconstructionMax: Double
        public var maxError: Double, sumError: Double, maxAbsZ: Double
        /// Values compared (samples × outputs).
        public var entries: Int
        public var sampleCount: Int
        /// Non-finite samples, and their rows (ascending).
        public var nonFiniteCount = 0
        public var nonFiniteRows: [Int] = []
    }

    public var state: State {
        State(
            zMin: zMin, zMax: zMax, reconstructionMin: rMin, reconstructionMax: rMax, maxError: maxError,
            sumError: sumError, maxAbsZ: maxAbsZ, entries: entries, sampleCount: sampleCount,
            nonFiniteCount: nonFiniteCount, nonFiniteRows: nonFiniteRows.sorted())
    }

    public init(state s: State) {
        zMin = s.zMin; zMax = s.zMax
        rMin = s.reconstructionMin; rMax = s.reconstructionMax
        maxError = s.maxError; sumError = s.sumError; maxAbsZ = s.maxAbsZ
        entries = s.entries
        sampleCount = s.sampleCount
        nonFiniteCount = s.nonFiniteCount
        nonFiniteRows = s.nonFiniteRows
    }

    /// The same, with every row moved by `offset` (a part's samples placed in a merged export).
    public func shifted(by offset: Int) -> VerificationAccumulator {
        var copy = self
        copy.nonFiniteRows = nonFiniteRows.map { $0 + offset }
        return copy
    }
}
