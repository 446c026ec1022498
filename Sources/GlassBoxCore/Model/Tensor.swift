/// How a tensor's elements were stored in the file it came from.
public enum ScalarType: String, Sendable, CaseIterable {
    case float16, bfloat16, float32, float64

    public var byteCount: Int {
        switch self {
        case .float16, .bfloat16: return 2
        case .float32: return 4
        case .float64: return 8
        }
    }
}

/// A dense, row-major tensor of model parameters.
///
/// Values are kept as `Double`, which holds every Float16, BFloat16, Float32 and Float64
/// value exactly, so a model can be converted between formats bit for bit; `scalarType`
/// remembers the stored precision.
public struct Tensor: Equatable, Sendable {
    public var shape: [Int]
    public var scalarType: ScalarType
    public var values: [Double]

    public init(shape: [Int], scalarType: ScalarType = .float32, values: [Double]) {
        precondition(shape.reduce(1, *) == values.count, "tensor shape \(shape) does not match \(values.count) values")
        self.shape = shape
        self.scalarType = scalarType
        self.values = values
    }

    public init(shape: [Int], floats: [Float]) {
        self.init(shape: shape, scalarType: .float32, values: floats.map(Double.init))
    }

    public var count: Int { values.count }
    public var rank: Int { shape.count }

    /// The values in the working precision of the engine.
    public func converted<T: BinaryFloatingPoint>(to _: T.Type = T.self) -> [T] {
        values.map { T($0) }
    }

    public var shapeDescription: String { "(" + shape.map(String.init).joined(separator: ", ") + ")" }
}
