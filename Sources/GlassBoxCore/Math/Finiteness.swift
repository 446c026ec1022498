/// Whether values are free of NaN and infinity, in one branch-free pass over their bits that
/// vectorizes: an all-ones exponent carries into the sign bit when one more is added to it.
/// (A float sum such as `s += v − v` cannot vectorize — its additions must stay in order — and
/// ran at one value per 4 cycles over every contribution of an export.)
@inline(never)
public func allFinite(_ values: UnsafePointer<Float>, count: Int) -> Bool {
    values.withMemoryRebound(to: UInt32.self, capacity: count) { bits in
        var flags: UInt32 = 0
        for i in 0..<count { flags |= (bits[i] & 0x7F80_0000) &+ 0x0080_0000 }
        return flags & 0x8000_0000 == 0
    }
}

@inline(never)
public func allFinite(_ values: UnsafePointer<Double>, count: Int) -> Bool {
    values.withMemoryRebound(to: UInt64.self, capacity: count) { bits in
        var flags: UInt64 = 0
        for i in 0..<count { flags |= (bits[i] & 0x7FF0_0000_0000_0000) &+ 0x0010_0000_0000_0000 }
        return flags & 0x8000_0000_0000_0000 == 0
    }
}
