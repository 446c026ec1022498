import Foundation
import GlassBoxCore
import GlassBoxTUI

/// One frame decided before it is drawn: where things go (`layout`, which the reducer reads
/// too), the scatter's colors and the panel beside the scatter, built once because their
/// sizes decide the layout.
struct FramePlan {
    var layout: FrameLayout
    /// The sample, compare, selection or waterfall panel; nil when the screen is too small.
    var side: SidePanel?
    var axis: AxisData?
    var colors: ScatterColors?
    /// The focused sample's coordinates on the shown axes.
    var focus: (x: Double, y: Double) = (0, 0)
}

/// The panel in the sample panel's place.
enum SidePanel: Widget {
    case sample(SamplePanel)
    case ranked(RankedBarsPanel)
    case waterfall(WaterfallPanel)

    func render(in area: Rect, buffer: inout Buffer) {
        switch self {
        case .sample(let p): p.render(in: area, buffer: &buffer)
        case .ranked(let p): p.render(in: area, buffer: &buffer)
        case .waterfall(let p): p.render(in: area, buffer: &buffer)
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
    /// The last few colorings, newest first: cycling back to one is free.
    private var colorings: [(key: ColoringKey, version: Int, computed: DispatchTime, colors: ScatterColors)] = []
    private var coordinateColumn: (index: Int, values: [Float])?

    /// Colors are recomputed when this changes, and — for colorings fed by the background
    /// pass — when the store's version moves, at most every `refreshInterval`.
    private struct ColoringKey: Equatable {
        var mode: ColorMode
        var feature: Int?
        /// The set whose contribution colors instead of `feature`'s.
        var set: Int?
        var spotlight: Int?
        /// The coordinate colored by (`.coordinate`).
        var coordinate: Int?
    }

    static let refreshInterval: UInt64 = 250_000_000

    init(
        session: ExplorerSession, background: BackgroundComputation?, theme: Theme, keymap: KeyMap<Command> = ExplorerKeyMap.standard,
        tolerance: Double = 1e-4
    ) {
        analysis = AnalysisViews(session: session, background: background, theme: theme, tolerance: tolerance)
        self.session = session
        self.background = background
        self.theme = theme
        self.keymap = keymap
        explanations = ExplanationCache(session: session)
    }

    var store: ContributionStore? { background?.store }

    /// The read-only data the reducer needs, for a command acting on the frame `plan`.
    func context(for state: ExplorerState, plan: FramePlan) -> ExplorerContext {
        var categories = 0
        if case .categories(let entries) = plan.colors?.legend.content { categories = entries.count }
        return ExplorerContext(
            sampleCount: session.sampleCount, outputCount: session.outputCount,
            componentCount: session.componentCount, featureSets: session.featureSets, setSearch: session.setSearch,
            featureNames: session.featureNames,
            ids: session.dataset.ids, search: session.search, samples: session.sampleSearch, groups: session.groups,
            spatial: session.axisData(state.axes).index, layout: plan.layout,
            defaultFeature: store?.keptFeatures.first ?? 0, listedRows: analysis.listedRows(state.overlay),
            categoryCount: categories, spotlightForced: categories > 1 && theme.categoryInks.count < 3)
    }

    var axisNames: [String] { (0..<session.outputCount).map { "z\($0 + 1)" } }

    /// The coordinate `.coordinate` colors by: the first the axes don't show.
    func hiddenCoordinate(_ axes: AxisPair) -> Int? {
        (0..<session.outputCount).first { $0 != axes.x && $0 != axes.y }
    }

    // MARK: Frame

    /// Decides the frame for `state` on `screen`: the panels, the scatter's colors, canvas and
    /// viewport, the side panel's page, the help's extent.
    func plan(_ state: ExplorerState, screen: Rect) -> FramePlan {
        var layout = FrameLayout(screen: screen)
        guard !layout.isTooSmall else { return FramePlan(layout: layout) }
        let axis = session.axisData(state.axes)
        let m = session.outputCount
        let focus = (
            x: Double(session.embedding[state.sample * m + state.axes.x]),
            y: Double(session.embedding[state.sample * m + state.axes.y])
        )
        let viewport = state.zoom > 1 ? axis.extent.zoomed(by: state.zoom, around: focus.x, focus.y) : axis.extent
        let colors = scatterColors(state)
        layout.viewport = viewport
        layout.canvas =
            EmbeddingPanel.parts(
                in: layout.embeddingPanel, viewport: viewport, yAxisName: axisNames[state.axes.y],
                legend: colors.legend, theme: theme
            ).canvas

        let side: (panel: SidePanel, shown: [Int], bars: Rect)
        if state.mark != nil || state.selection != nil {
            side = analysisPanel(state, area: layout.samplePanel)
        } else {
            side = samplePanel(state, area: layout.samplePanel)
        }
        // Clicks highlight features or sets; PCA components have nothing to highlight.
        layout.barFeatures = session.available(state.space) == .components ? [] : side.shown
        layout.bars = side.bars

        if state.help != nil {
            let extent = HelpOverlay(keymap: keymap, offset: 0, theme: theme).scrollExtent(in: screen)
            layout.helpRows = extent.visible
            layout.helpContentRows = extent.content
        }
        return FramePlan(layout: layout, side: side.panel, axis: axis, colors: colors, focus: focus)
    }

    /// Draws `plan`, made for `state` on this frame's screen.
    func render(_ state: ExplorerState, _ plan: FramePlan, into frame: inout Frame) {
        let layout = plan.layout
        guard let side = plan.side, let axis = plan.axis, let colors = plan.colors, let viewport = layout.viewport else {
            frame.render(TooSmallScreen(theme: theme), in: frame.area)
            return
        }

        // Embedding.
        let names = axisNames
        var embedding = EmbeddingPanel(
            xs: axis.xs, ys: axis.ys, colors: colors, viewport: viewport, axisNames: (names[state.axes.x], names[state.axes.y]),
            focus: plan.focus, title: embeddingTitle(state), isFocused: state.focus == .embedding, theme: theme,
            footer: state.zoom > 1
                ? "zoom \(Int(state.zoom))\(theme.times) \(theme.bullet) 0 resets" : "\(Format.count(session.sampleCount)) samples")
        decorate(&embedding, state)
        frame.render(embedding, in: layout.embeddingPanel)
        frame.render(side, in: layout.samplePanel)

        // Overlays, then the status line.
        switch state.input {
        case .search(let input):
            let sets = session.available(state.space) == .sets
            let matches = (sets ? session.setSearch! : session.search).matches(input.text)
            let area = SearchOverlay.frame(in: layout.embeddingPanel.inner(1), rows: min(12, max(1, matches.count)))
            var overlay = SearchOverlay(
                query: input.text, matches: matches, names: session.columnNames(sets ? .sets : .features),
                selection: input.selection, theme: theme)
            if sets { overlay.noun = "set" }
            frame.render(overlay, in: area)
        case .goto(let input):
            let found = session.sampleSearch.matches(input.text)
            let area = SearchOverlay.frame(in: layout.embeddingPanel.inner(1), rows: min(12, max(1, found.rows.count)), width: 48)
            frame.render(
                SampleFinderOverlay(
                    query: input.text, found: found, ids: session.dataset.ids,
                    selection: input.selection, theme: theme), in: area)
        case .name, .normal:
            break
        }
        if let overlay = state.overlay {
            renderOverlay(overlay, state: state, into: &frame)
        }
        if let offset = state.help {
            frame.render(HelpOverlay(keymap: keymap, offset: offset, theme: theme), in: frame.area)
        }
        let status = statusBar(state)
        frame.render(status, in: layout.status)
        if let x = status.cursorColumn(in: layout.status) { frame.setCursor(x: x, y: layout.status.y) }
    }

    private func embeddingTitle(_ state: ExplorerState) -> String {
        let names = axisNames
        var title = "\(names[state.axes.x]) \(theme.times) \(names[state.axes.y]) \(theme.bullet) color: \(colorTitle(state))"
        // A third coordinate is never silently dropped: say where it is.
        if session.outputCount >= 3, state.colorMode != .coordinate, let k = hiddenCoordinate(state.axes) {
            title += " \(theme.bullet) \(names[k]): c or x/y"
        }
        return title
    }

    // MARK: Sample panel

    private func samplePanel(_ state: ExplorerState, area: Rect) -> (SidePanel, [Int], Rect) {
        let row = state.sample
        let e = explanations.explanation(for: row)
        let space = session.available(state.space)
        let table = explanations.table(for: row, space: space)
        var header = SampleHeader(
            id: session.dataset.ids[row], row: row, sampleCount: session.sampleCount,
            label: session.dataset.labels?.label(of: row), embedding: e.embedding,
            sums: e.contributionSums, reconstructionError: e.reconstructionError)
        if space == .sets, let sets = session.featureSets {
            header.sums = table.sums
            header.sumIndex = "set"
            header.note = SetsStatement.short(sets, theme: theme)
        }
        let ranking = explanations.ranking(for: row, view: state.view, space: space)
        let columnNames = session.columnNames(space)
        if let j = state.view.waterfallDimension {
            let inner = Block().inner(area)
            let lines = SamplePanel.headerLines(header, width: inner.width, height: inner.height, theme: theme)
            let built = WaterfallPanel.build(
                title: Panel.sample.title, header: lines, heading: waterfallHeading(j, space: space),
                values: table.scores(.component(j)), ranking: ranking, names: columnNames,
                offset: state.barOffset, target: e.embedding[j], targetName: axisNames[j],
                noun: space.title, overlapping: overlaps(space), isFocused: state.focus == .sample, theme: theme, area: area)
            return (.waterfall(built.panel), built.shown, built.rows)
        }
        let inputs: InputColumns
        switch space {
        case .features: inputs = .features(x: session.values(ofSample: row).map(Double.init), mean: session.featureMeans, theme: theme)
        case .components: inputs = .components(u: e.encoderInput)
        case .sets: inputs = .sets(session.featureSets!)
        }
        let built = SamplePanel.build(
            header: header, table: table, ranking: ranking, names: columnNames, inputs: inputs,
            view: state.view, space: space, spaceTitle: space.title, offset: state.barOffset,
            highlighted: space == .sets ? state.highlightedSet : state.highlightedFeature, axisNames: axisNames,
            isFocused: state.focus == .sample, theme: theme, area: area)
        return (.sample(built.panel), built.shown, built.bars)
    }

    /// Whether the columns of a space overlap — sets sharing features — so that they need not
    /// add up to z.
    func overlaps(_ space: FeatureSpace) -> Bool {
        space == .sets && session.featureSets?.isDisjoint == false
    }

    func waterfallHeading(_ j: Int, space: FeatureSpace, prefix: String = "") -> Line {
        Line([
            Span("Waterfall", style: theme.title), Span(" \(theme.bullet) \(prefix)\(axisNames[j])", style: theme.label),
            Span(" \(theme.bullet) \(space.title)", style: theme.label),
        ])
    }

    // MARK: Status line

    private func statusBar(_ state: ExplorerState) -> StatusBar {
        let mode = KeyMode(state)
        let keys = mode == .standard ? keymap : mode.keyMap
        let hints = mode.statusHints(state, hasSpaces: session.componentCount != nil || session.featureSets != nil)
        let left: StatusBar.Left
        switch state.input {
        case .search(let t):
            left = .prompt(
                label: hints.badge, text: t.text, hint: state.message?.text ?? KeyHints.text(hints.hints, in: keys, theme: theme),
                isError: state.message?.isError ?? false)
        case .goto(let t):
            let hint = "id (any part) or row \(theme.bullet) " + KeyHints.text(hints.hints, in: keys, theme: theme)
            left = .prompt(label: hints.badge, text: t.text, hint: state.message?.text ?? hint, isError: state.message?.isError ?? false)
        case .name(let t):
            let hint = "a name for the selection \(theme.bullet) " + KeyHints.text(hints.hints, in: keys, theme: theme)
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
        var bar = StatusBar(
            left: left, progress: progress.map { (label: $0.0, fraction: $0.1, detail: $0.2) }, counts: counts, theme: theme)
        bar.hintsFirst = mode.hintsFirst
        return bar
    }

    // MARK: Scatter colors

    private func colorTitle(_ state: ExplorerState) -> String {
        switch state.colorMode {
        case .group: return session.groups?.labels.column ?? "group"
        case .topFeature: return "top feature"
        case .coordinate: return hiddenCoordinate(state.axes).map { axisNames[$0] } ?? "coordinate"
        case .contribution, .value:
            if state.colorMode == .contribution, let set = state.colorSet, set < session.columnNames(.sets).count {
                return "set \(session.columnNames(.sets)[set]) contribution"
            }
            let name = state.colorFeature.map { session.featureNames[$0] } ?? "?"
            return "\(name) \(state.colorMode.title)"
        }
    }

    func scatterColors(_ state: ExplorerState) -> ScatterColors {
        let key = ColoringKey(
            mode: state.colorMode, feature: state.colorMode.usesFeature ? state.colorFeature : nil,
            set: state.colorMode == .contribution && session.featureSets != nil ? state.colorSet : nil,
            spotlight: state.colorMode.isCategorical ? state.spotlight : nil,
            coordinate: state.colorMode == .coordinate ? hiddenCoordinate(state.axes) : nil)
        let version = store?.version ?? 0
        let now = DispatchTime.now()
        if let i = colorings.firstIndex(where: { $0.key == key }) {
            let c = colorings.remove(at: i)
            let fresh = c.version == version || now.uptimeNanoseconds - c.computed.uptimeNanoseconds < Self.refreshInterval
            if fresh || !dependsOnBackground(key) {
                colorings.insert(c, at: 0)
                return c.colors
            }
        }
        let colors = computeColors(key)
        colorings.insert((key, version, now, colors), at: 0)
        if colorings.count > 6 { colorings.removeLast() }
        return colors
    }

    /// The scatter shows colors older than the background results: draw again soon.
    var hasStaleColors: Bool {
        guard let c = colorings.first, let store, dependsOnBackground(c.key) else { return false }
        return c.version != store.version
    }

    private func dependsOnBackground(_ key: ColoringKey) -> Bool {
        key.mode != .group && key.mode != .coordinate
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
            return .groups(groups, spotlight: key.spotlight, order: order, theme: theme)
        case .contribution:
            if let set = key.set { return setColors(set) }
            let f = key.feature ?? 0
            let title = "\(theme.norm)C[:, \(names[f])]\(theme.norm)"
            let colors = store?.withContributionColumn(f) { values, _ in
                ScatterColors.gradient(values, title: title, fromZero: true, order: order, theme: theme)
            }
            return colors ?? .waiting(count: n, title: title, message: "computing…", order: order, theme: theme)
        case .topFeature:
            guard let store else { return .waiting(count: n, title: "top feature", message: "not computed", order: order, theme: theme) }
            return .topFeatures(store.topFeaturePerSample(), names: names, spotlight: key.spotlight, order: order, theme: theme)
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
        case .coordinate:
            guard let k = key.coordinate else {
                return .waiting(count: n, title: "coordinate", message: "needs 3+ dimensions", order: order, theme: theme)
            }
            if coordinateColumn?.index != k { coordinateColumn = (k, session.coordinates(k)) }
            return coordinateColumn!.values.withUnsafeBufferPointer {
                .gradient($0, title: axisNames[k], fromZero: false, order: order, theme: theme)
            }
        }
    }

    /// Set `set`'s ‖C_S[i, :]‖ for every sample: the pass keeps every set's column (within
    /// `SetSummaries.columnBudget`).
    private func setColors(_ set: Int) -> ScatterColors {
        let n = session.sampleCount, order = session.plotOrder
        let title = "\(theme.norm)C[:, \(session.columnNames(.sets)[set])]\(theme.norm)"
        guard let store else { return .waiting(count: n, title: title, message: "not computed", order: order, theme: theme) }
        let colors = store.withSetColumn(set) { ScatterColors.gradient($0, title: title, fromZero: true, order: order, theme: theme) }
        return colors ?? .waiting(count: n, title: title, message: "too many sets to keep a column each", order: order, theme: theme)
    }
}
