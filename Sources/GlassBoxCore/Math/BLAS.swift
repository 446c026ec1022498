#if canImport(Accelerate)
import Accelerate
#else
import CBLAS  // types and constants only: the library is opened at run time (see `OpenBLAS`)
#if canImport(Glibc)
import Glibc
#endif
#endif

/// The two precisions the engine runs in, with the BLAS kernels for each.
public protocol BLASScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// `C = alpha · op(A) · op(B) + beta · C`, all row-major.
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    static func squareRoot(_ x: Self) -> Self
    /// ‖C[:, f]‖₂ over the m rows of one sample's m × d contributions (`featureNorms`).
    static func featureNorms(_ c: UnsafePointer<Self>, m: Int, d: Int, into l2: UnsafeMutablePointer<Self>)
    /// Whether `count` values are all finite (`allFinite`).
    static func allFinite(_ values: UnsafePointer<Self>, count: Int) -> Bool
    /// How `.npy` files hold it.
    static var npyType: NPY.DType { get }
}

extension Float: BLASScalar {
    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
    @inline(__always) public static func squareRoot(_ x: Float) -> Float { x.squareRoot() }
    @inline(__always)
    public static func featureNorms(_ c: UnsafePointer<Float>, m: Int, d: Int, into l2: UnsafeMutablePointer<Float>) {
        GlassBoxCore.featureNorms(c, m: m, d: d, into: l2)
    }
    @inline(__always)
    public static func allFinite(_ values: UnsafePointer<Float>, count: Int) -> Bool {
        GlassBoxCore.allFinite(values, count: count)
    }
    public static var npyType: NPY.DType { .float32 }
}

extension Double: BLASScalar {
    @inline(__always)
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        dgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            blasInt(m), blasInt(n), blasInt(k), alpha, a, blasInt(lda), b, blasInt(ldb), beta, c, blasInt(ldc))
    }
    @inline(__always) public static func squareRoot(_ x: Double) -> Double { x.squareRoot() }
    @inline(__always)
    public static func featureNorms(_ c: UnsafePointer<Double>, m: Int, d: Int, into l2: UnsafeMutablePointer<Double>) {
        GlassBoxCore.featureNorms(c, m: m, d: d, into: l2)
    }
    @inline(__always)
    public static func allFinite(_ values: UnsafePointer<Double>, count: Int) -> Bool {
        GlassBoxCore.allFinite(values, count: count)
    }
    public static var npyType: NPY.DType { .float64 }
}

#if canImport(Accelerate)
@inline(__always) private func blasInt(_ x: Int) -> Int32 { Int32(x) }
private let sgemm = cblas_sgemm
private let dgemm = cblas_dgemm
#else
@inline(__always) private func blasInt(_ x: Int) -> blasint { blasint(x) }
private let sgemm = OpenBLAS.library.sgemm
private let dgemm = OpenBLAS.library.dgemm

/// OpenBLAS, opened at first use instead of linked. A linked OpenBLAS starts its thread pool
/// in a library constructor, before `main`, and those threads spin (`sched_yield`) for about
/// 0.1 s of CPU on every run — 5% of an export on 2 cores — though the engine never uses them
/// (each BLAS call runs single-threaded inside the engine's own workers). Opened with
/// OPENBLAS_NUM_THREADS=1 it starts none.
struct OpenBLAS: @unchecked Sendable {
    typealias SGEMM =
        @convention(c) (
            CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, Float,
            UnsafePointer<Float>?, blasint, UnsafePointer<Float>?, blasint,
            Float, UnsafeMutablePointer<Float>?, blasint
        ) -> Void
    typealias DGEMM =
        @convention(c) (
            CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, Double,
            UnsafePointer<Double>?, blasint, UnsafePointer<Double>?, blasint,
            Double, UnsafeMutablePointer<Double>?, blasint
        ) -> Void
    let sgemm: SGEMM
    let dgemm: DGEMM
    let setThreads: @convention(c) (Int32) -> Void

    /// The shared library's names: Debian/Ubuntu's libopenblas0, then a plain development link.
    static let names = ["libopenblas.so.0", "libopenblas.so"]

    /// Opens OpenBLAS, or says why it cannot.
    private static func open() -> Result<OpenBLAS, OpenBLASMissing> {
        // Before the library's constructor reads it (unless set already): the engine never asks
        // for more threads.
        setenv("OPENBLAS_NUM_THREADS", "1", 0)
        var why: [String] = []
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                why.append(dlerror().map { String(cString: $0) } ?? name)
                continue
            }
            guard let s = dlsym(handle, "cblas_sgemm"), let d = dlsym(handle, "cblas_dgemm"),
                let t = dlsym(handle, "openblas_set_num_threads")
            else {
                why.append("\(name): no cblas_sgemm/cblas_dgemm/openblas_set_num_threads")
                continue
            }
            return .success(
                OpenBLAS(
                    sgemm: unsafeBitCast(s, to: SGEMM.self), dgemm: unsafeBitCast(d, to: DGEMM.self),
                    setThreads: unsafeBitCast(t, to: (@convention(c) (Int32) -> Void).self)))
        }
        return .failure(OpenBLASMissing(reasons: why))
    }

    /// Opened once, at `BLASLibrary.load()` or the first BLAS call.
    fileprivate static let loaded = open()

    static var library: OpenBLAS {
        switch loaded {
        case .success(let blas): return blas
        case .failure(let missing): fatalError(missing.description)
        }
    }
}

/// OpenBLAS could not be opened.
public struct OpenBLASMissing: Error, CustomStringConvertible {
    public var reasons: [String]
    public var description: String {
        "cannot load OpenBLAS (\(reasons.joined(separator: "; "))); install it, e.g. `apt-get install libopenblas0`"
    }
}
#endif

/// The BLAS library, for programs to load up front.
public enum BLASLibrary {
    /// Loads BLAS now, or throws why it cannot. Call it while the program is still
    /// single-threaded: opening OpenBLAS sets an environment variable, which is unsafe
    /// beside other threads (otherwise the first BLAS call opens it).
    public static func load() throws {
        #if !canImport(Accelerate)
        _ = try OpenBLAS.loaded.get()
        #endif
    }
}

/// BLAS threading. The engine parallelizes over chunks of samples itself, so each BLAS call
/// runs single-threaded inside one worker (nested threading would oversubscribe the cores).
public enum BLASThreads {
    public static func useSingleThreadPerCall() {
        #if !canImport(Accelerate)
        OpenBLAS.library.setThreads(1)
        #endif
    }

    /// For the benchmark's multi-threaded sgemm reference only (which sets OPENBLAS_NUM_THREADS
    /// to the core count before BLAS is loaded, or OpenBLAS would have no threads to use).
    public static func useAllCores() {
        #if !canImport(Accelerate)
        OpenBLAS.library.setThreads(Int32(ProcessInfoCores.count))
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
