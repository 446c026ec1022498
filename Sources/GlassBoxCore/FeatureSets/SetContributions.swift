import CSetSums

/// Set contributions: the feature contributions times the sparse membership matrix M (d × S),
/// one product for a whole block of rows — what the engine applies to every 16 rows of C
/// while they are still in cache, and what aggregates (sums over samples) can be mapped with.
extension FeatureSets {
    /// `out` (rows × count) = `values` (rows × d) · M: each set's contribution is the sum of its
    /// members' values, added in ascending feature order starting from zero — the order of
    /// the plain loop `for f in members { s += C[f] }`, so the result equals it bit for bit.
    public func apply<T: BLASScalar>(_ values: UnsafePointer<T>, rows: Int, into out: UnsafeMutablePointer<T>) {
        withScratch(T.self) { apply(values, rows: rows, into: out, scratch: $0) }
    }

    /// `apply` with the room `withScratch` gives: one allocation for many calls (the engine
    /// makes one per chunk; a tile is 64–128 KB). Float32 tiles of 16 full rows go to the AVX2
    /// kernel when the CPU has it (`vectorKernel`; tests turn it off to check the Swift path).
    func apply<T: BLASScalar>(
        _ values: UnsafePointer<T>, rows: Int, into out: UnsafeMutablePointer<T>, scratch: UnsafeMutableRawPointer,
        vectorKernel: Bool = FeatureSets.hasAVX2
    ) {
        guard T.self == Float.self else {
            applyTiles(
                UnsafeRawPointer(values).assumingMemoryBound(to: Double.self), rows: rows,
                into: UnsafeMutableRawPointer(out).assumingMemoryBound(to: Double.self),
                tile: scratch.assumingMemoryBound(to: SIMD16<Double>.self))
            return
        }
        let v = UnsafeRawPointer(values).assumingMemoryBound(to: Float.self),
            o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self)
        let d = featureCount, width = count, tileRows = Self.tileRows
        let full = vectorKernel ? rows / tileRows * tileRows : 0
        if full > 0 {
            memberStarts.withUnsafeBufferPointer { starts in
                memberIndices.withUnsafeBufferPointer { index in
                    bySize.withUnsafeBufferPointer { order in
                        for first in stride(from: 0, to: full, by: tileRows) {
                            glassbox_set_sums16_avx2(
                                v + first * d, d, starts.baseAddress!, index.baseAddress!, order.baseAddress!, width,
                                o + first * width, scratch.assumingMemoryBound(to: Float.self))
                        }
                    }
                }
            }
        }
        if full < rows {
            applyTiles(v + full * d, rows: rows - full, into: o + full * width, tile: scratch.assumingMemoryBound(to: SIMD16<Float>.self))
        }
    }

    /// Whether this CPU runs the AVX2 kernel (x86-64 with AVX2).
    static let hasAVX2 = glassbox_set_sums_avx2_available() != 0

    /// Room for one transposed tile of `T`s, for `body`'s calls of `apply(_:rows:into:scratch:)`.
    func withScratch<T: BLASScalar, R>(_: T.Type, _ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
        let bytes = featureCount * Self.tileRows * MemoryLayout<T>.size
        return try withUnsafeTemporaryAllocation(byteCount: bytes, alignment: 64) { try body($0.baseAddress!) }
    }

    /// Rows a tile of `applyTiles` sums side by side.
    static let tileRows = 16

    /// Sixteen rows at a time: transposed into one SIMD16 per feature, so a member's sixteen
    /// values are one cache line and four vector additions (each lane its own row's sum, in
    /// the same order), and two sets summed side by side so their additions overlap — the
    /// Swift form of the AVX2 kernel (set_sums.c), for float64, partial tiles and other CPUs.
    /// Gathering from the rows in place instead cost ~5× more — a cache line per row and
    /// member, and only one or two dependent sums at a time (perf, 50 hallmark-sized sets of
    /// 2,000 features, per sample of 2 rows: 7.7 µs in place, 1.4 with 8 rows transposed
    /// lane by lane, 1.1–1.3 with 16 rows transposed by 4 × 4 shuffles, 0.8 with AVX2; the
    /// engine pass costs ~11 µs of CPU per sample).
    @_specialize(where V == Float)
    @_specialize(where V == Double)
    func applyTiles<V: BinaryFloatingPoint & SIMDScalar>(
        _ values: UnsafePointer<V>, rows: Int, into out: UnsafeMutablePointer<V>,
        tile t: UnsafeMutablePointer<SIMD16<V>>
    ) {
        let d = featureCount, width = count, tileRows = Self.tileRows
        // Pointer steps, not index arithmetic, in the loops: the release build checks integer
        // overflow, and the checks doubled the time here.
        memberStarts.withUnsafeBufferPointer { starts in
            memberIndices.withUnsafeBufferPointer { index in
                bySize.withUnsafeBufferPointer { bySize in
                    let members = index.baseAddress!
                    for first in stride(from: 0, to: rows, by: tileRows) {
                        let lanes = min(tileRows, rows - first), o = out + first * width
                        Self.transpose(values + first * d, lanes: lanes, featureCount: d, into: t)
                        var k = 0
                        while k < width {
                            // Two sets at a time (or the last alone), as far as the shorter goes:
                            // in order of size, so that the longer has few members left then.
                            let pair = k + 1 < width, s = bySize[k], s2 = pair ? bySize[k + 1] : s
                            var pa = members + starts[s], pb = members + starts[s2]
                            let endA = members + starts[s + 1], endB = pair ? members + starts[s2 + 1] : pb
                            var a = SIMD16<V>.zero, b = SIMD16<V>.zero
                            while pa < endA && pb < endB {
                                a += t[Int(pa.pointee)]
                                b += t[Int(pb.pointee)]
                                pa += 1
                                pb += 1
                            }
                            while pa < endA { a += t[Int(pa.pointee)]; pa += 1 }
                            while pb < endB { b += t[Int(pb.pointee)]; pb += 1 }
                            for r in 0..<lanes { o[r * width + s] = a[r] }
                            if pair { for r in 0..<lanes { o[r * width + s2] = b[r] } }
                            k += 2
                        }
                    }
                }
            }
        }
    }

    /// `lanes` ≤ 16 rows of d values into one SIMD16 per feature (missing rows as zeros): a
    /// full tile 4 rows × 4 features at a time, by 4 × 4 transposes of SIMD4 loads.
    private static func transpose<V: BinaryFloatingPoint & SIMDScalar>(
        _ p: UnsafePointer<V>, lanes: Int, featureCount d: Int,
        into t: UnsafeMutablePointer<SIMD16<V>>
    ) {
        var f = 0
        if lanes == tileRows {
            let quarters = UnsafeMutableRawPointer(t).assumingMemoryBound(to: SIMD4<V>.self)
            while f + 4 <= d {
                for q in 0..<4 {
                    let rows = p + 4 * q * d + f
                    func load(_ k: Int) -> SIMD4<V> { UnsafeRawPointer(rows + k * d).loadUnaligned(as: SIMD4<V>.self) }
                    let (c0, c1, c2, c3) = transpose4(load(0), load(1), load(2), load(3))
                    let at = quarters + 4 * f + q
                    at[0] = c0
                    at[4] = c1
                    at[8] = c2
                    at[12] = c3
                }
                f += 4
            }
        }
        for g in f..<d { t[g] = .zero }
        for r in 0..<lanes {
            let row = p + r * d
            for g in f..<d { t[g][r] = row[g] }
        }
    }

    /// The columns of the 4 × 4 matrix with rows a, b, c, d.
    @inline(__always)
    private static func transpose4<V: SIMDScalar>(
        _ a: SIMD4<V>, _ b: SIMD4<V>, _ c: SIMD4<V>, _ d: SIMD4<V>
    )
        -> (SIMD4<V>, SIMD4<V>, SIMD4<V>, SIMD4<V>)
    {
        let ab = SIMD8(lowHalf: a, highHalf: b), cd = SIMD8(lowHalf: c, highHalf: d)
        // (a0 a2 b0 b2 | c0 c2 d0 d2) and (a1 a3 b1 b3 | c1 c3 d1 d3)
        let even = SIMD8(lowHalf: ab.evenHalf, highHalf: cd.evenHalf), odd = SIMD8(lowHalf: ab.oddHalf, highHalf: cd.oddHalf)
        return (even.evenHalf, odd.evenHalf, even.oddHalf, odd.oddHalf)
    }

    /// `values` (rows × d, row-major) · M: rows × `count`. For aggregates too — a sum or mean
    /// of signed feature contributions over samples maps to the same of set contributions
    /// (an L2 norm does not: take it of each sample's set contributions).
    public func apply<T: BLASScalar>(_ values: [T], rows: Int) -> [T] {
        precondition(values.count == rows * featureCount, "\(values.count) values are not \(rows) rows of \(featureCount) features")
        guard rows > 0 else { return [] }
        return [T](unsafeUninitializedCapacity: rows * count) { out, initialized in
            values.withUnsafeBufferPointer { apply($0.baseAddress!, rows: rows, into: out.baseAddress!) }
            initialized = rows * count
        }
    }
}
