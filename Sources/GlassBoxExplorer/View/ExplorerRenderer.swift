import Foundation
import GlassBoxCore
import GlassBoxTUI

/// Turns (state, session, background results) into one frame of widgets, and remembers where
/// things were drawn (`geometry`) for the next clicks and page keys. Lives on the main loop;
/// caches what is expensive at 1,000,000 samples (scatter colors, the focused sample's
/// explanation) and reads the background results under their lock, once per frame.
final class ExplorerRenderer {
    let session: ExplorerSession
    let background: BackgroundComputation?
    let theme: Theme
    let keymap: KeyMap<Command>
    let explanations: ExplanationCache
    let analysis: AnalysisViews
    private var coloring: (key: ColoringKey, version: Int, computed: DispatchTime, colors: ScatterColors)?
    private(set) var geometry = FrameGeometry()

    /// Colors are recomputed when this changes, and — for colorings fed by the background
    /// pass — when the store's version moves, at most every `refreshInterval`.
    private struct ColoringKey: Equatable {
        var mode: ColorMode
        var feature: Int?
    }

    static let refreshInterval: UInt64 = 250_000_000

    init(session: ExplorerSession, background: BackgroundComputation?, theme: Theme, keymap: KeyMap<Command> = ExplorerKeyMap.standard,
         tolerance: Double = 1e-4) {
        analysis = AnalysisViews(session: session, background: background, theme: theme, tolerance: tolerance)
        self.session = session
        self.background = background
        self.theme = theme
        self.keymap = keymap
        explanations = ExplanationCache(session: session)
    }

    var store: ContributionStore? { background?.store }

    /// The read-only data the reducer needs, with this renderer's last geometry.
    func context(for state: ExplorerState) -> ExplorerContext {
        ExplorerContext(sampleCount: session.sampleCount, outputCount: session.outputCount,
                        componentCount: session.componentCount, featureNames: session.featureNames,
                        ids: session.dataset.ids, search: session.search, groups: session.groups,
                        spatial: session.axisData(state.axes).index, geometry: geometry,
                        defaultFeature: store?.keptFeatures.first ?? 0)
    }

    var axisNames: [String] { (0..<session.outputCount).map { "z\($0 + 1)" } }

    // MARK: Frame

    func render(_ state: ExplorerState, into frame: inout Frame) {
        let layout = ExplorerLayout(screen: frame.area)
        guard !layout.isTooSmall else {
            geometry = FrameGeometry()
            frame.render(TooSmallScreen(theme: theme), in: frame.area)
            return
        }
        var g = FrameGeometry()
        g.embeddingPanel = layout.embedding
        g.samplePanel = layout.sample

        // Embedding.
        let axis = session.axisData(state.axes)
        let m = session.outputCount
        let focus = (x: Double(session.embedding[state.sample * m + state.axes.x]),
                     y: Double(session.embedding[state.sample * m + state.axes.y]))
        let viewport = state.zoom > 1 ? axis.extent.zoomed(by: state.zoom, around: focus.x, focus.y) : axis.extent
        let colors = scatterColors(state)
        let names = axisNames
        var embedding = EmbeddingPanel(
            xs: axis.xs, ys: axis.ys, colors: colors, viewport: viewport, axisNames: (names[state.axes.x], names[state.axes.y]),
            focus: focus, title: "\(names[state.axes.x]) \(theme.times) \(names[state.axes.y]) \(theme.bullet) color: \(colorTitle(state))",
            isFocused: state.focus == .embedding, theme: theme,
            footer: state.zoom > 1 ? "zoom \(Int(state.zoom))\(theme.times) \(theme.bullet) 0 resets" : "\(Format.count(session.sampleCount)) samples")
        decorate(&embedding, state)
        frame.render(embedding, in: layout.embedding)
        g.canvas = embedding.canvasRect(in: layout.embedding)
        g.viewport = viewport

        // Sample.
        if state.mark != nil || state.selection != nil {
            let (panel, shown, bars) = analysisPanel(state, area: layout.sample)
            frame.render(panel, in: layout.sample)
            g.bars = bars
            g.barFeatures = shown
        } else {
            let (samplePanel, shown, bars) = sampleView(state, area: layout.sample)
            frame.render(samplePanel, in: layout.sample)
            g.bars = bars
            g.barFeatures = state.space == .features ? shown : []
        }

        // Overlays, then the status line.
        if case .search(let input) = state.input {
            let matches = session.search.matches(input.text)
            let area = SearchOverlay.frame(in: layout.embedding.inner(1), rows: min(12, max(1, matches.count)))
            frame.render(SearchOverlay(query: input.text, matches: matches, names: session.featureNames,
                                       selection: input.selection, theme: theme), in: area)
        }
        if let overlay = state.overlay {
            renderOverlay(overlay, into: &frame, geometry: &g)
        }
        if let offset = state.help {
            let help = HelpOverlay(keymap: keymap, offset: offset, theme: theme)
            frame.render(help, in: frame.area)
            let extent = help.scrollExtent(in: frame.area)
            g.helpRows = extent.visible
            g.helpContentRows = extent.content
        }
        let status = statusBar(state)
        frame.render(status, in: layout.status)
        if let x = status.cursorColumn(in: layout.status) { frame.setCursor(x: x, y: layout.status.y) }
        geometry = g
    }

