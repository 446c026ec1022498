import Foundation

/// Wall and process CPU time of consecutive phases of a run (`--timings`): each `end(_:)`
/// closes the phase begun at the previous one (or at creation).
final class PhaseClock {
    private let start = DispatchTime.now()
    private var lap: DispatchTime
    private var lapCPU = ProcessCPU.seconds()
    private(set) var phases: [(name: String, seconds: Double, cpu: Double)] = []

    init() { lap = start }

    /// Ends the phase begun at the last `end`, less `excluding` (time counted in another phase).
    func end(_ name: String, excluding: (seconds: Double, cpu: Double) = (0, 0)) {
        let now = DispatchTime.now(), cpu = ProcessCPU.seconds()
        phases.append((name, Double(now.uptimeNanoseconds - lap.uptimeNanoseconds) / 1e9 - excluding.seconds, cpu - lapCPU - excluding.cpu))
        lap = now
        lapCPU = cpu
    }

    /// A phase timed apart (e.g. spread over a loop).
    func add(_ name: String, seconds: Double, cpu: Double) {
        phases.append((name, seconds, cpu))
    }

    /// Wall time since creation.
    var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
}
