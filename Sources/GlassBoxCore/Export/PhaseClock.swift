import Foundation

/// Wall and process CPU time of consecutive phases of a run (`--timings`): each `end(_:)`
/// closes the phase begun at the previous one (or at creation).
final class PhaseClock {
    private let start = DispatchTime.now()
    private var lap: DispatchTime
    private var lapCPU = ProcessCPU.seconds()
    private(set) var phases: [(name: String, seconds: Double, cpu: Double)] = []

    init() { lap = start }

    func end(_ name: String) {
        let now = DispatchTime.now(), cpu = ProcessCPU.seconds()
        phases.append((name, Double(now.uptimeNanoseconds - lap.uptimeNanoseconds) / 1e9, cpu - lapCPU))
        lap = now
        lapCPU = cpu
    }

    /// Wall time since creation.
    var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
}
