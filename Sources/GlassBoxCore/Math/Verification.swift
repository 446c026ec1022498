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

    public static func == (a: Self, b: Self) -> Bool {
        a.zRange == b.zRange && a.reconstructionRange == b.reconstructionRange && a.maxError == b.maxError
            && a.meanError == b.meanError && a.relativeError == b.relativeError && a.sampleCount == b.sampleCount
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

    public init() {}

    /// Adds one sample's embedding and reconstruction (m values each); returns its
    /// reconstruction error max_j |z_j − r_j|.
    @discardableResult
    public mutating func add<T: BinaryFloatingPoint, C: Collection>(z: C, reconstruction r: C) -> Double where C.Element == T {
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
        sampleCount += 1
        return sampleError
    }

    /// Adds every sample of an engine chunk; returns each sample's reconstruction error.
    @discardableResult
    public mutating func add<T>(_ chunk: ContributionChunk<T>) -> [Double] {
        let m = chunk.outputCount
        return (0..<chunk.count).map { i in
            add(z: chunk.embedding[(i * m)..<((i + 1) * m)], reconstruction: chunk.reconstruction[(i * m)..<((i + 1) * m)])
        }
    }

    public mutating func merge(_ other: VerificationAccumulator) {
        zMin = min(zMin, other.zMin); zMax = max(zMax, other.zMax)
        rMin = min(rMin, other.rMin); rMax = max(rMax, other.rMax)
        maxError = max(maxError, other.maxError)
        sumError += other.sumError
        maxAbsZ = max(maxAbsZ, other.maxAbsZ)
        entries += other.entries
        sampleCount += other.sampleCount
    }

    public var result: JacobianVerification {
        JacobianVerification(
            zRange: entries > 0 ? (zMin, zMax) : (0, 0),
            reconstructionRange: entries > 0 ? (rMin, rMax) : (0, 0),
            maxError: maxError,
            meanError: entries > 0 ? sumError / Double(entries) : 0,
            relativeError: maxError / (maxAbsZ + 1e-8),
            sampleCount: sampleCount)
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
    }

    public var state: State {
        State(zMin: zMin, zMax: zMax, reconstructionMin: rMin, reconstructionMax: rMax, maxError: maxError,
              sumError: sumError, maxAbsZ: maxAbsZ, entries: entries, sampleCount: sampleCount)
    }

    public init(state s: State) {
        zMin = s.zMin; zMax = s.zMax
        rMin = s.reconstructionMin; rMax = s.reconstructionMax
        maxError = s.maxError; sumError = s.sumError; maxAbsZ = s.maxAbsZ
        entries = s.entries
        sampleCount = s.sampleCount
    }
}
