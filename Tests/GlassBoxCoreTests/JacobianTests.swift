import XCTest
@testable import GlassBoxCore
import GlassBoxTestSupport

final class JacobianTests: XCTestCase {
    /// The analytic Jacobian equals central finite differences, away from PReLU kinks, for
    /// default (3 and 1 hidden layers) and residual architectures. LayerNorm's variance is
    /// detached by upstream's definition, so the differences are taken of the network with
    /// each LayerNorm's sqrt(var + eps) held at its value at x (for LayerNorm-free networks
    /// that is just the network itself).
    func testAnalyticJacobianMatchesCentralFiniteDifferences() throws {
        var rng = SplitMix64(seed: 7)
        let encoders = [
            try RandomNetworks.deepPReLU(input: 6, hidden: 9, layers: 3, rng: &rng),
            try RandomNetworks.deepPReLU(input: 5, hidden: 4, layers: 1, output: 3, rng: &rng),
            try RandomNetworks.residual(input: 7, width: 5, rng: &rng),
        ]
        var compared = 0
        for encoder in encoders {
            let x = RandomNetworks.matrix(rows: 12, cols: encoder.inputWidth, rng: &rng)
            let jac = Jacobian.compute(encoder, at: x, batchSize: 5)
            let h = 1e-6
            for i in 0..<x.rows {
                let base = Array(x.row(i))
                let std = ReferenceForward.run(encoder, base).std
                for c in 0..<x.cols {
                    var plus = base, minus = base
                    plus[c] += h
                    minus[c] -= h
                    let fp = ReferenceForward.run(encoder, plus, frozenStd: std).output
                    let fm = ReferenceForward.run(encoder, minus, frozenStd: std).output
                    for j in 0..<encoder.outputWidth {
                        let fd = (fp[j] - fm[j]) / (2 * h)
                        XCTAssertEqual(jac[i, j, c], fd, accuracy: 1e-6 * max(1, abs(fd)), "sample \(i) out \(j) in \(c)")
                        compared += 1
                    }
                }
            }
        }
        XCTAssertEqual(compared, 12 * (6 * 2 + 5 * 3 + 7 * 3))
    }

    /// The engine's forward pass equals the independent reference forward pass.
    func testForwardMatchesReference() throws {
        var rng = SplitMix64(seed: 17)
        for encoder in [
            try RandomNetworks.deepPReLU(input: 8, hidden: 12, layers: 3, rng: &rng),
            try RandomNetworks.residual(input: 6, width: 4, rng: &rng),
        ] {
            let x = RandomNetworks.matrix(rows: 9, cols: encoder.inputWidth, rng: &rng)
            let z = Jacobian.forward(encoder, at: x)
            for i in 0..<x.rows {
                let ref = ReferenceForward.run(encoder, Array(x.row(i))).output
                for j in ref.indices { XCTAssertEqual(z[i, j], ref[j], accuracy: 1e-12 * max(1, abs(ref[j]))) }
            }
        }
    }

    /// f(u) = J(u) · u, and in Double the relative error is ≤ 1e-12.
    func testDoubleReconstructionIsExactTo1e12() throws {
        var rng = SplitMix64(seed: 11)
        for encoder in [
            try RandomNetworks.deepPReLU(input: 50, hidden: 64, layers: 3, rng: &rng),
            try RandomNetworks.residual(input: 20, width: 16, rng: &rng),
        ] {
            let x = RandomNetworks.matrix(rows: 200, cols: encoder.inputWidth, rng: &rng, scale: 3)
            let z = Jacobian.forward(encoder, at: x)
            let jac = Jacobian.compute(encoder, at: x, batchSize: 64)
            let v = JacobianVerification.verify(z: z, jacobian: jac, input: x)
            XCTAssertLessThanOrEqual(v.relativeError, 1e-12)
            XCTAssertGreaterThan(v.zRange.1 - v.zRange.0, 0.1, "a degenerate network would make the check vacuous")
            XCTAssertEqual(v.sampleCount, 200)
        }
    }

