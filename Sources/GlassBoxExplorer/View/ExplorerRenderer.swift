import Foundation
import GlassBoxCore
import GlassBoxTUI

/// One frame decided before it is drawn: where things go (`layout`, which the reducer reads
/// too) and the panel beside the scatter, built once because its page decides the layout.
struct FramePlan {
    var layout: FrameLayout
    /// The sample, compare or selection panel; nil when the screen is too small.
    var side: SidePanel?
    var axis: AxisData?
    /// The focused sample's coordinates on the shown axes.
    var focus: (x: Double, y: Double) = (0, 0)
}

/// The panel in the sample panel's place.
enum SidePanel: Widget {
    case sample(SamplePanel)
    case ranked(RankedBarsPanel)

    func render(in area: Rect, buffer: inout Buffer) {
        switch self {
        case .sample(let p): p.render(in: area, buffer: &buffer)
        case .ranked(let p): p.render(in: area, buffer: &buffer)
        }
    }
}

/// Turns (state, session, background results) into frames: `plan` decides where everything
/// goes, `render` draws that plan into widgets. Both read data and never start work — the
/// reducer's effects do (`EffectRunner`). Lives on the main loop; caches what is expensive at
/// 1,000,000 samples (scatter colors, the focused sample's explanation) and reads the
/// background results under their lock.
final class ExplorerRenderer {
    let session: ExplorerSession
    let background: BackgroundComputation?
    let theme: Theme
    let keymap: KeyMap<Command>
    let explanations: ExplanationCache
    let analysis: AnalysisViews
    private var coloring: (key: ColoringKey, version: Int, computed: DispatchTime, colors: ScatterColors)?

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

    /// The read-only data the reducer needs, for a command acting on a frame laid out as `layout`.
    func context(for state: ExplorerState, layout: FrameLayout) -> ExplorerContext {
        ExplorerContext(sampleCount: session.sampleCount, outputCount: session.outputCount,
                        componentCount: session.componentCount, featureNames: session.featureNames,
                        ids: session.dataset.ids, search: session.search, groups: session.groups,
                        spatial: session.axisData(state.axes).index, layout: layout,
                        defaultFeature: store?.keptFeatures.first ?? 0, listedRows: analysis.listedRows(state.overlay))
    }

    var axisNames: [String] { (0..<session.outputCount).map { "z\($0 + 1)" } }

    // MARK: Frame

    /// Decides the frame for `state` on `screen`: the panels, the scatter's canvas and
    /// viewport, the side panel's page, the help's extent.
    func plan(_ state: ExplorerState, screen: Rect) -> FramePlan {
        var layout = FrameLayout(screen: screen)
        guard !layout.isTooSmall else { return FramePlan(layout: layout) }
        let axis = session.axisData(state.axes)
        let m = session.outputCount
        let focus = (x: Double(session.embedding[state.sample * m + state.axes.x]),
                     y: Double(session.embedding[state.sample * m + state.axes.y]))
        let viewport = state.zoom > 1 ? axis.extent.zoomed(by: state.zoom, around: focus.x, focus.y) : axis.extent
        layout.viewport = viewport
        layout.canvas = EmbeddingPanel.parts(in: layout.embeddingPanel, viewport: viewport, yAxisName: axisNames[state.axes.y]).canvas

        let side: (panel: SidePanel, shown: [Int], bars: Rect)
        if state.mark != nil || state.selection != nil {
            side = analysisPanel(state, area: layout.samplePanel)
            layout.barFeatures = side.shown
        } else {
            side = samplePanel(state, area: layout.samplePanel)
            layout.barFeatures = state.space == .features ? side.shown : []
        }
        layout.bars = side.bars

        if state.help != nil {
            let extent = HelpOverlay(keymap: keymap, offset: 0, theme: theme).scrollExtent(in: screen)
            layout.helpRows = extent.visible
            layout.helpContentRows = extent.content
        }
        return FramePlan(layout: layout, side: side.panel, axis: axis, focus: focus)
    }

