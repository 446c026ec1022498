import GlassBoxCore
import GlassBoxTUI

/// Enter in the sets space: one set's members with their contributions to what the panel
/// shows — the focused sample, the selection (its means, or its difference from what it is set
/// against) or C_B − C_A — in the panel's view, ranked as the panel ranks. In a signed view the
/// members add up to the set's value exactly, and the header says so.
public struct MembersList: Widget {
    public struct Content: Equatable, Sendable {
        public var setName: String
        /// "sample 12", "selection 'x' (mean)", "C_B − C_A".
        public var what: String
        /// The panel's view, as a column title ("L2", "C z1").
        public var viewTitle: String
        public var view: SampleView
        /// The set's own value in the view, and the sum of its members' (signed views).
        public var setValue: Double?
        /// (feature name, value), ranked.
        public var rows: [(name: String, value: Double)]
        /// Listed names that are no feature of the model.
        public var missing: Int
        /// The set's members among the features (`rows` is empty until values are known).
        public var memberCount: Int

        public static func == (a: Content, b: Content) -> Bool {
            a.setName == b.setName && a.what == b.what && a.viewTitle == b.viewTitle && a.view == b.view && a.setValue == b.setValue
                && a.missing == b.missing && a.memberCount == b.memberCount && a.rows.elementsEqual(b.rows) { $0 == $1 }
        }
    }

    public var content: Content
    public var list: ListState
    public var theme: Theme

    public init(content: Content, list: ListState, theme: Theme) {
        self.content = content
        self.list = list
        self.theme = theme
    }

    /// The members of `set` with `values` (one per feature, e.g. C[j, :]) ranked for `view`.
    static func content(
        set: FeatureSet, featureNames: [String], values: [Double], view: SampleView, viewTitle: String,
        setValue: Double?, what: String
    ) -> Content {
        let members = set.members.filter { $0 < values.count }
        let ranked = members.sorted { a, b in
            let (x, y) = view.isSigned ? (abs(values[a]), abs(values[b])) : (values[a], values[b])
            return x != y ? x > y : a < b
        }
        return Content(
            setName: set.name, what: what, viewTitle: viewTitle, view: view, setValue: setValue,
            rows: values.isEmpty ? [] : ranked.map { (featureNames[$0], values[$0]) }, missing: set.missing.count,
            memberCount: set.members.count)
    }

    func headerLines(width: Int) -> [Line] {
        let c = content
        var lines = [
            Line([
                Span("\(Format.count(c.memberCount)) member\(c.memberCount == 1 ? "" : "s")", style: theme.label),
                Span(" \(theme.bullet) \(c.what)", style: theme.dim),
            ])
        ]
        if c.rows.isEmpty && c.memberCount > 0 { lines.append(Line("waiting for contributions", style: theme.dim)) }
        if let v = c.setValue {
            let text = RankedBarsPanel.valueText(v, view: c.view)
            if c.view.isSigned {
                let sum = c.rows.reduce(0.0) { $0 + $1.value }
                lines.append(
                    Line([
                        Span("set \(c.viewTitle) \(text)", style: theme.label),
                        Span("  \(theme.sigma) members \(RankedBarsPanel.valueText(sum, view: c.view))"),
                    ]))
            } else {
                // Norms and shares of a set are taken of its summed contributions, not summed.
                lines.append(
                    Line([
                        Span("set \(c.viewTitle) \(text)", style: theme.label),
                        Span("  (of the members' summed C, not a sum of theirs)", style: theme.dim),
                    ]))
            }
        }
        if c.missing > 0 {
            lines.append(
                Line("\(Format.count(c.missing)) listed name\(c.missing == 1 ? " is" : "s are") no feature of the model", style: theme.dim))
        }
        return lines
    }

    func popup(in screen: Rect) -> Popup {
        let footer = KeyMode.members.footerText(theme)
        let title = "Members of \(NameFit.cut(content.setName, to: max(8, min(screen.width, 64) - 20), ellipsis: theme.glyphs.ellipsis))"
        return Popup(
            block: theme.block(title, isFocused: true, footer: footer),
            width: min(screen.width - 2, 64), height: min(screen.height - 2, content.rows.count + 2 + 3 + 1))
    }

    public func render(in screen: Rect, buffer: inout Buffer) {
        let popup = popup(in: screen)
        popup.render(in: screen, buffer: &buffer)
        let inner = popup.contentArea(in: screen)
        guard !inner.isEmpty else { return }
        let header = headerLines(width: inner.width)
        let shown = min(header.count, max(0, inner.height - 2))
        for (i, line) in header.prefix(shown).enumerated() {
            line.render(in: inner.row(i), buffer: &buffer, alignment: .left, ellipsis: theme.glyphs.ellipsis)
        }
        let values = content.rows.map { RankedBarsPanel.valueText($0.value, view: content.view) }
        let valueWidth = max(TextWidth.width(content.viewTitle), values.map(\.count).max() ?? 0)
        let nameWidth = max(4, min(content.rows.map { TextWidth.width($0.name) }.max() ?? 4, inner.width - valueWidth - 3))
        let names = NameFit.fit(content.rows.map(\.name), width: nameWidth, ellipsis: theme.glyphs.ellipsis)
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - TextWidth.width(s))) + s }
        let titleRow = inner.row(shown)
        Line([Span(String(repeating: " ", count: nameWidth + 2)), Span(pad(content.viewTitle, valueWidth), style: theme.label)])
            .render(in: titleRow, buffer: &buffer, alignment: .left, ellipsis: theme.glyphs.ellipsis)
        let items = zip(names, values).map { name, value in
            Line([Span(name + String(repeating: " ", count: max(0, nameWidth - TextWidth.width(name)) + 2)), Span(pad(value, valueWidth))])
        }
        let area = Rect(x: inner.x, y: inner.y + shown + 1, width: inner.width, height: max(0, inner.height - shown - 1))
        var state = list
        List(items, glyphs: theme.glyphs).render(in: area, buffer: &buffer, state: &state)
    }
}

/// How the sets cover the features, in one short line for the sets space's header (the
/// status line says it in full when the explorer opens).
enum SetsStatement {
    static func short(_ sets: FeatureSets, theme: Theme) -> String {
        let r = sets.sets[sets.remainderIndex].members.count
        if !sets.isDisjoint {
            let o = sets.overlappingFeatureCount
            return "sets overlap (\(Format.count(o)) feature\(o == 1 ? "" : "s")): \(theme.sigma) \(theme.notEqual) z"
        }
        return r == 0 ? "sets partition: \(theme.sigma) = z" : "partition (+\(Format.count(r)) in none): \(theme.sigma) = z"
    }
}
