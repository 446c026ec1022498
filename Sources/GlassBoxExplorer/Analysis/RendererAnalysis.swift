import GlassBoxCore
import GlassBoxTUI

/// The analysis views in the frame: the scatter's selection, box and mark A; the compare and
/// selection panels in the sample panel's place; the popups; their status-line hints.
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

    /// Compare when a sample is marked, else the selection.
    func analysisPanel(_ state: ExplorerState, area: Rect) -> (RankedBarsPanel, [Int], Rect) {
        let names = session.featureNames
        if let a = state.mark {
            let bars = RankedBarsPanel.layout(headerCount: ComparePanel.headerCount, in: area).bars
            let contrast = Contrast(from: analysis.explanation(ofMark: a), to: explanations.explanation(for: state.sample))
            let ids = session.dataset.ids
            let (panel, shown) = ComparePanel.build(contrast: contrast, idA: ids[a], idB: ids[state.sample], view: state.view, names: names,
                                                    axisNames: axisNames, offset: state.barOffset, pageSize: bars.height,
                                                    isFocused: state.focus == .sample, theme: theme)
            return (panel, shown, bars)
        }
        let selection = state.selection!
        let bars = RankedBarsPanel.layout(headerCount: SelectionPanel.headerCount(versusRest: state.versusRest), in: area).bars
        let data = analysis.selectionData(selection)
        let (panel, shown) = SelectionPanel.build(coverage: data.coverage, scores: data.scores, contrast: data.contrast,
                                                  versusRest: state.versusRest, view: state.view, names: names, axisNames: axisNames,
                                                  offset: state.barOffset, pageSize: bars.height, isFocused: state.focus == .sample, theme: theme)
        return (panel, shown, bars)
    }

    func renderOverlay(_ overlay: AnalysisOverlay, into frame: inout Frame, geometry g: inout FrameGeometry) {
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
            let report = analysis.report()
            frame.render(ReportOverlay(report: report, ids: session.dataset.ids, list: list, theme: theme), in: frame.area)
            g.reportRows = report.worst.map(\.row)
        }
    }

    func overlayHints(_ overlay: AnalysisOverlay) -> StatusBar.Left {
        let u = theme.unicode
        switch overlay {
        case .drawBox:
            return .hints(panel: "Box", [(u ? "←↓↑→" : "arrows", "move"), ("h/l", "narrower/wider"), ("j/k", "shorter/taller"),
                                         ("Enter", "select"), ("Esc", "cancel")])
        case .groupPicker:
            return .hints(panel: "Select", [("j/k", "choose"), ("Enter", "select group"), ("Esc", "cancel")])
        case .groups:
            return .hints(panel: "Groups", [("j/k", "choose"), ("Enter", "select group"), ("Esc", "close")])
        case .report:
            return .hints(panel: "Verification", [("j/k", "choose"), ("Enter", "go to sample"), ("Esc", "close")])
        }
    }
}