    /// Draws `plan`, made for `state` on this frame's screen.
    func render(_ state: ExplorerState, _ plan: FramePlan, into frame: inout Frame) {
        let layout = plan.layout
        guard let side = plan.side, let axis = plan.axis, let viewport = layout.viewport else {
            frame.render(TooSmallScreen(theme: theme), in: frame.area)
            return
        }

        // Embedding.
        let names = axisNames
        var embedding = EmbeddingPanel(
            xs: axis.xs, ys: axis.ys, colors: scatterColors(state), viewport: viewport, axisNames: (names[state.axes.x], names[state.axes.y]),
            focus: plan.focus, title: "\(names[state.axes.x]) \(theme.times) \(names[state.axes.y]) \(theme.bullet) color: \(colorTitle(state))",
            isFocused: state.focus == .embedding, theme: theme,
            footer: state.zoom > 1 ? "zoom \(Int(state.zoom))\(theme.times) \(theme.bullet) 0 resets" : "\(Format.count(session.sampleCount)) samples")
        decorate(&embedding, state)
        frame.render(embedding, in: layout.embeddingPanel)
        frame.render(side, in: layout.samplePanel)

        // Overlays, then the status line.
        if case .search(let input) = state.input {
            let matches = session.search.matches(input.text)
            let area = SearchOverlay.frame(in: layout.embeddingPanel.inner(1), rows: min(12, max(1, matches.count)))
            frame.render(SearchOverlay(query: input.text, matches: matches, names: session.featureNames,
                                       selection: input.selection, theme: theme), in: area)
        }
        if let overlay = state.overlay {
            renderOverlay(overlay, into: &frame)
        }
        if let offset = state.help {
            frame.render(HelpOverlay(keymap: keymap, offset: offset, theme: theme), in: frame.area)
        }
        let status = statusBar(state)
        frame.render(status, in: layout.status)
        if let x = status.cursorColumn(in: layout.status) { frame.setCursor(x: x, y: layout.status.y) }
    }

    // MARK: Sample panel

    private func samplePanel(_ state: ExplorerState, area: Rect) -> (SidePanel, [Int], Rect) {
        let row = state.sample
        let e = explanations.explanation(for: row)
        let space: FeatureSpace = session.componentCount == nil ? .features : state.space
        let inputs = space == .features ? session.values(ofSample: row).map(Double.init) : e.encoderInput
        let header = SampleHeader(id: session.dataset.ids[row], row: row, sampleCount: session.sampleCount,
                                  label: session.dataset.labels?.label(of: row), embedding: e.embedding,
                                  sums: e.contributionSums, reconstructionError: e.reconstructionError)
        let built = SamplePanel.build(header: header, table: explanations.table(for: row, space: space),
                                      ranking: explanations.ranking(for: row, view: state.view, space: space),
                                      names: session.columnNames(space), inputs: inputs, view: state.view, space: space,
                                      spaceTitle: space == .components ? "PCA components" : "features", offset: state.barOffset,
                                      highlighted: state.highlightedFeature, axisNames: axisNames,
                                      isFocused: state.focus == .sample, theme: theme, area: area)
        return (.sample(built.panel), built.shown, built.bars)
    }

    // MARK: Status line

    private func statusBar(_ state: ExplorerState) -> StatusBar {
        let mode = KeyMode(state)
        let keys = mode == .standard ? keymap : mode.keyMap
        let hints = mode.statusHints(state, hasComponents: session.componentCount != nil)
        let left: StatusBar.Left
        switch state.input {
        case .search(let t):
            left = .prompt(label: hints.badge, text: t.text, hint: state.message?.text ?? KeyHints.text(hints.hints, in: keys, theme: theme),
                           isError: state.message?.isError ?? false)
        case .goto(let t):
            let hint = "row number or sample id \(theme.bullet) " + KeyHints.text(hints.hints, in: keys, theme: theme)
            left = .prompt(label: hints.badge, text: t.text, hint: state.message?.text ?? hint, isError: state.message?.isError ?? false)
        case .normal:
            if let m = state.message {
                left = .message(m)
            } else {
                left = .hints(panel: hints.badge, KeyHints.pairs(hints.hints, in: keys, theme: theme))
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

    /// Colors from what is there: a column the background hasn't filled yet (the reducer
    /// asked for it with `requestContributionColumn` / `requestValueColumn`) shows as pending.
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
            let colors = store?.withContributionColumn(f) { values, _ in
                ScatterColors.gradient(values, title: title, fromZero: true, order: order, theme: theme)
            }
            return colors ?? .waiting(count: n, title: title, message: "computing…", order: order, theme: theme)
        case .topFeature:
            guard let store else { return .waiting(count: n, title: "top feature", message: "not computed", order: order, theme: theme) }
            let top = store.topFeaturePerSample()
            return .topFeatures(top, names: names, order: order, theme: theme)
        case .value:
            let f = key.feature ?? 0
            let title = "\(names[f]) value"
            let column: [Float]
            if let store {
                guard let c = store.valueColumn(f) else {
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
