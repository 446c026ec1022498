import GlassBoxCore
import GlassBoxTUI

/// The analysis views in the frame: the scatter's selection, box, lasso and mark A; the
/// compare and selection panels (and their waterfalls) in the sample panel's place; the popups.
extension ExplorerRenderer {
    func decorate(_ embedding: inout EmbeddingPanel, _ state: ExplorerState) {
        let m = session.outputCount
        if let a = state.mark {
            embedding.markA = (Double(session.embedding[a * m + state.axes.x]), Double(session.embedding[a * m + state.axes.y]))
        }
        switch state.overlay {
        case .drawBox(let b):
            embedding.box = b.viewport
            embedding.editing = true
            embedding.footer = KeyMode.box.footerText(theme)
        case .lasso(let draft):
            embedding.lasso = draft.vertices
            embedding.cursor = draft.cursor
            embedding.editing = true
            embedding.lassoClosed = draft.cursor == nil
            embedding.footer = draft.cursor == nil ? "let go to close the lasso" : KeyMode.lasso.footerText(theme)
        default:
            break
        }
        guard let selection = state.selection else { return }
        let rows = analysis.members(selection)
        // Drawn on the axes it was drawn on; on other axes only its samples show.
        if selection.axes == state.axes, !embedding.editing {
            switch selection {
            case .box(let b): embedding.box = b.viewport
            case .lasso(let l): embedding.lasso = l.vertices; embedding.lassoClosed = true
            case .group: break
            }
        }
        embedding.selected = rows
        if !embedding.editing { embedding.footer = "\(Format.count(rows.count)) selected \(theme.bullet) " + (embedding.footer ?? "") }
    }

    /// Compare when a sample is marked, else the selection; with the columns on its page
    /// and its bar rows.
    func analysisPanel(_ state: ExplorerState, area: Rect) -> (SidePanel, [Int], Rect) {
        let space: FeatureSpace = session.componentCount == nil ? .features : state.space
        let names = session.columnNames(space)
        let ids = session.dataset.ids
        let focused = state.focus == .sample
        if let a = state.mark {
            let contrast = SpaceContrast(from: analysis.explanation(ofMark: a), to: explanations.explanation(for: state.sample), space: space)
            if let j = state.view.waterfallDimension {
                let inner = Block().inner(area)
                let header = ComparePanel.header(contrast, idA: ids[a], idB: ids[state.sample], width: inner.width, theme: theme)
                let built = WaterfallPanel.build(title: "Compare", header: header, heading: waterfallHeading(j, space: space, prefix: theme.delta),
                                                 values: contrast.table.scores(.component(j)),
                                                 ranking: contrast.table.ranking(.component(j)), names: names, offset: state.barOffset,
                                                 target: contrast.displacement[j], targetName: "\(theme.delta)\(axisNames[j])",
                                                 noun: space.title, isFocused: focused, theme: theme, area: area)
                return (.waterfall(built.panel), built.shown, built.rows)
            }
            let built = ComparePanel.build(contrast: contrast, idA: ids[a], idB: ids[state.sample], view: state.view, space: space,
                                           names: names, axisNames: axisNames, offset: state.barOffset, isFocused: focused,
                                           theme: theme, area: area)
            return (.ranked(built.panel), built.shown, built.bars)
        }
        // Selections aggregate features (the sums kept per feature).
        let selection = state.selection!
        let data = analysis.selectionData(selection, versus: state.versus, kept: state.kept)
        let featureNames = session.featureNames
        if let j = state.view.waterfallDimension {
            let inner = Block().inner(area)
            let header = SelectionPanel.header(data.coverage, versus: state.versus, width: inner.width, theme: theme)
            let values: [Double]
            if state.versus != nil {
                values = data.contrast?.scores(.dimension(j)) ?? []
            } else {
                values = data.scores?.scores(.dimension(j)) ?? []
            }
            let ranking = values.isEmpty ? [] : TopK.indices(count: values.count, k: values.count) { abs(values[$0]) }
            let target = analysis.meanEmbedding(selection, versus: state.versus, kept: state.kept)?[j] ?? .nan
            let prefix = state.versus == nil ? "mean " : "\(theme.delta) mean "
            let built = WaterfallPanel.build(title: "Selection", header: header, heading: waterfallHeading(j, space: .features, prefix: prefix),
                                             values: values, ranking: ranking, names: featureNames, offset: state.barOffset,
                                             target: target, targetName: "\(prefix)\(axisNames[j])", noun: "features",
                                             isFocused: focused, theme: theme, area: area)
            return (.waterfall(built.panel), built.shown, built.rows)
        }
        let built = SelectionPanel.build(coverage: data.coverage, scores: data.scores, contrast: data.contrast, versus: state.versus,
                                         view: state.view, names: featureNames, axisNames: axisNames, offset: state.barOffset,
                                         isFocused: focused, theme: theme, area: area)
        return (.ranked(built.panel), built.shown, built.bars)
    }

    func renderOverlay(_ overlay: AnalysisOverlay, state: ExplorerState, into frame: inout Frame) {
        switch overlay {
        case .drawBox, .lasso:
            break  // drawn on the scatter
        case .groupPicker(let list):
            guard let groups = session.groups else { return }
            let cats = groups.labels.categories
            frame.render(GroupPicker(labels: cats, sizes: cats.indices.map { groups.count(of: $0) }, list: list, theme: theme), in: frame.area)
        case .groups(let list):
            frame.render(GroupsOverview(rows: analysis.groupRows(), list: list, theme: theme), in: frame.area)
        case .report(let list):
            frame.render(ReportOverlay(report: analysis.report(), ids: session.dataset.ids, list: list, theme: theme), in: frame.area)
        case .kept(let list):
            let rows = state.kept.map { k in
                KeptList.Row(name: k.name, what: analysis.name(of: k.selection), size: analysis.members(k.selection).count,
                             isShown: k.selection == state.selection)
            }
            frame.render(KeptList(rows: rows, list: list, theme: theme), in: frame.area)
        }
    }
}