    // MARK: Sample panel

    private func sampleView(_ state: ExplorerState, area: Rect) -> (SamplePanel, [Int], Rect) {
        let row = state.sample
        let e = explanations.explanation(for: row)
        let space: FeatureSpace = session.componentCount == nil ? .features : state.space
        let table = explanations.table(for: row, space: space)
        let ranking = explanations.ranking(for: row, view: state.view, space: space)
        let names = session.columnNames(space)
        let inputs = space == .features ? session.values(ofSample: row).map(Double.init) : e.encoderInput
        let header = SampleHeader(id: session.dataset.ids[row], row: row, sampleCount: session.sampleCount,
                                  label: session.dataset.labels?.label(of: row), embedding: e.embedding,
                                  sums: e.contributionSums, reconstructionError: e.reconstructionError)
        let highlighted = space == .features ? state.highlightedFeature : nil
        // A pinned line takes a row when the highlight is off the page.
        var bars = SamplePanel.layout(header: header, in: area, pinned: false, theme: theme).bars
        if let h = highlighted, let rank = ranking.firstIndex(of: h), !(state.barOffset..<(state.barOffset + bars.height)).contains(rank) {
            bars = SamplePanel.layout(header: header, in: area, pinned: true, theme: theme).bars
        }
        let spaceTitle = space == .components ? "PCA components" : "features"
        let (panel, shown) = SamplePanel.build(header: header, table: table, ranking: ranking, names: names, inputs: inputs,
                                               view: state.view, space: space, spaceTitle: spaceTitle, offset: state.barOffset,
                                               pageSize: bars.height, highlighted: highlighted, axisNames: axisNames,
                                               isFocused: state.focus == .sample, theme: theme)
        return (panel, shown, bars)
    }

    // MARK: Status line

    private func statusBar(_ state: ExplorerState) -> StatusBar {
        let left: StatusBar.Left
        switch state.input {
        case .search(let t):
            left = .prompt(label: "/", text: t.text, hint: state.message?.text ?? "\(theme.unicode ? "↑↓" : "up/down") choose \(theme.bullet) Enter color by it \(theme.bullet) Esc cancel",
                           isError: state.message?.isError ?? false)
        case .goto(let t):
            left = .prompt(label: "go to", text: t.text, hint: state.message?.text ?? "row number or sample id \(theme.bullet) Enter \(theme.bullet) Esc cancel",
                           isError: state.message?.isError ?? false)
        case .normal:
            if let m = state.message {
                left = .message(m)
            } else if state.help != nil {
                left = .hints(panel: "Help", [("j k", "scroll"), ("Esc", "close")])
            } else if let overlay = state.overlay {
                left = overlayHints(overlay)
            } else {
                left = .hints(panel: state.focus.title, hints(for: state))
            }
        }
        var progress: (String, Double, String)? = nil
        var counts = "\(Format.count(session.sampleCount)) samples"
        if let p = store?.progress {
            switch p.phase {
            case .waiting, .pilot, .running:
                progress = ("contributions", p.fraction, "\(Format.count(p.done))/\(Format.count(p.total))")
            case .finished:
                counts = "\(theme.check) contributions \(theme.bullet) " + counts
            case .cancelled:
                counts = "contributions cancelled \(theme.bullet) " + counts
            case .failed(let why):
                counts = "contributions failed: \(why) \(theme.bullet) " + counts
            }
        }
        return StatusBar(left: left, progress: progress.map { (label: $0.0, fraction: $0.1, detail: $0.2) }, counts: counts, theme: theme)
    }