    /// Bias-free Linear/PReLU networks are positively homogeneous: f(c·x) = c·f(x) and
    /// J(c·x) = J(x) for c > 0. (A LayerNorm divides by the input's scale, so encoders with one
    /// are scale-invariant instead — see the next test.)
    func testPositiveHomogeneityWithoutLayerNorm() throws {
        var rng = SplitMix64(seed: 3)
        for encoder in [
            try RandomNetworks.deepPReLU(input: 10, hidden: 16, layers: 1, rng: &rng),
            try RandomNetworks.residualWithoutNorms(input: 10, width: 8, rng: &rng),
        ] {
            let x = RandomNetworks.matrix(rows: 20, cols: 10, rng: &rng)
            let z = Jacobian.forward(encoder, at: x)
            let j = Jacobian.compute(encoder, at: x)
            for c in [0.01, 0.5, 3.0, 1000.0] {
                let scaled = Matrix(rows: x.rows, cols: x.cols, storage: x.storage.map { $0 * c })
                let zc = Jacobian.forward(encoder, at: scaled)
                for (a, b) in zip(zc.storage, z.storage) { XCTAssertEqual(a, b * c, accuracy: 1e-10 * max(1, abs(b * c))) }
                let jc = Jacobian.compute(encoder, at: scaled)
                for (a, b) in zip(jc.storage, j.storage) { XCTAssertEqual(a, b, accuracy: 1e-10 * max(1, abs(b))) }
            }
        }
    }

    /// With a LayerNorm after the first PReLU (upstream's default), f(c·x) = f(x) and
    /// J(c·x) = J(x)/c — so f(c·x) = J(c·x)·(c·x) still holds exactly.
    func testScaleInvarianceWithLayerNorm() throws {
        var rng = SplitMix64(seed: 4)
        let encoder = try RandomNetworks.deepPReLU(input: 10, hidden: 16, layers: 3, rng: &rng)
        let x = RandomNetworks.matrix(rows: 20, cols: 10, rng: &rng)
        let z = Jacobian.forward(encoder, at: x)
        let j = Jacobian.compute(encoder, at: x)
        for c in [0.01, 0.5, 3.0, 1000.0] {
            let scaled = Matrix(rows: x.rows, cols: x.cols, storage: x.storage.map { $0 * c })
            let zc = Jacobian.forward(encoder, at: scaled)
            for (a, b) in zip(zc.storage, z.storage) { XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b))) }
            let jc = Jacobian.compute(encoder, at: scaled)
            for (a, b) in zip(jc.storage, j.storage) { XCTAssertEqual(a * c, b, accuracy: 1e-9 * max(1, abs(b))) }
            let v = JacobianVerification.verify(z: zc, jacobian: jc, input: scaled)
            XCTAssertLessThanOrEqual(v.relativeError, 1e-12)
        }
    }

    /// Float32 Jacobians agree with Float64 ones to float32 rounding.
    func testSingleAgreesWithDouble() throws {
        var rng = SplitMix64(seed: 5)
        let encoder = try RandomNetworks.deepPReLU(input: 30, hidden: 32, layers: 3, rng: &rng)
        let x = RandomNetworks.matrix(rows: 50, cols: 30, rng: &rng)
        let jd = Jacobian.compute(encoder, at: x)
        let js = Jacobian.compute(encoder, at: Matrix(rows: 50, cols: 30, storage: x.storage.map(Float.init)))
        let scale = jd.storage.map(abs).max()!
        for (a, b) in zip(js.storage, jd.storage) { XCTAssertEqual(Double(a), b, accuracy: 1e-5 * scale) }
    }

    func testProjectAndReduceMatchDefinitions() {
        let jac = Array3<Double>(shape: (1, 2, 2), storage: [1, 2, 3, 4])
        let p = Matrix<Double>(rows: 2, cols: 3, storage: [1, 0, 2, 0, 1, -1])
        let jf = Jacobian.project(jac, p)
        XCTAssertEqual(jf.storage, [1, 2, 0, 3, 4, 2])
        let c = Contributions.compute(jacobian: jf, input: Matrix(rows: 1, cols: 3, storage: [2, -1, 0.5]))
        XCTAssertEqual(c.storage, [2, -2, 0, 6, -4, 1])
        let l2 = Contributions.reduce(c)
        XCTAssertEqual(l2.storage[0], (4.0 + 36).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(l2.storage[1], (4.0 + 16).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(l2.storage[2], 1, accuracy: 1e-15)
    }

    func testVerificationFieldsFollowUpstreamDefinitions() {
        let z = Matrix<Double>(rows: 2, cols: 2, storage: [1, -2, 3, 0.5])
        let jac = Array3<Double>(shape: (2, 2, 1), storage: [1, -2, 3, 0])
        let x = Matrix<Double>(rows: 2, cols: 1, storage: [1, 1])
        let v = JacobianVerification.verify(z: z, jacobian: jac, input: x)
        XCTAssertEqual(v.zRange.0, -2); XCTAssertEqual(v.zRange.1, 3)
        XCTAssertEqual(v.reconstructionRange.0, -2); XCTAssertEqual(v.reconstructionRange.1, 3)
        XCTAssertEqual(v.maxError, 0.5)
        XCTAssertEqual(v.meanError, 0.125)
        XCTAssertEqual(v.relativeError, 0.5 / (3 + 1e-8), accuracy: 1e-15)
    }
}
