import GlassBoxTUI

/// Draws a `Legend`: a column beside the scatter, or a few rows under it. Every swatch is
/// drawn in the ink the scatter uses, so the legend shows no color the terminal doesn't.
/// When the categories don't fit, the legend scrolls to the highlighted one (`[` `]` move
/// it) and says how many are above and below.
struct LegendView: Widget {
    var legend: Legend
    var theme: Theme
    /// Rows under the scatter instead of a column.
    var compact = false

    func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let lines = compact ? compactLines(width: area.width, rows: area.height) : columnLines(width: area.width, rows: area.height)
        for (i, line) in lines.prefix(area.height).enumerated() {
            line.render(in: area.row(i), buffer: &buffer, alignment: .left, ellipsis: theme.glyphs.ellipsis)
        }
    }

    private var swatch: String { theme.swatch }

    private func entryLine(_ e: LegendEntry, width: Int, countWidth: Int) -> Line {
        let marker = e.isSpotlight ? theme.pin : " "
        let count = Format.count(e.count)
        let labelWidth = max(1, width - 4 - countWidth)
        let label = NameFit.cut(e.label, to: labelWidth, ellipsis: theme.glyphs.ellipsis)
        let pad = String(repeating: " ", count: max(1, width - 3 - TextWidth.width(label) - count.count))
        return Line([
            Span(marker, style: theme.accent), Span(swatch, style: e.ink), Span(" "),
            Span(label, style: e.isSpotlight ? theme.title : e.isShared ? theme.dim : Style()), Span(pad), Span(count, style: theme.dim),
        ])
    }

    /// Entries [first, first + n) shown in `rows` rows, kept around the highlighted one.
    static func window(count: Int, rows: Int, around spotlight: Int?) -> Range<Int> {
        guard count > rows else { return 0..<count }
        let n = max(1, rows)
        let centre = spotlight ?? 0
        let first = min(max(0, centre - n / 2), count - n)
        return first..<(first + n)
    }

    private var pendingLine: Line? {
        guard legend.pending > 0 else { return nil }
        return Line([
            Span(" "), Span(swatch, style: theme.pendingInk), Span(" \(Format.count(legend.pending)) computing", style: theme.dim),
        ])
    }

    func columnLines(width: Int, rows: Int) -> [Line] {
        var lines: [Line] = [Line(legend.title, style: theme.title)]
        if let note = legend.note { lines += Paragraph.wrap(Line(note, style: theme.dim), width: width) }
        let tail = pendingLine.map { [$0] } ?? []
        switch legend.content {
        case .categories(let entries):
            let countWidth = entries.map { Format.count($0.count).count }.max() ?? 0
            let budget = rows - lines.count - tail.count
            let spot = entries.firstIndex(where: \.isSpotlight)
            if entries.count <= budget {
                lines += entries.map { entryLine($0, width: width, countWidth: countWidth) }
            } else {
                // Room for the entries and the "more" lines.
                let window = Self.window(count: entries.count, rows: max(1, budget - 2), around: spot)
                lines.append(Line(window.lowerBound > 0 ? "\(theme.glyphs.arrowUp) \(window.lowerBound) more" : "", style: theme.dim))
                lines += entries[window].map { entryLine($0, width: width, countWidth: countWidth) }
                let below = entries.count - window.upperBound
                lines.append(Line(below > 0 ? "\(theme.glyphs.arrowDown) \(below) more \(theme.bullet) [ ] scroll" : "", style: theme.dim))
            }
        case .gradient(let low, let high, let inks):
            lines += rampLines(low: low, high: high, inks: inks, width: width)
            if let caption = legend.caption { lines.append(Line(caption, style: theme.dim)) }
        case .message(let text):
            lines.append(Line(text, style: theme.dim))
        }
        return lines + tail
    }

    /// A ramp as one row of swatches with its ends under it; without colors, one line per
    /// shade with the values it covers.
    private func rampLines(low: Double, high: Double, inks: [Style], width: Int) -> [Line] {
        if theme.capability == .none {
            let names = ["dim", "plain", "bold"]
            let step = (high - low) / Double(inks.count)
            return inks.enumerated().map { i, ink in
                let from = i == 0 ? "<" : Format.short(low + step * Double(i)) + theme.dots
                let to = i == 0 ? Format.short(low + step) : i == inks.count - 1 ? "" : Format.short(low + step * Double(i + 1))
                return Line([
                    Span(" "), Span(swatch, style: ink), Span(" \(i < names.count ? names[i] : "") ".padding(6)),
                    Span(
                        i == inks.count - 1 ? "\(theme.unicode ? "≥" : ">=") \(Format.short(low + step * Double(i)))" : "\(from)\(to)",
                        style: theme.label),
                ])
            }
        }
        let cells = max(1, min(width, 16))
        let ramp = (0..<cells).map { Span(String(theme.glyphs.barFull), style: inks[min(inks.count - 1, $0 * inks.count / cells)]) }
        let lo = Format.short(low), hi = Format.short(high)
        return [Line(ramp), Line(lo + String(repeating: " ", count: max(1, cells - lo.count - hi.count)) + hi, style: theme.label)]
    }

    /// Rows under the scatter: the title, then the entries flowing across; the rows holding
    /// the highlighted entry when they don't all fit.
    func compactLines(width: Int, rows: Int) -> [Line] {
        var pieces: [[Span]] = []
        switch legend.content {
        case .categories(let entries):
            pieces = entries.map { e in
                [
                    Span(e.isSpotlight ? theme.pin : "", style: theme.accent), Span(swatch, style: e.ink),
                    Span(
                        " " + NameFit.cut(e.label, to: max(4, width / 2), ellipsis: theme.glyphs.ellipsis) + "  ",
                        style: e.isSpotlight ? theme.title : e.isShared ? theme.dim : Style()),
                ]
            }
        case .gradient(let low, let high, let inks):
            if theme.capability == .none {
                pieces = [
                    [
                        Span(Format.short(low) + " ", style: theme.label), Span(swatch, style: inks[0]), Span(" dim  "),
                        Span(swatch, style: inks[min(1, inks.count - 1)]), Span(" plain  "), Span(swatch, style: inks[inks.count - 1]),
                        Span(" bold "), Span(Format.short(high), style: theme.label),
                    ]
                ]
            } else {
                pieces = [
                    [Span(Format.short(low) + " ", style: theme.label)] + inks.map { Span(String(theme.glyphs.barFull), style: $0) }
                        + [Span(" " + Format.short(high), style: theme.label)]
                ]
            }
        case .message(let text):
            pieces = [[Span(text, style: theme.dim)]]
        }
        if legend.pending > 0 {
            pieces.append([Span(swatch, style: theme.pendingInk), Span(" \(Format.count(legend.pending)) computing", style: theme.dim)])
        }
        // How to read it comes first, always shown; the entries flow in the rows left.
        let head = legend.note.map { [Line($0, style: theme.dim)] } ?? []
        let rows = rows == .max ? rows : rows - head.count
        // Flow the pieces into rows (the panel's title names what colors).
        var flowed: [[[Span]]] = [[]]
        var used = 0
        var rowOfPiece: [Int] = []
        for piece in pieces {
            let w = Line(piece).width
            if used > 0, used + w > width {
                flowed.append([])
                used = 0
            }
            flowed[flowed.count - 1].append(piece)
            rowOfPiece.append(flowed.count - 1)
            used += w
        }
        guard flowed.count > rows, rows > 0 else { return head + flowed.map { Line($0.flatMap { $0 }) } }
        // Too many rows: the page with the highlighted entry, and what is beyond it.
        var spotRow = 0
        if case .categories(let entries) = legend.content, let s = entries.firstIndex(where: \.isSpotlight) { spotRow = rowOfPiece[s] }
        let window = Self.window(count: flowed.count, rows: rows, around: spotRow)
        var shown = Array(flowed[window])
        // Say what is hidden at the end of the last row shown, in place of its last pieces if need be.
        let hidden = flowed.count - window.count
        let more = Span("+\(hidden) row\(hidden == 1 ? "" : "s") [ ]", style: theme.dim)
        var last = shown[shown.count - 1]
        while Line(last.flatMap { $0 }).width + more.width + 1 > width, last.count > 1 { last.removeLast() }
        let width0 = Line(last.flatMap { $0 }).width
        last.append([Span(String(repeating: " ", count: max(1, width - width0 - more.width))), more])
        shown[shown.count - 1] = last
        return head + shown.map { Line($0.flatMap { $0 }) }
    }

    /// Rows the compact legend needs at `width` (all of it).
    static func compactRows(_ legend: Legend, width: Int, theme: Theme) -> Int {
        LegendView(legend: legend, theme: theme, compact: true).compactLines(width: width, rows: .max).count
    }
}

private extension String {
    func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - TextWidth.width(self)))
    }
}
