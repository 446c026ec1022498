import GlassBoxCore
import GlassBoxTUI

/// One legend line of a categorical coloring.
public struct LegendEntry: Equatable, Sendable {
    /// How its samples are drawn (a color, or bold/dim without colors).
    public var ink: Style
    public var label: String
    public var count: Int
    /// The highlighted category (`[` `]`).
    public var isSpotlight = false
    /// Several categories drawn alike ("other", or the ones not highlighted).
    public var isShared = false

    public init(ink: Style, label: String, count: Int, isSpotlight: Bool = false, isShared: Bool = false) {
        self.ink = ink
        self.label = label
        self.count = count
        self.isSpotlight = isSpotlight
        self.isShared = isShared
    }
}

/// What the colors of the scatter mean.
public struct Legend: Equatable, Sendable {
    public enum Content: Equatable, Sendable {
        /// Inks for categories, in order.
        case categories([LegendEntry])
        /// A ramp from `low` to `high`, `inks` evenly spaced along it.
        case gradient(low: Double, high: Double, inks: [Style])
        /// Nothing to show yet.
        case message(String)
    }

    public var title: String
    public var content: Content
    /// Samples drawn in the "not computed yet" ink.
    public var pending: Int = 0
    /// A caption under a ramp ("scale to p99", "p1–p99").
    public var caption: String?
    /// A line on how to read it on this terminal ("one group at a time: [ ] cycles").
    public var note: String?
}

/// Per-sample ink indices for the braille canvas, the order to plot them in (later points win
/// shared cells: pending first, then ascending values, the highlighted category last, so what
/// matters stays visible) and the legend. O(n) — a counting sort rather than a sort — so a
/// color change at 1,000,000 samples costs a few milliseconds.
///
/// Inks follow the terminal (`Theme.categoryInks`): 16 colors with 256, five colors plain and
/// bold with 8 (cyan is the focus border's), and without colors one category at a time in
/// bold over dim, cycled with `[` `]`; ramps become bold / plain / dim thirds. The legend
/// shows exactly those inks.
public struct ScatterColors: Sendable {
    public var indices: [UInt8]
    public var order: [Int32]
    public var inks: [Style]
    public var legend: Legend

    /// Categories per sample (`codes`, -1 while pending) with their names and sizes. When
    /// there are more than the terminal can tell apart, the largest get inks and the rest
    /// share one ("other"); without colors, one is highlighted (`spotlight`, default the
    /// first). A spotlight dims every other category.
    /// `shared`: a category drawn in the shared ink whatever the room ("other" top features).
    static func categories(
        codes: UnsafeBufferPointer<Int32>, labels: [String], counts: [Int], title: String, spotlight: Int?,
        shared: Int? = nil, order: [Int32], theme: Theme
    ) -> ScatterColors {
        let k = labels.count
        let distinct = theme.categoryInks
        let forced = k > 1 && distinct.count < 3
        let spot = spotlight ?? (forced ? 0 : nil)
        // Which categories get their own ink: all that fit, else the largest (capacity − 1).
        var own = [Bool](repeating: true, count: k)
        let named = k - (shared == nil ? 0 : 1)
        if named > distinct.count, !forced {
            own = [Bool](repeating: false, count: k)
            for c in TopK.indices(count: k, k: distinct.count - 1, key: { $0 == shared ? -1 : Double(counts[$0]) }) { own[c] = true }
        }
        if let shared { own[shared] = false }
        // Ink table: one per category with its own ink, then "other", then pending.
        var inkOf = [Int](repeating: 0, count: k)
        var inks: [Style] = []
        var next = 0
        for c in 0..<k where own[c] && !forced {
            inkOf[c] = inks.count
            inks.append(distinct[next % distinct.count])
            next += 1
        }
        let otherIndex = inks.count
        inks.append(theme.backgroundInk)
        let spotIndex = inks.count
        inks.append(spot.map { own[$0] && !forced ? inks[inkOf[$0]].bold : theme.spotlightInk } ?? theme.spotlightInk)
        let pendingIndex = inks.count
        inks.append(theme.pendingInk)
        for c in 0..<k where !own[c] || forced { inkOf[c] = otherIndex }
        if let s = spot {
            for c in 0..<k { inkOf[c] = c == s ? spotIndex : otherIndex }
        }
        let table = inkOf.map(UInt8.init)
        var pending = 0
        let indices = [UInt8](unsafeUninitializedCapacity: codes.count) { out, initialized in
            for i in 0..<codes.count {
                let c = codes[i]
                if c < 0 { out[i] = UInt8(pendingIndex); pending += 1 } else { out[i] = table[Int(c)] }
            }
            initialized = codes.count
        }
        // Plot order: pending, shared, own inks, the spotlight last.
        var rank = [UInt8](repeating: 2, count: inks.count)
        rank[pendingIndex] = 0
        rank[otherIndex] = 1
        rank[spotIndex] = 3
        // One class (every category its own ink, nothing pending): the order stands as it is.
        var present = Set(inkOf.indices.filter { counts[$0] > 0 }.map { rank[inkOf[$0]] })
        if pending > 0 { present.insert(rank[pendingIndex]) }
        let sortedOrder = present.count > 1 ? countingSort(order, by: indices.map { rank[Int($0)] }, pendingIndex: nil) : order
        var entries: [LegendEntry] = []
        for c in 0..<k {
            let shared = inkOf[c] == otherIndex
            entries.append(
                LegendEntry(ink: inks[Int(inkOf[c])], label: labels[c], count: counts[c], isSpotlight: c == spot, isShared: shared))
        }
        var note: String?
        if forced {
            note = "no colors: one at a time, [ ] next"
        } else if spot != nil {
            note = "highlighted; Esc shows all"
        } else if named > distinct.count {
            note = "\(named - distinct.count + 1) share grey: [ ] highlights one"
        }
        return ScatterColors(
            indices: indices, order: sortedOrder, inks: inks,
            legend: Legend(
                title: title, content: entries.isEmpty ? .message("computing…") : .categories(entries),
                pending: pending, note: note))
    }

