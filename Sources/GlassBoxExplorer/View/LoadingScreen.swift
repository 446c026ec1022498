import GlassBoxTUI

/// What the explorer shows while it loads: each step with a mark, the embedding's progress
/// as a gauge, and how to quit.
public struct LoadingScreen: Widget {
    public struct Step: Equatable, Sendable {
        public enum State: Equatable, Sendable { case waiting, running, done }
        public var name: String
        public var detail: String
        public var state: State

        public init(_ name: String, _ detail: String, _ state: State) {
            self.name = name
            self.detail = detail
            self.state = state
        }
    }

    public var steps: [Step]
    /// The running step's progress, nil when unknown.
    public var fraction: Double?
    public var elapsed: Double
    public var theme: Theme

    public init(steps: [Step], fraction: Double?, elapsed: Double, theme: Theme) {
        self.steps = steps
        self.fraction = fraction
        self.elapsed = elapsed
        self.theme = theme
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let width = min(area.width - 2, 72)
        let height = min(area.height, steps.count + 7)
        let box = area.centered(width: width, height: height)
        let block = theme.block(
            "glassbox", isFocused: true,
            footer: KeyHints.text(KeyMode.loadingFooter, in: ExplorerKeyMap.loading, theme: theme))
        Clear().render(in: box, buffer: &buffer)
        block.render(in: box, buffer: &buffer)
        let inner = block.inner(box).inner(horizontal: 1, vertical: 0)
        guard !inner.isEmpty else { return }
        var lines: [Line] = [Line("Loading the Glass Box UMAP explorer", style: theme.label), Line("")]
        let nameWidth = steps.map { $0.name.count }.max() ?? 0
        for step in steps {
            let mark: Span
            switch step.state {
            case .done: mark = Span(theme.check, style: theme.good)
            case .running: mark = Span(theme.running, style: theme.accent)
            case .waiting: mark = Span(theme.pending, style: theme.dim)
            }
            let name = step.name + String(repeating: " ", count: nameWidth + 2 - step.name.count)
            lines.append(
                Line([
                    mark, Span(" " + name, style: step.state == .waiting ? theme.dim : theme.title),
                    Span(step.detail, style: theme.label),
                ]))
        }
        for (i, line) in lines.enumerated() where i < inner.height {
            line.render(in: inner.row(i), buffer: &buffer, alignment: .left, ellipsis: theme.glyphs.ellipsis)
        }
        let gaugeRow = lines.count + 1
        if gaugeRow < inner.height {
            let label = fraction.map { "\(Int($0 * 100))%" } ?? "\(NumberFormatSeconds.format(elapsed))"
            Gauge(ratio: fraction ?? 0, label: label, glyphs: theme.glyphs, filledStyle: theme.key)
                .render(in: inner.row(gaugeRow), buffer: &buffer)
        }
    }
}

enum NumberFormatSeconds {
    static func format(_ s: Double) -> String { NumberFormat.fixed(s, 1) + " s" }
}
