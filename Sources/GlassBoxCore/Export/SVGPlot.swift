import Foundation

/// The export's two pictures as standalone SVG, readable in any browser: the embedding
/// scatter colored by group (every pair of coordinates of a 3-component model), and per-group
/// bar charts of the top features on one scale. Numbers as everywhere (`SignificantDigits`).
enum SVGPlot {
    /// Tableau 20: distinct, print-safe category colors; cycled past 20 groups.
    static let palette = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
        "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d", "#f1ce63", "#d4a6c8", "#fabfd2", "#d7b5a6", "#79706e",
    ]

    static func color(_ group: Int) -> String { palette[group % palette.count] }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Control characters are not allowed in XML 1.0.
            case _ where ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r": out += "\u{FFFD}"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A coordinate with one decimal: compact and fast for tens of thousands of marks.
    static func fixed(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let a = abs(tenths)
        return a % 10 == 0 ? "\(sign)\(a / 10)" : "\(sign)\(a / 10).\(a % 10)"
    }

    /// About `count` round tick values covering lo…hi.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var t = (lo / step).rounded(.up) * step
        while t <= hi + step * 1e-9 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }

    /// A tick label: the numbers' format everywhere (`SignificantDigits`), trailing zeros cut.
    static func label(_ v: Double) -> String {
        SignificantDigits.format(v, trimmed: true)
    }

    /// The coordinate pairs drawn: (z1, z2); every pair of the first four coordinates when
    /// there are three or more (z1×z2, z1×z3, z2×z3 for a 3-component model); z1 alone
    /// against 0 for a 1-component one.
    static func pairs(dimensions m: Int) -> [(x: Int, y: Int?)] {
        guard m > 2 else { return [(0, m > 1 ? 1 : nil)] }
        let shown = min(m, 4)
        return (0..<shown).flatMap { a in ((a + 1)..<shown).map { b in (x: a, y: Optional(b)) } }
    }

    /// embedding.svg: one `<circle class="sample">` per sample and drawn pair of coordinates
    /// (`pairs`), colored by group, with axes and a legend; the title names coordinates
    /// not drawn.
    static func embedding(points: [Float], dimensions m: Int, codes: [Int32]?, categories: [String]?, title: String) -> String {
        let n = m > 0 ? points.count / m : 0
        let pairs = pairs(dimensions: m)
        let single = pairs.count == 1
        let columns = min(3, pairs.count), rows = (pairs.count + columns - 1) / columns
        let plotWidth = single ? 640.0 : 380.0, plotHeight = single ? 520.0 : 340.0
        let cellWidth = plotWidth + 100, cellHeight = plotHeight + 80
        let groups = categories ?? []
        let legendWidth = groups.isEmpty ? 0 : min(260, 40 + 7 * (groups.map(\.count).max() ?? 0))
        let width = Int(Double(columns) * cellWidth) + legendWidth, height = Int(40 + Double(rows) * cellHeight)
        let fullTitle = title + (m > 4 ? " (z5–z\(m) not drawn: pairs of z1–z4)" : "")
        let radius = n > 20_000 ? "1.2" : n > 2_000 ? "2" : "3"

        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
            <title>\(escape(fullTitle))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="70" y="24" font-size="15">\(escape(fullTitle))</text>

            """
        s.reserveCapacity(s.utf8.count + n * pairs.count * 64)
        for (p, pair) in pairs.enumerated() {
            let left = 70 + Double(p % columns) * cellWidth, top = 40 + Double(p / columns) * cellHeight
            s += scatterPanel(
                points: points, dimensions: m, count: n, pair: pair, codes: codes, radius: radius,
                left: left, top: top, width: plotWidth, height: plotHeight)
        }
        if !groups.isEmpty {
            let lx = 70 + Double(columns) * cellWidth - 50
            s += "<g id=\"legend\">\n"
            for (g, name) in groups.enumerated() {
                let ly = 48 + Double(g) * 18
                s += "<rect x=\"\(fixed(lx))\" y=\"\(fixed(ly - 9))\" width=\"10\" height=\"10\" fill=\"\(color(g))\"/>"
                s += "<text x=\"\(fixed(lx + 16))\" y=\"\(fixed(ly))\">\(escape(name))</text>\n"
            }
            s += "</g>\n"
        }
        return s + "</svg>\n"
    }

    /// One pair's scatter: axes and a circle per sample.
    static func scatterPanel(
        points: [Float], dimensions m: Int, count n: Int, pair: (x: Int, y: Int?), codes: [Int32]?,
        radius: String, left: Double, top: Double, width: Double, height: Double
    ) -> String {
        func x(_ i: Int) -> Double { Double(points[i * m + pair.x]) }
        func y(_ i: Int) -> Double { pair.y.map { Double(points[i * m + $0]) } ?? 0 }
        var xlo = Double.infinity, xhi = -Double.infinity, ylo = Double.infinity, yhi = -Double.infinity
        for i in 0..<n where x(i).isFinite && y(i).isFinite {
            xlo = min(xlo, x(i)); xhi = max(xhi, x(i)); ylo = min(ylo, y(i)); yhi = max(yhi, y(i))
        }
        if !(xlo <= xhi) { xlo = 0; xhi = 1; ylo = 0; yhi = 1 }
        if xhi - xlo < 1e-12 { xlo -= 1; xhi += 1 }
        if yhi - ylo < 1e-12 { ylo -= 1; yhi += 1 }
        let padX = (xhi - xlo) * 0.03, padY = (yhi - ylo) * 0.03
        xlo -= padX; xhi += padX; ylo -= padY; yhi += padY
        func px(_ v: Double) -> Double { left + (v - xlo) / (xhi - xlo) * width }
        func py(_ v: Double) -> Double { top + height - (v - ylo) / (yhi - ylo) * height }
        var s = axes(
            left: left, top: top, width: width, height: height,
            xTicks: ticks(xlo, xhi).map { ($0, px($0)) }, yTicks: ticks(ylo, yhi).map { ($0, py($0)) },
            xName: "z\(pair.x + 1)", yName: pair.y.map { "z\($0 + 1)" } ?? "")
        s += "<g class=\"samples\" fill-opacity=\"0.75\" stroke=\"none\">\n"
        for i in 0..<n {
            let g = codes.map { Int($0[i]) } ?? 0
            let cx = x(i).isFinite ? fixed(px(x(i))) : "-10", cy = y(i).isFinite ? fixed(py(y(i))) : "-10"
            s += "<circle class=\"sample\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(radius)\" fill=\"\(color(g))\"/>\n"
        }
        return s + "</g>\n"
    }

    /// A frame with tick marks and labels; ticks are (value, pixel position).
    static func axes(
        left: Double, top: Double, width: Double, height: Double,
        xTicks: [(Double, Double)], yTicks: [(Double, Double)], xName: String, yName: String
    ) -> String {
        let bottom = top + height
        var s = "<g class=\"axes\" stroke=\"#444\" fill=\"none\">\n"
        s += "<rect x=\"\(fixed(left))\" y=\"\(fixed(top))\" width=\"\(fixed(width))\" height=\"\(fixed(height))\"/>\n"
        for (_, p) in xTicks { s += "<line x1=\"\(fixed(p))\" y1=\"\(fixed(bottom))\" x2=\"\(fixed(p))\" y2=\"\(fixed(bottom + 5))\"/>\n" }
        for (_, p) in yTicks { s += "<line x1=\"\(fixed(left - 5))\" y1=\"\(fixed(p))\" x2=\"\(fixed(left))\" y2=\"\(fixed(p))\"/>\n" }
        s += "</g>\n<g class=\"tick-labels\" fill=\"#222\">\n"
        for (v, p) in xTicks { s += "<text x=\"\(fixed(p))\" y=\"\(fixed(bottom + 18))\" text-anchor=\"middle\">\(label(v))</text>\n" }
        for (v, p) in yTicks { s += "<text x=\"\(fixed(left - 8))\" y=\"\(fixed(p + 4))\" text-anchor=\"end\">\(label(v))</text>\n" }
        s +=
            "<text x=\"\(fixed(left + width / 2))\" y=\"\(fixed(bottom + 40))\" text-anchor=\"middle\" font-size=\"14\">\(escape(xName))</text>\n"
        if !yName.isEmpty {
            s +=
                "<text transform=\"translate(\(fixed(left - 50)) \(fixed(top + height / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"14\">\(escape(yName))</text>\n"
        }
        return s + "</g>\n"
    }

    /// groups.svg: one panel per group, horizontal bars of its top features' mean L2
    /// contribution, labelled with the value and its share of the group's total. Every panel
    /// has the same scale, drawn as an axis under its bars, so bars compare across groups.
    static func groups(_ groups: [GroupRanking], featureNames: [String], title: String, bars: Int = 10) -> String {
        let columns = groups.count > 1 ? 2 : 1
        let panelWidth = 460.0, nameWidth = 150.0, barRow = 18.0, barSpace = panelWidth - nameWidth - 90
        let rows = groups.map { min($0.top.count, bars) }.max() ?? 0
        let panelHeight = 40 + Double(rows) * barRow + 44
        let lines = (groups.count + columns - 1) / columns
        let width = Int(Double(columns) * panelWidth + 20), height = Int(44 + Double(max(lines, 1)) * panelHeight)
        let largest = groups.flatMap { $0.top.prefix(bars).map(\.meanL2) }.filter(\.isFinite).max() ?? 0
        let scaleTicks = largest > 0 ? ticks(0, largest, count: 4) : [0]
        let scale = max(largest, scaleTicks.last ?? 0)
        func barWidth(_ v: Double) -> Double { scale > 0 && v.isFinite ? max(0.5, v / scale * barSpace) : 0.5 }
        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="11">
            <title>\(escape(title))</title>
            <rect width="100%" height="100%" fill="white"/>
            <text x="10" y="24" font-size="15">\(escape(title))</text>

            """
        for (p, g) in groups.enumerated() {
            let color = color(g.code)
            let ox = 10 + Double(p % columns) * panelWidth, oy = 44 + Double(p / columns) * panelHeight
            let shown = Array(g.top.prefix(bars))
            s += "<g class=\"group\" transform=\"translate(\(fixed(ox)) \(fixed(oy)))\">\n"
            s +=
                "<text x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\" fill=\"\(color)\">\(escape(g.label)) (\(g.sampleCount) samples)</text>\n"
            for (r, e) in shown.enumerated() {
                let y = 26 + Double(r) * barRow
                let w = barWidth(e.meanL2)
                let name = featureNames[e.feature]
                let shortName = name.count > 22 ? String(name.prefix(10)) + "…" + String(name.suffix(11)) : name
                let value = SignificantDigits.format(e.meanL2), share = SignificantDigits.format(e.share * 100) + "%"
                s += "<text x=\"\(fixed(nameWidth - 6))\" y=\"\(fixed(y + 11))\" text-anchor=\"end\">\(escape(shortName))</text>"
                s +=
                    "<rect class=\"bar\" x=\"\(fixed(nameWidth))\" y=\"\(fixed(y + 2))\" width=\"\(fixed(w))\" height=\"\(fixed(barRow - 5))\" fill=\"\(color)\"><title>\(escape(name)): mean L2 \(value), \(share) of the group's total</title></rect>"
                s += "<text x=\"\(fixed(nameWidth + w + 4))\" y=\"\(fixed(y + 11))\" fill=\"#444\">\(value) (\(share))</text>\n"
            }
            // The shared scale.
            let axisY = 26 + Double(rows) * barRow + 6
            s +=
                "<g class=\"scale\" stroke=\"#444\"><line x1=\"\(fixed(nameWidth))\" y1=\"\(fixed(axisY))\" x2=\"\(fixed(nameWidth + barSpace))\" y2=\"\(fixed(axisY))\"/>"
            for t in scaleTicks {
                let x = nameWidth + barWidth(t) - (t == 0 ? 0.5 : 0)
                s += "<line x1=\"\(fixed(x))\" y1=\"\(fixed(axisY))\" x2=\"\(fixed(x))\" y2=\"\(fixed(axisY + 4))\"/>"
            }
            s += "</g><g class=\"scale-labels\" fill=\"#444\" text-anchor=\"middle\">"
            for t in scaleTicks {
                s += "<text x=\"\(fixed(nameWidth + barWidth(t) - (t == 0 ? 0.5 : 0)))\" y=\"\(fixed(axisY + 15))\">\(label(t))</text>"
            }
            s +=
                "<text x=\"\(fixed(nameWidth + barSpace / 2))\" y=\"\(fixed(axisY + 29))\">mean L2 contribution (same scale in every panel)</text></g>\n"
            s += "</g>\n"
        }
        return s + "</svg>\n"
    }
}
