import GlassBoxCore
import GlassBoxTUI

/// `o`: every label with its size and its top features by mean L2 — the cluster-level
/// summary Glass Box UMAP's comparisons build on. Enter selects the highlighted group.
public struct GroupsOverview: Widget {
    public struct Row: Equatable, Sendable {
        public var label: String
        public var size: Int
        /// Samples of the group the means cover so far.
        public var covered: Int
        /// (feature name, mean L2), most important first.
        public var top: [(name: String, meanL2: Double)]

        public static func == (a: Row, b: Row) -> Bool {
            a.label == b.label && a.size == b.size && a.covered == b.covered && a.top.elementsEqual(b.top) { $0 == $1 }
        }
    }

    public var rows: [Row]
    /// What the tops are: "features", or "sets" in the sets space.
    public var noun: String
    public var list: ListState
    public var theme: Theme

    public init(rows: [Row], noun: String = "features", list: ListState, theme: Theme) {
        self.rows = rows
        self.noun = noun
        self.list = list
        self.theme = theme
    }

    /// Rows from the store's per-group sums (nil when they aren't kept).
    static func rows(groups: GroupIndex, sums: [FeatureSums]?, names: [String], top k: Int = 5) -> [Row] {
        groups.labels.categories.enumerated().map { g, label in
            let s = sums?[g]
            let top = s.map { s in s.count > 0 ? s.ranking(.l2, limit: k).map { (names[$0], s.l2[$0] / Double(s.count)) } : [] } ?? []
            return Row(label: label, size: groups.count(of: g), covered: s?.count ?? 0, top: top)
        }
    }

    func lines(width: Int) -> [Line] {
        let labelW = min(max(12, width / 3), max(5, rows.map { TextWidth.width($0.label) }.max() ?? 5))
        let sizeW = max(4, rows.map { Format.count($0.size).count }.max() ?? 4)
        let labels = NameFit.fit(rows.map(\.label), width: labelW, ellipsis: theme.glyphs.ellipsis)
        return zip(rows, labels).map { r, label in
            var spans = [
                Span(label + String(repeating: " ", count: max(0, labelW - TextWidth.width(label))), style: theme.accent),
                Span(" " + String(repeating: " ", count: sizeW - Format.count(r.size).count) + Format.count(r.size) + "  "),
            ]
            if r.covered < r.size {
                spans.append(Span("(\(Format.count(r.covered)) computed) ", style: theme.dim))
            }
            let tops = r.top.map { "\($0.name) \(Format.number($0.meanL2))" }.joined(separator: " \(theme.bullet) ")
            spans.append(Span(tops.isEmpty ? "waiting for contributions" : tops, style: tops.isEmpty ? theme.dim : Style()))
            return Line(spans)
        }
    }

    func popup(in screen: Rect) -> Popup {
        let footer = KeyMode.groupsOverview.footerText(theme)
        return Popup(
            block: theme.block("Groups \(theme.bullet) size \(theme.bullet) top \(noun) by mean L2", isFocused: true, footer: footer),
            width: min(screen.width - 2, 110), height: min(screen.height - 2, rows.count + 2))
    }

    public func render(in screen: Rect, buffer: inout Buffer) {
        let popup = popup(in: screen)
        popup.render(in: screen, buffer: &buffer)
        let inner = popup.contentArea(in: screen)
        var state = list
        List(lines(width: inner.width), glyphs: theme.glyphs).render(in: inner, buffer: &buffer, state: &state)
    }
}

/// `s`: choose a label to select.
public struct GroupPicker: Widget {
    public var labels: [String]
    public var sizes: [Int]
    public var list: ListState
    public var theme: Theme

    public init(labels: [String], sizes: [Int], list: ListState, theme: Theme) {
        self.labels = labels
        self.sizes = sizes
        self.list = list
        self.theme = theme
    }

    func popup(in screen: Rect) -> Popup {
        let w = (labels.map { TextWidth.width($0) }.max() ?? 10) + 14
        let footer = KeyMode.groupPicker.footerText(theme)
        return Popup(
            block: theme.block("Select a group", isFocused: true, footer: footer),
            width: min(screen.width - 2, max(34, w)), height: min(screen.height - 2, labels.count + 2))
    }

    public func render(in screen: Rect, buffer: inout Buffer) {
        let popup = popup(in: screen)
        popup.render(in: screen, buffer: &buffer)
        let inner = popup.contentArea(in: screen)
        let countWidth = sizes.map { Format.count($0).count }.max() ?? 1
        let labelWidth = max(4, min(labels.map { TextWidth.width($0) }.max() ?? 4, inner.width - 3 - countWidth - 2))
        let fitted = NameFit.fit(labels, width: labelWidth, ellipsis: theme.glyphs.ellipsis)
        let items = zip(fitted, sizes).map { label, size in
            Line([
                Span(label + String(repeating: " ", count: max(0, labelWidth - TextWidth.width(label)))),
                Span("  " + String(repeating: " ", count: countWidth - Format.count(size).count) + Format.count(size), style: theme.dim),
            ])
        }
        var state = list
        List(items, glyphs: theme.glyphs).render(in: popup.contentArea(in: screen), buffer: &buffer, state: &state)
    }
}
