import GlassBoxCore
import GlassBoxTUI

/// The analysis views in the frame: the scatter's selection, box and mark A; the compare and
/// selection panels in the sample panel's place; the popups.
extension ExplorerRenderer {
    func decorate(_ embedding: inout EmbeddingPanel, _ state: ExplorerState) {
        let m = session.outputCount
        if let a = state.mark {
            embedding.markA = (Double(session.embedding[a * m + state.axes.x]), Double(session.embedding[a * m + state.axes.y]))
        }
        if case .drawBox(let b) = state.overlay {
            embedding.box = b.viewport
            embedding.boxEditing = true
        }
        guard let selection = state.selection else { return }
        let rows = analysis.members(selection)
        if case .box(let b) = selection {
            // Drawn on the axes it was drawn on; on other axes only its samples show.
            if b.axes == state.axes, embedding.box == nil { embedding.box = b.viewport }
        }
        embedding.selected = rows
        embedding.footer = "\(Format.count(rows.count)) selected \(theme.bullet) " + (embedding.footer ?? "")
    }

    /// Compare when a sample is marked, else the selection; with the features on its page
    /// and its bar rows.
    func analysisPanel(_ state: ExplorerState, area: Rect) -> (SidePanel, [Int], Rect) {
        let names = session.featureNames
        if let a = state.mark {
            let bars = RankedBarsPanel.layout(headerCount: ComparePanel.headerCount, in: area).bars
            let contrast = Contrast(from: analysis.explanation(ofMark: a), to: explanations.explanation(for: state.sample))
            let ids = session.dataset.ids
            let (panel, shown) = ComparePanel.build(contrast: contrast, idA: ids[a], idB: ids[state.sample], view: state.view, names: names,
                                                    axisNames: axisNames, offset: state.barOffset, pageSize: bars.height,
                                                    isFocused: state.focus == .sample, theme: theme)
            return (.ranked(panel), shown, bars)
        }
        let selection = state.selection!
        let bars = RankedBarsPanel.layout(headerCount: SelectionPanel.headerCount(versusRest: state.versusRest), in: area).bars
        let data = analysis.selectionData(selection)
        let (panel, shown) = SelectionPanel.build(coverage: data.coverage, scores: data.scores, contrast: data.contrast,
                                                  versusRest: state.versusRest, view: state.view, names: names, axisNames: axisNames,
                                                  offset: state.barOffset, pageSize: bars.height, isFocused: state.focus == .sample, theme: theme)
        return (.ranked(panel), shown, bars)
    }

    func renderOverlay(_ overlay: AnalysisOverlay, into frame: inout Frame) {
        switch overlay {
        case .drawBox:
            break  // drawn on the scatter
        case .groupPicker(let list):
            guard let groups = session.groups else { return }
            let cats = groups.labels.categories
            frame.render(GroupPicker(labels: cats, sizes: cats.indices.map { groups.count(of: $0) }, list: list, theme: theme), in: frame.area)
        case .groups(let list):
            frame.render(GroupsOverview(rows: analysis.groupRows(), list: list, theme: theme), in: frame.area)
        case .report(let list):
            frame.render(ReportOverlay(report: analysis.report(), ids: session.dataset.ids, list: list, theme: theme), in: frame.area)
        }
    }
}
