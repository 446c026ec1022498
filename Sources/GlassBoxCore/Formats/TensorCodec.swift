import Foundation

/// Element encodings shared by the portable formats: safetensors dtype names, little-endian
/// bytes, and decimal text that reads back to the same bits.
enum TensorCodec {
    /// safetensors' dtype names, also used in `encoder.json`.
    static func dtypeName(_ type: ScalarType) -> String {
        switch type {
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .float32: return "F32"
        case .float64: return "F64"
        }
    }

    static func scalarType(dtype name: String) -> ScalarType? {
        ScalarType.allCases.first { dtypeName($0) == name }
    }

    static let dtypeNames = ScalarType.allCases.map(dtypeName).joined(separator: ", ")

    // MARK: - Bytes

    /// Appends the tensor's elements, little-endian, in its own precision.
    static func appendBytes(of tensor: Tensor, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + tensor.count * tensor.scalarType.byteCount)
        for v in tensor.values {
            switch tensor.scalarType {
            case .float64: append(v.bitPattern, 8, &out)
            case .float32: append(UInt64(Float(v).bitPattern), 4, &out)
            case .float16: append(UInt64(halfBits(v)), 2, &out)
            case .bfloat16: append(UInt64(bfloat16Bits(v)), 2, &out)
            }
        }
    }

    @inline(__always)
    private static func append(_ bits: UInt64, _ n: Int, _ out: inout [UInt8]) {
        for i in 0..<n { out.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i)))) }
    }

    /// Decodes `count` little-endian elements; the caller has checked that they are in `raw`.
    static func values(_ raw: UnsafeRawBufferPointer, count: Int, type: ScalarType) -> [Double] {
        precondition(raw.count >= count * type.byteCount)
        return (0..<count).map { TorchTensorView.element(raw, $0, type) }
    }

    // MARK: - Rounding to the narrow formats

    /// IEEE binary16 bits of `d`, rounded to nearest even (exact for values that came from a
    /// Float16, which is all a round trip needs; rounding matters for hand-written text).
    static func halfBits(_ d: Double) -> UInt16 {
        UInt16(narrowBits(d, exponentBits: 5, fractionBits: 10))
    }

    /// bfloat16 bits of `d`, rounded to nearest even.
    static func bfloat16Bits(_ d: Double) -> UInt16 {
        UInt16(narrowBits(d, exponentBits: 8, fractionBits: 7))
    }

    /// Rounds a Double directly to a narrower binary format (no double rounding through Float).
    static func narrowBits(_ d: Double, exponentBits: Int, fractionBits: Int) -> UInt32 {
        let sign: UInt32 = d.sign == .minus ? 1 << UInt32(exponentBits + fractionBits) : 0
        let infinity = UInt32((1 << exponentBits) - 1) << UInt32(fractionBits)
        if d.isNaN { return sign | infinity | (1 << UInt32(fractionBits - 1)) }
        let a = abs(d)
        let bias = (1 << (exponentBits - 1)) - 1
        let minNormal = 1 - bias
        if a.isInfinite { return sign | infinity }
        if a == 0 { return sign }
        if a < Double(sign: .plus, exponent: minNormal, significand: 1) {
            // Subnormal: a multiple of 2^(minNormal − fractionBits); 2^fractionBits rounds up to the least normal.
            let q = (a * Double(sign: .plus, exponent: fractionBits - minNormal, significand: 1)).rounded(.toNearestOrEven)
            return sign | UInt32(q)
        }
        let e = Int(a.exponent)
        if e > bias { return sign | infinity }
        let fraction =
            ((a * Double(sign: .plus, exponent: -e, significand: 1) - 1)
            * Double(sign: .plus, exponent: fractionBits, significand: 1)).rounded(.toNearestOrEven)
        // A fraction that rounds up to 2^fractionBits carries into the exponent (possibly to infinity).
        return sign | (UInt32(e + bias) << UInt32(fractionBits) + UInt32(fraction))
    }

    /// The value `d` becomes once stored as `type`.
    static func rounded(_ d: Double, to type: ScalarType) -> Double {
        switch type {
        case .float64: return d
        case .float32: return Double(Float(d))
        case .float16: return TorchTensorView.halfToDouble(halfBits(d))
        case .bfloat16: return TorchTensorView.bfloat16ToDouble(bfloat16Bits(d))
        }
    }

    // MARK: - Text

    /// Shortest decimal text that reads back to the same value of `type`: Swift prints the
    /// shortest round-tripping digits; the narrow types are printed as the Float they equal.
    static func text(_ v: Double, _ type: ScalarType) -> String {
        type == .float64 ? "\(v)" : "\(Float(v))"
    }

    enum NumberProblem: Error {
        case syntax, notFinite, outOfRange
    }

    /// Parses decimal text (`-1.5`, `2e-3`, `+.5`; no hex, no words) to a value of `type`.
    /// F32 and narrower read through `Float(_:)`, which rounds correctly, so text written by
    /// `text(_:_:)` comes back bit for bit.
    static func parse(_ bytes: UnsafeRawBufferPointer, _ type: ScalarType) -> Result<Double, NumberProblem> {
        guard !bytes.isEmpty, bytes.count <= 400 else { return .failure(.syntax) }
        var i = 0
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") { i = 1 }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "n") || bytes[i] | 0x20 == UInt8(ascii: "i") {
            let word = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i...]), as: UTF8.self).lowercased()
            return .failure(["nan", "inf", "infinity"].contains(word) ? .notFinite : .syntax)
        }
        var mantissaDigits = 0
        while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1; mantissaDigits += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return .failure(.syntax) }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            var exponentDigits = 0
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return .failure(.syntax) }
        }
        guard i == bytes.count else { return .failure(.syntax) }
        let text = String(decoding: bytes, as: UTF8.self)
        let value: Double
        if type == .float64 {
            guard let d = Double(text) else { return .failure(.syntax) }
            value = d
        } else {
            guard let f = Float(text) else { return .failure(.syntax) }
            value = rounded(Double(f), to: type)
        }
        return value.isFinite ? .success(value) : .failure(.outOfRange)
    }
}
