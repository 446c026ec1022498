import Foundation
import GlassBoxCore

/// Deterministic random numbers (SplitMix64), so a failing randomized test fails the same way
/// on every run.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) * 2 - 1 }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Uniform in 0..<n.
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A float64 tensor of normal values times `scale`.
    public mutating func normalTensor(_ shape: [Int], scale: Double = 1) -> Tensor {
        Tensor(shape: shape, scalarType: .float64, values: (0..<shape.reduce(1, *)).map { _ in normal() * scale })
    }

    /// A float64 tensor of values uniform in [-scale, scale).
    public mutating func uniformTensor(_ shape: [Int], scale: Double = 1) -> Tensor {
        Tensor(shape: shape, scalarType: .float64, values: (0..<shape.reduce(1, *)).map { _ in uniform() * scale })
    }
}
