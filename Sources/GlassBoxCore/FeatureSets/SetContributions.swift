/// Set contributions: the feature contributions times the sparse membership matrix M (d × S),
/// one product for a whole block of rows — what the engine applies to each sample's m rows
/// while they are still in cache, and what aggregates (sums over samples) can be mapped with.
extension FeatureSets {
    /// `out` (rows × count) = `values` (rows × d) · M: each set's contribution is the sum of its
    /// members' values, added in ascending feature order starting from zero — the order of
    /// the plain loop `for f in members { s += C[f] }`, so the result equals it bit for bit.
    /// Rows are taken two at a time: two independent sums per member keep the adder busy
    /// without changing any sum's order.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func apply<T: BLASScalar>(_ values: UnsafePointer<T>, rows: Int, into out: UnsafeMutablePointer<T>) {
        let d = featureCount, width = count
        memberStarts.withUnsafeBufferPointer { starts in
            memberIndices.withUnsafeBufferPointer { index in
                var r = 0
                while r + 2 <= rows {
                    let a = values + r * d, b = a + d
                    let oa = out + r * width, ob = oa + width
                    for s in 0..<width {
                        var x: T = 0, y: T = 0
                        for e in starts[s]..<starts[s + 1] {
                            let f = Int(index[e])
                            x += a[f]
                            y += b[f]
                        }
                        oa[s] = x
                        ob[s] = y
                    }
                    r += 2
                }
                if r < rows {
                    let a = values + r * d, oa = out + r * width
                    for s in 0..<width {
                        var x: T = 0
                        for e in starts[s]..<starts[s + 1] { x += a[Int(index[e])] }
                        oa[s] = x
                    }
                }
            }
        }
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