    /// Color by group label.
    public static func groups(_ groups: GroupIndex, spotlight: Int? = nil, order: [Int32], theme: Theme) -> ScatterColors {
        let labels = groups.labels.categories
        return groups.labels.codes.withUnsafeBufferPointer {
            categories(
                codes: $0, labels: labels, counts: labels.indices.map(groups.count(of:)), title: groups.labels.column,
                spotlight: spotlight, order: order, theme: theme)
        }
    }

    /// Color by each sample's most important feature: the most frequent `colors` features are
    /// categories, the rest "other". `top[i]` is -1 while sample i is not computed.
    public static func topFeatures(
        _ top: [Int32], names: [String], spotlight: Int? = nil, order: [Int32], theme: Theme,
        colors: Int = 8
    ) -> ScatterColors {
        var counts = [Int](repeating: 0, count: names.count)
        for f in top where f >= 0 { counts[Int(f)] += 1 }
        let ranked = TopK.indices(count: counts.count, k: colors) { Double(counts[$0]) }.filter { counts[$0] > 0 }
        // Categories: the ranked features, then "other" for every other feature.
        var slot = [Int32](repeating: Int32(ranked.count), count: names.count)
        for (i, f) in ranked.enumerated() { slot[f] = Int32(i) }
        let codes = top.map { $0 < 0 ? -1 : slot[Int($0)] }
        let other = top.reduce(0) { $0 + ($1 >= 0 && slot[Int($1)] == Int32(ranked.count) ? 1 : 0) }
        var labels = ranked.map { names[$0] }
        var sizes = ranked.map { counts[$0] }
        if other > 0 {
            labels.append("other")
            sizes.append(other)
        }
        // "other" is every feature outside the ranked ones: always the shared ink.
        return codes.withUnsafeBufferPointer {
            categories(
                codes: $0, labels: labels, counts: sizes, title: "top feature", spotlight: spotlight,
                shared: other > 0 ? ranked.count : nil, order: order, theme: theme)
        }
    }

    /// Color by a value per sample (NaN: not known yet). `fromZero` anchors the ramp at 0
    /// (contributions); otherwise it spans the 1st–99th percentile (raw values).
    public static func gradient(
        _ values: UnsafeBufferPointer<Float>, title: String, fromZero: Bool,
        order: [Int32], theme: Theme
    ) -> ScatterColors {
        let ramp = theme.rampInks
        let steps = ramp.count
        let inks = ramp + [theme.pendingInk]
        let pendingIndex = UInt8(inks.count - 1)
        let (lo, hi, caption) = scale(values, fromZero: fromZero)
        let span = hi > lo ? hi - lo : 1
        var pending = 0
        let indices = [UInt8](unsafeUninitializedCapacity: values.count) { out, initialized in
            let scaleFactor = Float(Double(steps) / span), low = Float(lo), top = Float(steps - 1)
            for i in 0..<values.count {
                let v = values[i]
                if v.isNaN { out[i] = pendingIndex; pending += 1; continue }
                out[i] = UInt8(min(top, max(0, ((v - low) * scaleFactor).rounded(.down))))
            }
            initialized = values.count
        }
        let legendInks = steps > 8 ? (0..<8).map { ramp[$0 * (steps - 1) / 7] } : ramp
        let legend = Legend(
            title: title,
            content: pending == values.count
                ? .message("computing…")
                : .gradient(low: lo, high: hi, inks: legendInks),
            pending: pending, caption: caption,
            note: theme.capability == .none ? "no colors: dim, plain, bold thirds" : nil)
        return ScatterColors(
            indices: indices, order: countingSort(order, by: indices, pendingIndex: pendingIndex),
            inks: inks, legend: legend)
    }

    /// Everything in the pending ink, with a message (a column still being computed).
    public static func waiting(count: Int, title: String, message: String, order: [Int32], theme: Theme) -> ScatterColors {
        ScatterColors(
            indices: [UInt8](repeating: 0, count: count), order: order, inks: [theme.pendingInk],
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
