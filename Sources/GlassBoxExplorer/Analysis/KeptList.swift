import GlassBoxTUI

/// `A`: the selections kept under a name — what each is and its size; Enter recalls one,
/// `d` sets the shown selection against it, `w` writes them all as annotations.csv.
public struct KeptList: Widget {
    public struct Row: Equatable, Sendable {
        public var name: String
        /// "group B cell", "box z1 …".
        public var what: String
        public var size: Int
        /// The selection shown now.
        public var isShown: Bool
    }

    public var rows: [Row]
    public var list: ListState
    public var theme: Theme

    func popup(in screen: Rect) -> Popup {
        let footer = KeyMode.kept.footerText(theme)
        return Popup(
            block: theme.block("Kept selections", isFocused: true, footer: footer),
            width: min(screen.width - 2, 96), height: min(screen.height - 2, max(3, rows.count) + 2))
    }

    public func render(in screen: Rect, buffer: inout Buffer) {
        let popup = popup(in: screen)
        popup.render(in: screen, buffer: &buffer)
        let inner = popup.contentArea(in: screen)
        guard !inner.isEmpty else { return }
        let nameWidth = min(max(8, inner.width / 3), rows.map { TextWidth.width($0.name) }.max() ?? 8)
        let sizeWidth = rows.map { Format.count($0.size).count }.max() ?? 1
        let names = NameFit.fit(rows.map(\.name), width: nameWidth, ellipsis: theme.glyphs.ellipsis)
        let lines = zip(rows, names).map { r, name in
            Line([
                Span(name + String(repeating: " ", count: max(0, nameWidth - TextWidth.width(name))), style: theme.accent),
                Span(" " + String(repeating: " ", count: sizeWidth - Format.count(r.size).count) + Format.count(r.size)),
                Span(" samples  ", style: theme.dim), Span(r.what, style: theme.label),
                Span(r.isShown ? "  (shown)" : "", style: theme.good),
            ])
        }
        var state = list
        List(lines, glyphs: theme.glyphs).render(in: inner, buffer: &buffer, state: &state)
    }
}
