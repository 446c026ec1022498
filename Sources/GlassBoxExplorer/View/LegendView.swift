import GlassBoxTUI

/// Draws a `Legend`: a column of lines beside the scatter, or one compact line under it.
struct LegendView: Widget {
    var legend: Legend
    var theme: Theme
    /// One line instead of a column.
    var compact = false

    func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        if compact {
            Line(compactSpans()).render(in: area.row(0), buffer: &buffer, alignment: .left, ellipsis: theme.glyphs.ellipsis)
            return
        }
        var lines: [Line] = [Line(legend.title, style: theme.title)]
        switch legend.content {
        case .categories(let entries):
            let countWidth = entries.map { Format.count($0.count).count }.max() ?? 0
            let budget = area.height - 1 - (legend.pending > 0 ? 1 : 0) - (theme.capability == .none ? 1 : 0)
            let shown = entries.count > budget ? max(0, budget - 1) : entries.count
            for e in entries.prefix(shown) {
                let count = Format.count(e.count)
                let labelWidth = max(1, area.width - 3 - countWidth)
                let label = TextWidth.truncate(e.label, to: labelWidth, ellipsis: theme.glyphs.ellipsis)
                let pad = String(repeating: " ", count: max(1, area.width - 2 - TextWidth.width(label) - count.count))
                lines.append(Line([Span(theme.swatch + " ", style: Style(fg: e.color)), Span(label), Span(pad), Span(count, style: theme.dim)]))
            }
            if shown < entries.count { lines.append(Line("+\(entries.count - shown) more", style: theme.dim)) }
        case .gradient(let low, let high, let colors):
            var ramp: [Span] = []
            let width = max(1, min(area.width, 16))
            for i in 0..<width {
                let c = colors[min(colors.count - 1, i * colors.count / width)]
                ramp.append(Span(String(theme.glyphs.barFull), style: Style(fg: c)))
            }
            lines.append(Line(ramp))
            let lo = Format.short(low), hi = Format.short(high)
            lines.append(Line(lo + String(repeating: " ", count: max(1, width - lo.count - hi.count)) + hi, style: theme.label))
            if let caption = legend.caption { lines.append(Line(caption, style: theme.dim)) }
        case .message(let text):
            lines.append(Line(text, style: theme.dim))
        }
        if legend.pending > 0 {
            lines.append(Line([Span(theme.swatch + " ", style: Style(fg: theme.pendingColor)),
                               Span("\(Format.count(legend.pending)) computing", style: theme.dim)]))
        }
        if theme.capability == .none { lines.append(Line("NO_COLOR set", style: theme.dim)) }
        for (i, line) in lines.prefix(area.height).enumerated() {
            line.render(in: area.row(i), buffer: &buffer, alignment: .left, ellipsis: theme.glyphs.ellipsis)
        }
    }

    private func compactSpans() -> [Span] {
        var spans: [Span] = [Span(legend.title + " ", style: theme.title)]
        switch legend.content {
        case .categories(let entries):
            for e in entries {
                spans.append(Span(theme.swatch, style: Style(fg: e.color)))
                spans.append(Span(" \(e.label)  "))
            }
        case .gradient(let low, let high, let colors):
            spans.append(Span(Format.short(low) + " ", style: theme.label))
            for c in colors { spans.append(Span(String(theme.glyphs.barFull), style: Style(fg: c))) }
            spans.append(Span(" " + Format.short(high), style: theme.label))
        case .message(let text):
            spans.append(Span(text, style: theme.dim))
        }
        if legend.pending > 0 { spans.append(Span("  \(Format.count(legend.pending)) computing", style: theme.dim)) }
        return spans
    }
}
