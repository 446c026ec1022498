import GlassBoxCore
import GlassBoxTUI

/// One legend line of a categorical coloring.
public struct LegendEntry: Equatable, Sendable {
    public var color: Color
    public var label: String
    public var count: Int
}

/// What the colors of the scatter mean.
public struct Legend: Equatable, Sendable {
    public enum Content: Equatable, Sendable {
        /// Colors for categories; `more` categories didn't get a line.
        case categories([LegendEntry])
        /// A color ramp from `low` to `high`.
        case gradient(low: Double, high: Double, colors: [Color])
        /// Nothing to show yet.
        case message(String)
    }

    public var title: String
    public var content: Content
    /// Samples drawn in the "not computed yet" color.
    public var pending: Int = 0
    /// A caption under a ramp ("p99 scale", "clipped at p1–p99").
    public var caption: String?
}

/// Per-sample color indices for the braille canvas, the order to plot them in (later points
/// win shared cells: pending first, then ascending values so the high ones stay visible) and
/// the legend. O(n) — a counting sort rather than a sort — so a color change at 1,000,000
/// samples costs a few milliseconds.
public struct ScatterColors: Sendable {
    public var indices: [UInt8]
    public var order: [Int32]
    public var palette: [Color]
    public var legend: Legend

    /// Color by group label.
    public static func groups(_ groups: GroupIndex, order: [Int32], theme: Theme) -> ScatterColors {
        let palette = Theme.categorical
        let indices = groups.labels.codes.map { UInt8(Int($0) % palette.count) }
        let entries = groups.labels.categories.enumerated().map {
            LegendEntry(color: palette[$0.offset % palette.count], label: $0.element, count: groups.count(of: $0.offset))
        }
        return ScatterColors(indices: indices, order: order, palette: palette,
                             legend: Legend(title: groups.labels.column, content: .categories(entries)))
    }

    /// Color by a value per sample (NaN: not known yet). `fromZero` anchors the ramp at 0
    /// (contributions); otherwise it spans the 1st–99th percentile (raw values).
    public static func gradient(_ values: UnsafeBufferPointer<Float>, title: String, fromZero: Bool,
                                order: [Int32], theme: Theme) -> ScatterColors {
        let steps = 32
        let palette = theme.gradient(steps) + [theme.pendingColor]
        let pendingIndex = UInt8(palette.count - 1)
        let (lo, hi, caption) = scale(values, fromZero: fromZero)
        let span = hi > lo ? hi - lo : 1
        var pending = 0
        let indices = [UInt8](unsafeUninitializedCapacity: values.count) { out, initialized in
            let scaleFactor = Float(Double(steps - 1) / span), low = Float(lo)
            for i in 0..<values.count {
                let v = values[i]
                if v.isNaN { out[i] = pendingIndex; pending += 1; continue }
                let t = ((v - low) * scaleFactor).rounded()
                out[i] = UInt8(min(Float(steps - 1), max(0, t)))
            }
            initialized = values.count
        }
        let legend = Legend(title: title, content: pending == values.count
                                ? .message("computing…")
                                : .gradient(low: lo, high: hi, colors: theme.gradient(8)),
                            pending: pending, caption: caption)
        return ScatterColors(indices: indices, order: countingSort(order, by: indices, pendingIndex: pendingIndex),
                             palette: palette, legend: legend)
    }

