import Foundation

/// How much memory a whole dataset may take when it is read into memory at once (the explorer,
/// `readAll`): a decompression bomb or a file far larger than the machine is refused with a
/// message, instead of the machine swapping or the process being killed. Export reads in
/// windows and needs no such limit.
public struct MemoryBudget: Sendable, Equatable {
    public var bytes: Int

    public init(bytes: Int) {
        self.bytes = bytes
    }

    /// Four fifths of the memory available now (Linux `MemAvailable`; elsewhere, of the
    /// physical memory).
    public static var standard: MemoryBudget {
        MemoryBudget(bytes: available / 5 * 4)
    }

    static var available: Int {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
            let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
        {
            return kb * 1024
        }
        return Int(clamping: ProcessInfo.processInfo.physicalMemory)
    }

    /// Parses `--max-memory` values: a number of bytes with an optional K, M, G or T suffix (powers of 1024).
    public init?(_ text: String) {
        var digits = text.trimmingCharacters(in: .whitespaces).uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        var scale = 1
        if let last = digits.last, let shift = ["K": 10, "M": 20, "G": 30, "T": 40][String(last)] {
            scale = 1 << shift
            digits.removeLast()
        }
        guard let value = Double(digits), value.isFinite, value > 0, value * Double(scale) < 9e18 else { return nil }
        bytes = Int(value * Double(scale))
    }

    /// "12.3 GB", for messages.
    public static func describe(_ bytes: Int) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var v = Double(bytes), u = 0
        while v >= 1024 && u < units.count - 1 { v /= 1024; u += 1 }
        return u == 0 ? "\(bytes) bytes" : String(format: v < 10 ? "%.1f %@" : "%.0f %@", v, units[u])
    }

    /// Throws when holding `rows` × `features` values at once would pass the budget.
    public func check(rows: Int, features: Int, file: String, soFar: Bool = false) throws {
        let needed = rows.multipliedReportingOverflow(by: max(features, 1) * MemoryLayout<Float>.size)
        guard needed.overflow || needed.partialValue > bytes else { return }
        let size = needed.overflow ? "more than any machine has" : Self.describe(needed.partialValue)
        throw InputError(
            file: file,
            message:
                "found \(rows) rows\(soFar ? " so far" : "") of \(features) features, which need \(size) in memory, more than the \(Self.describe(bytes)) allowed (four fifths of the memory available); export them instead (glassbox export reads a window at a time), or raise the limit with --max-memory"
        )
    }
}
