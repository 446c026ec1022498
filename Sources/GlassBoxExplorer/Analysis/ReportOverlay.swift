import GlassBoxCore
import GlassBoxTUI

/// `r`: the verification report in a centred popup — upstream's JacobianVerification fields,
/// pass/fail against the tolerance, the precision, a histogram of per-sample errors and the
/// worst samples (↑/↓ choose, Enter jumps to one).
public struct ReportOverlay: Widget {
    public var report: VerificationReport
    public var ids: [String]
    public var list: ListState
    public var theme: Theme

    public init(report: VerificationReport, ids: [String], list: ListState, theme: Theme) {
        self.report = report
        self.ids = ids
        self.list = list
        self.theme = theme
    }

    var summaryLines: [Line] {
        let r = report.result
        func range(_ p: (Double, Double)) -> String { "(\(Format.short(p.0)), \(Format.short(p.1)))" }
        let covered =
            report.done == report.total
            ? "all \(Format.count(report.total)) samples"
            : "\(Format.count(report.done)) of \(Format.count(report.total)) samples, computed so far"
        let verdict =
            report.done == 0
            ? Span("no samples computed yet", style: theme.dim)
            : report.passes
                ? Span("\(theme.check) PASS", style: theme.good.bold) : Span("\(theme.unicode ? "✗" : "x") FAIL", style: theme.error)
        func field(_ name: String, _ value: String) -> Line {
            Line([Span(name.padding(toLength: 22, withPad: " ", startingAt: 0), style: theme.label), Span(value)])
        }
        return [
            Line([Span("covers ", style: theme.label), Span(covered, style: report.done == report.total ? theme.good : theme.accent)]),
            field("precision", report.precision),
            field("z_range", range(r.zRange)),
            field("reconstruction_range", range(r.reconstructionRange)),
            field("max_error", Format.scientific(r.maxError, digits: 2)),
            field("mean_error", Format.scientific(r.meanError, digits: 2)),
            Line([
                Span("relative_error".padding(toLength: 22, withPad: " ", startingAt: 0), style: theme.label),
                Span(Format.scientific(r.relativeError, digits: 2) + "  "), verdict,
                Span("  (tolerance \(Format.scientific(report.tolerance)))", style: theme.dim),
            ]),
        ]
    }

    var histogramBars: [Bar] {
        report.bins.map { b in
            let label = b.high == 0 ? "0" : "\(Format.scientific(b.low, digits: 0))\(theme.dash)\(Format.scientific(b.high, digits: 0))"
            return Bar(label, Double(b.count), valueText: Format.count(b.count))
        }
    }

    /// The listed samples, as Enter goes to them (`VerificationReport.listedRows`): the
    /// non-finite ones first, then the worst errors.
    var listLines: [Line] {
        let bad = report.nonFinite.map { row in
            Line([
                Span("\(theme.cross)   ", style: theme.error),
                Span("NaN/\(theme.unicode ? "∞" : "inf")".padding(toLength: 10, withPad: " ", startingAt: 0), style: theme.error),
                Span(ids[row], style: theme.accent), Span("  row \(Format.count(row))", style: theme.dim),
            ])
        }
        return bad
            + report.worst.enumerated().map { i, w in
                Line([
                    Span("\(i + 1)".padding(toLength: 4, withPad: " ", startingAt: 0), style: theme.dim),
                    Span(Format.scientific(w.error, digits: 2) + "  "),
                    Span(ids[w.row], style: theme.accent), Span("  row \(Format.count(w.row))", style: theme.dim),
                ])
            }
    }

    func popup(in screen: Rect) -> Popup {
        let width = min(screen.width - 2, 72)
        let listed = report.nonFinite.count + report.worst.count
        let height = min(screen.height - 2, summaryLines.count + histogramBars.count + 4 + max(3, min(12, listed)) + 2)
        return Popup(
            block: theme.block("Verification", isFocused: true, footer: KeyMode.report.footerText(theme)), width: width, height: height)
    }

    public func render(in screen: Rect, buffer: inout Buffer) {
        let popup = popup(in: screen)
        popup.render(in: screen, buffer: &buffer)
        let inner = popup.contentArea(in: screen).inner(horizontal: 1, vertical: 0)
        guard !inner.isEmpty else { return }
        var y = 0
        func put(_ line: Line) {
            guard y < inner.height else { return }
            line.render(in: inner.row(y), buffer: &buffer, alignment: .left, ellipsis: theme.glyphs.ellipsis)
            y += 1
        }
        summaryLines.forEach(put)
        put(Line(""))
        put(
            Line([
                Span("Per-sample error", style: theme.title),
                Span("  max_j |z \(theme.minus) J\(theme.dot)u|, samples per decade", style: theme.label),
            ]))
        let bars = histogramBars
        if y < inner.height, !bars.isEmpty {
            let h = min(bars.count, inner.height - y)
            BarChart(
                bars, labelWidth: bars.map { TextWidth.width($0.label) }.max(),
                valueWidth: bars.map { TextWidth.width($0.valueText ?? "") }.max(),
                glyphs: theme.glyphs, barStyle: theme.magnitudeBar, valueStyle: theme.label
            )
            .render(in: Rect(x: inner.x, y: inner.y + y, width: min(inner.width, 60), height: h), buffer: &buffer)
            y += h
        }
        if report.result.nonFiniteCount > 0 {
            let n = report.result.nonFiniteCount
            put(
                Line([
                    Span("Not finite", style: theme.error.bold),
                    Span(
                        "  \(Format.count(n)) sample\(n == 1 ? "" : "s") with NaN or \(theme.unicode ? "∞" : "inf") in z, J\(theme.dot)u or C, listed first",
                        style: theme.label),
                ]))
        }
        put(Line([Span("Worst samples", style: theme.title), Span(report.worst.isEmpty ? "  none computed yet" : "", style: theme.dim)]))
        guard y < inner.height else { return }
        var state = list
        List(listLines, highlightStyle: Style(modifiers: .reverse), glyphs: theme.glyphs)
            .render(in: Rect(x: inner.x, y: inner.y + y, width: inner.width, height: inner.height - y), buffer: &buffer, state: &state)
    }
}
