/// A dense row-major matrix: `rows × cols` values in one contiguous array.
public struct Matrix<Scalar>: Sendable where Scalar: Sendable {
    public var rows: Int
    public var cols: Int
    public var storage: [Scalar]

    public init(rows: Int, cols: Int, storage: [Scalar]) {
        precondition(rows * cols == storage.count, "matrix \(rows)×\(cols) needs \(rows * cols) values, got \(storage.count)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    public init(rows: Int, cols: Int, repeating value: Scalar) {
        self.init(rows: rows, cols: cols, storage: Array(repeating: value, count: rows * cols))
    }

    public subscript(row: Int, col: Int) -> Scalar {
        get { storage[row * cols + col] }
        set { storage[row * cols + col] = newValue }
    }

    /// One row, copied.
    public func row(_ i: Int) -> ArraySlice<Scalar> {
        storage[(i * cols)..<((i + 1) * cols)]
    }

    /// Rows `range`, copied into a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, cols: cols, storage: Array(storage[(range.lowerBound * cols)..<(range.upperBound * cols)]))
    }
}

extension Matrix: Equatable where Scalar: Equatable {}

/// A dense row-major 3-way array, e.g. Jacobians (n, out, in) or contributions (n, m, d),
/// laid out exactly as numpy's C order.
public struct Array3<Scalar>: Sendable where Scalar: Sendable {
    public var shape: (Int, Int, Int)
    public var storage: [Scalar]

    public init(shape: (Int, Int, Int), storage: [Scalar]) {
        precondition(
            shape.0 * shape.1 * shape.2 == storage.count,
            "array shape \(shape) needs \(shape.0 * shape.1 * shape.2) values, got \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    public subscript(i: Int, j: Int, k: Int) -> Scalar {
        get { storage[(i * shape.1 + j) * shape.2 + k] }
        set { storage[(i * shape.1 + j) * shape.2 + k] = newValue }
    }
}
