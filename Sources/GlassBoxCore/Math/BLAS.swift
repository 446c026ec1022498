#if canImport(Accelerate)
import Accelerate
#else
import CBLAS
#endif

/// The two precisions the engine runs in, with the BLAS kernels for each.
public protocol BLASScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// `C = alpha · op(A) · op(B) + beta · C`, all row-major.
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                     alpha: Self, a: UnsafePointer<Self>, lda: Int,
                     b: UnsafePointer<Self>, ldb: Int,
                     beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    static func squareRoot(_ x: Self) -> Self
}

extension Float: BLASScalar {
    @inline(__always)
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                            alpha: Float, a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
    @inline(__always) public static func squareRoot(_ x: Float) -> Float { x.squareRoot() }
}

extension Double: BLASScalar {
    @inline(__always)
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                            alpha: Double, a: UnsafePointer<Double>, lda: Int,
                            b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
    @inline(__always) public static func squareRoot(_ x: Double) -> Double { x.squareRoot() }
}

#if canImport(Accelerate)
@inline(__always) private func blasInt(_ x: Int) -> Int32 { Int32(x) }
#else
@inline(__always) private func blasInt(_ x: Int) -> blasint { blasint(x) }
#endif

/// BLAS threading. The engine parallelizes over chunks of samples itself, so each BLAS call
/// runs single-threaded inside one worker (nested threading would oversubscribe the cores).
public enum BLASThreads {
    public static func useSingleThreadPerCall() {
        #if !canImport(Accelerate)
        openblas_set_num_threads(1)
        #endif
    }

    public static func useAllCores() {
        #if !canImport(Accelerate)
        openblas_set_num_threads(Int32(ProcessInfoCores.count))
        #endif
    }
}

enum ProcessInfoCores {
    static var count: Int {
        #if canImport(Glibc)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }
}
#if canImport(Glibc)
import Glibc
#endif
