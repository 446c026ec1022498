/// A 24-bit colour used for palette maths (gradients, nearest-colour mapping). Terminals only
/// ever see `Color`s: RGB is mapped to the nearest xterm 256-colour index.
public struct RGB: Hashable, Sendable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(UInt8(truncatingIfNeeded: hex >> 16), UInt8(truncatingIfNeeded: hex >> 8), UInt8(truncatingIfNeeded: hex))
    }

    /// Linear interpolation, `t` in 0...1.
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        func lerp(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8(max(0, min(255, (Double(a) + (Double(b) - Double(a)) * t).rounded())))
        }
        return RGB(lerp(r, other.r), lerp(g, other.g), lerp(b, other.b))
    }

    func distanceSquared(_ o: RGB) -> Int {
        let dr = Int(r) - Int(o.r), dg = Int(g) - Int(o.g), db = Int(b) - Int(o.b)
        return dr * dr + dg * dg + db * db
    }
}

/// The xterm 256-colour palette.
enum Palette256 {
    /// Levels of the 6×6×6 colour cube.
    static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// Typical xterm values for the 16 ANSI colours (themes differ; used only for approximations).
    static let ansi: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    static func rgb(of index: Int) -> RGB {
        switch index {
        case ..<16: return ansi[max(0, index)]
        case 16..<232:
            let i = index - 16
            return RGB(cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
        default:
            let v = UInt8(8 + 10 * (min(index, 255) - 232))
            return RGB(v, v, v)
        }
    }

    /// Nearest index among 16–255 (cube or grey ramp).
    static func nearestIndex(to c: RGB) -> UInt8 {
        func cubeStep(_ v: UInt8) -> Int {
            v < 48 ? 0 : (v < 115 ? 1 : (Int(v) - 35) / 40)
        }
        let ri = cubeStep(c.r), gi = cubeStep(c.g), bi = cubeStep(c.b)
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi
        let cube = RGB(cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
        let mean = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let greyStep = mean > 238 ? 23 : max(0, (mean - 3) / 10)
        let greyValue = UInt8(8 + 10 * greyStep)
        let grey = RGB(greyValue, greyValue, greyValue)
        return c.distanceSquared(grey) < c.distanceSquared(cube) ? UInt8(232 + greyStep) : UInt8(cubeIndex)
    }
}