    /// Most useful first; the status line drops from the end (keeping "? help" and "q quit").
    private func hints(for state: ExplorerState) -> [(String, String)] {
        let u = theme.unicode
        switch state.focus {
        case .embedding:
            var h: [(String, String)] = [(u ? "←↓↑→" : "arrows", "nearest"), ("j/k", "next/prev")]
            if state.mark != nil { h.append(("m", "clear A")) }
            if state.selection != nil { h.append(("d", state.versusRest ? "top features" : "vs rest")); h.append(("Esc", "clear")) }
            return h + [("c", "color"), ("/", "find feature"), ("s/b", "select"), ("m", "mark A"), ("r", "verify"),
                        ("n/N", "same group"), ("g", "go to"), ("?", "help"), ("q", "quit")]
        case .sample:
            var h: [(String, String)] = [("j/k", "sample"), (u ? "←→" : "left/right", "page"), ("v", "view")]
            if session.componentCount != nil { h.append(("p", state.space == .features ? "PCA space" : "feature space")) }
            return h + [("/", "find feature"), ("Tab", "embedding"), ("?", "help"), ("q", "quit")]
        }
    }

    // MARK: Scatter colors

    private func colorTitle(_ state: ExplorerState) -> String {
        switch state.colorMode {
        case .group: return session.groups?.labels.column ?? "group"
        case .topFeature: return "top feature"
        case .contribution, .value:
            let name = state.colorFeature.map { session.featureNames[$0] } ?? "?"
            return "\(name) \(state.colorMode.title)"
        }
    }

    private func scatterColors(_ state: ExplorerState) -> ScatterColors {
        let key = ColoringKey(mode: state.colorMode, feature: state.colorMode.usesFeature ? state.colorFeature : nil)
        let version = store?.version ?? 0
        let now = DispatchTime.now()
        if let c = coloring, c.key == key {
            let fresh = c.version == version || now.uptimeNanoseconds - c.computed.uptimeNanoseconds < Self.refreshInterval
            if fresh || !dependsOnBackground(key) { return c.colors }
        }
        let colors = computeColors(key)
        coloring = (key, version, now, colors)
        return colors
    }

    /// The scatter shows colors older than the background results: draw again soon.
    var hasStaleColors: Bool {
        guard let c = coloring, let store, dependsOnBackground(c.key) else { return false }
        return c.version != store.version
    }

    private func dependsOnBackground(_ key: ColoringKey) -> Bool {
        key.mode != .group
    }

    private func computeColors(_ key: ColoringKey) -> ScatterColors {
        let n = session.sampleCount, order = session.plotOrder
        let names = session.featureNames
        switch key.mode {
        case .group:
            guard let groups = session.groups else {
                return .waiting(count: n, title: "group", message: "no labels", order: order, theme: theme)
            }
            return .groups(groups, order: order, theme: theme)
        case .contribution:
            let f = key.feature ?? 0
            let title = theme.unicode ? "‖C[:, \(names[f])]‖" : "|C[:, \(names[f])]|"
            if let colors = store?.withContributionColumn(f, { values, _ in
                ScatterColors.gradient(values, title: title, fromZero: true, order: order, theme: theme)
            }) {
                return colors
            }
            background?.requestContributionColumn(f)
            return .waiting(count: n, title: title, message: "computing…", order: order, theme: theme)
        case .topFeature:
            guard let store else { return .waiting(count: n, title: "top feature", message: "not computed", order: order, theme: theme) }
            let top = store.topFeaturePerSample()
            return .topFeatures(top, names: names, order: order, theme: theme)
        case .value:
            let f = key.feature ?? 0
            let title = "\(names[f]) value"
            let column: [Float]
            if let background {
                guard let c = background.store.valueColumn(f) else {
                    background.requestValueColumn(f)
                    return .waiting(count: n, title: title, message: "reading…", order: order, theme: theme)
                }
                column = c
            } else {
                column = session.values(ofFeature: f)
            }
            return column.withUnsafeBufferPointer { .gradient($0, title: title, fromZero: false, order: order, theme: theme) }
        }
    }
}
