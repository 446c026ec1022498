/// A colour ramp sampled to terminal colours: evenly spaced RGB stops for 256-colour terminals
/// and a short list of basic colours for 8-colour terminals.
public struct Gradient: Sendable {
    /// Evenly spaced stops, first at t = 0, last at t = 1.
    public var stops: [RGB]
    /// Colours used on 8-colour terminals, `t` split into equal bins.
    public var basicFallback: [Color]

    public init(stops: [RGB], basicFallback: [Color]) {
        precondition(!stops.isEmpty && !basicFallback.isEmpty, "a gradient needs stops")
        self.stops = stops
        self.basicFallback = basicFallback
    }

    /// Perceptually uniform sequential ramp (dark purple → teal → yellow), after matplotlib's viridis.
    public static let viridis = Gradient(
        stops: [0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725]
            .map { RGB(hex: $0) },
        basicFallback: [.magenta, .blue, .cyan, .green, .yellow])

    /// Diverging blue → white → red ramp (ColorBrewer RdBu, reversed) for signed values; t = 0.5 is zero.
    public static let blueWhiteRed = Gradient(
        stops: [0x2166AC, 0x4393C3, 0x92C5DE, 0xF7F7F7, 0xF4A582, 0xD6604D, 0xB2182B].map { RGB(hex: $0) },
        basicFallback: [.blue, .cyan, .white, .yellow, .red])

    /// Interpolated RGB at `t` (clamped to 0...1; NaN counts as 0).
    public func rgb(at t: Double) -> RGB {
        let t = t.isNaN ? 0 : min(1, max(0, t))
        guard stops.count > 1 else { return stops[0] }
        let pos = t * Double(stops.count - 1)
        let i = min(Int(pos), stops.count - 2)
        return stops[i].mixed(with: stops[i + 1], pos - Double(i))
    }

    /// The terminal colour at `t` for a capability (`.default` when there is no colour).
    public func color(at t: Double, capability: ColorCapability = .indexed256) -> Color {
        switch capability {
        case .indexed256:
            return .rgb(rgb(at: t))
        case .basic8:
            let t = t.isNaN ? 0 : min(1, max(0, t))
            let n = basicFallback.count
            return basicFallback[min(n - 1, Int(t * Double(n)))]
        case .none:
            return .default
        }
    }

    /// `count` colours evenly spaced from t = 0 to t = 1 — a lookup table for per-point colour
    /// indices (e.g. `BrailleCanvas.plot(xs:ys:colorIndices:palette:)`).
    public func palette(count: Int, capability: ColorCapability = .indexed256) -> [Color] {
        guard count > 1 else { return count == 1 ? [color(at: 0, capability: capability)] : [] }
        return (0..<count).map { color(at: Double($0) / Double(count - 1), capability: capability) }
    }
}
