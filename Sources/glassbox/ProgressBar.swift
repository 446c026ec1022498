import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal, at most ~10 times
/// a second so it never slows the work it reports on.
final class ProgressBar: @unchecked Sendable {
    enum Unit { case samples, bytes }

    private let label: String
    private let unit: Unit
    private let enabled: Bool
    private var lastDraw = DispatchTime(uptimeNanoseconds: 0)
    private let start = DispatchTime.now()
    private var drawn = false

    /// The total comes with each update (an estimate until the data is read to its end).
    init(label: String, enabled: Bool, unit: Unit = .samples) {
        self.label = label
        self.unit = unit
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        let now = DispatchTime.now()
        guard done == total || now.uptimeNanoseconds - lastDraw.uptimeNanoseconds > 100_000_000 else { return }
        lastDraw = now
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = Double(now.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let line =
            unit == .samples
            ? String(format: "\r%@ %@ %3.0f%%  %d/%d samples  %.0f/s ", label, bar, fraction * 100, done, total, rate)
            : String(
                format: "\r%@ %@ %3.0f%%  %.0f/%.0f MB  %.0f MB/s ", label, bar, fraction * 100, Double(done) / 1e6, Double(total) / 1e6,
                rate / 1e6)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