    /// Color by each sample's most important feature: the most frequent ones get colors, the
    /// rest are grey. `top[i]` is -1 while sample i is not computed.
    public static func topFeatures(_ top: [Int32], names: [String], order: [Int32], theme: Theme, colors: Int = 8) -> ScatterColors {
        var counts = [Int](repeating: 0, count: names.count)
        var pending = 0
        for f in top { if f >= 0 { counts[Int(f)] += 1 } else { pending += 1 } }
        let ranked = TopK.indices(count: counts.count, k: colors) { Double(counts[$0]) }.filter { counts[$0] > 0 }
        let otherIndex = UInt8(ranked.count), pendingIndex = UInt8(ranked.count + 1)
        // A lookup table, not a dictionary: this runs over every sample.
        var slot = [UInt8](repeating: otherIndex, count: names.count)
        for (i, f) in ranked.enumerated() { slot[f] = UInt8(i) }
        let palette = Array(Theme.categorical.prefix(ranked.count)) + [theme.otherColor, theme.pendingColor]
        var other = 0
        let indices = [UInt8](unsafeUninitializedCapacity: top.count) { out, initialized in
            slot.withUnsafeBufferPointer { table in
                for (i, f) in top.enumerated() {
                    let c = f < 0 ? pendingIndex : table[Int(f)]
                    if c == otherIndex { other += 1 }
                    out[i] = c
                }
            }
            initialized = top.count
        }
        var entries = ranked.enumerated().map { LegendEntry(color: palette[$0.offset], label: names[$0.element], count: counts[$0.element]) }
        if other > 0 { entries.append(LegendEntry(color: theme.otherColor, label: "other", count: other)) }
        let content: Legend.Content = entries.isEmpty ? .message("computing…") : .categories(entries)
        // Pending first, "other" next, colored last (on top).
        var rank = [UInt8](repeating: 2, count: palette.count)
        rank[Int(pendingIndex)] = 0
        rank[Int(otherIndex)] = 1
        let classes = indices.map { rank[Int($0)] }
        return ScatterColors(indices: indices, order: countingSort(order, by: classes, pendingIndex: nil),
                             palette: palette, legend: Legend(title: "top feature", content: content, pending: pending))
    }

    /// Everything in the pending color, with a message (a column still being computed).
    public static func waiting(count: Int, title: String, message: String, order: [Int32], theme: Theme) -> ScatterColors {
        ScatterColors(indices: [UInt8](repeating: 0, count: count), order: order, palette: [theme.pendingColor],
                      legend: Legend(title: title, content: .message(message), pending: count))
    }

    /// The ramp's ends and a caption.
    static func scale(_ values: UnsafeBufferPointer<Float>, fromZero: Bool) -> (Double, Double, String?) {
        // Percentiles from an even sample of at most 20,000 known values.
        let stride = max(1, values.count / 20_000)
        var sample: [Float] = []
        sample.reserveCapacity(min(values.count, 20_001))
        var i = 0
        while i < values.count {
            if values[i].isFinite { sample.append(values[i]) }
            i += stride
        }
        guard !sample.isEmpty else { return (0, 1, nil) }
        sample.sort()
        func q(_ p: Double) -> Double { Double(sample[min(sample.count - 1, Int((p * Double(sample.count - 1)).rounded()))]) }
        let low = fromZero ? 0 : q(0.01)
        var high = q(0.99)
        var caption = fromZero ? "scale to p99" : "p1–p99"
        if high <= low {
            high = Double(sample.last!)
            caption = ""
        }
        if high <= low { high = low + 1 }
        return (low, high, caption.isEmpty ? nil : caption)
    }

    /// `order` stably sorted by `key` (small integers): pending first, then ascending.
    static func countingSort(_ order: [Int32], by key: [UInt8], pendingIndex: UInt8?) -> [Int32] {
        var counts = [Int](repeating: 0, count: 258)
        func bucket(_ k: UInt8) -> Int { k == pendingIndex ? 0 : Int(k) + 1 }
        key.withUnsafeBufferPointer { kp in
            for i in order { counts[bucket(kp[Int(i)]) + 1] += 1 }
        }
        for b in 1..<counts.count { counts[b] += counts[b - 1] }
        var out = [Int32](repeating: 0, count: order.count)
        key.withUnsafeBufferPointer { kp in
            out.withUnsafeMutableBufferPointer { op in
                for i in order {
                    let b = bucket(kp[Int(i)])
                    op[counts[b]] = i
                    counts[b] += 1
                }
            }
        }
        return out
    }
}
