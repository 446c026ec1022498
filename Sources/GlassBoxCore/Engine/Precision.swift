/// The arithmetic the engine runs in. Upstream computes in float32; double is for checking
/// exactness (reconstruction relative error ≤ 1e-12).
public enum Precision: String, Sendable, CaseIterable {
    case single, double
}
