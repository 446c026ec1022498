/// Per-feature L2 norms of contributions — shared by export's per-chunk analysis and the
/// explorer's summaries and selections, so the hot loop exists (and is tuned) once.

/// ‖C[:, f]‖₂ over the m rows of one sample's m × d contributions, for every feature f.
/// Written so that it compiles to vector code: on Linux `squareRoot()` is libm's errno-setting
/// `sqrtf` — a scalar call per value — unless LLVM can see the argument is ≥ 0 (a square, or
/// `.magnitude`, which is free here since sums of squares are never negative).
@inline(never)
public func featureNorms(_ c: UnsafePointer<Float>, m: Int, d: Int, into l2: UnsafeMutablePointer<Float>) {
    let last = c + (m - 1) * d
    if m == 1 {
        for f in 0..<d { l2[f] = (last[f] * last[f]).squareRoot() }
        return
    }
    for f in 0..<d { l2[f] = c[f] * c[f] }
    for j in 1..<(m - 1) {
        let row = c + j * d
        for f in 0..<d { l2[f] += row[f] * row[f] }
    }
    for f in 0..<d { l2[f] = (l2[f] + last[f] * last[f]).magnitude.squareRoot() }
}

@inline(never)
public func featureNorms(_ c: UnsafePointer<Double>, m: Int, d: Int, into l2: UnsafeMutablePointer<Double>) {
    let last = c + (m - 1) * d
    if m == 1 {
        for f in 0..<d { l2[f] = (last[f] * last[f]).squareRoot() }
        return
    }
    for f in 0..<d { l2[f] = c[f] * c[f] }
    for j in 1..<(m - 1) {
        let row = c + j * d
        for f in 0..<d { l2[f] += row[f] * row[f] }
    }
    for f in 0..<d { l2[f] = (l2[f] + last[f] * last[f]).magnitude.squareRoot() }
}
