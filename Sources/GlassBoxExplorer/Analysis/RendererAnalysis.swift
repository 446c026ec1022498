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
        let space = session.available(state.space)
        let names = session.columnNames(space)
        let ids = session.dataset.ids
        let focused = state.focus == .sample
        if let a = state.mark {
            let contrast = SpaceContrast(
                from: analysis.explanation(ofMark: a), to: explanations.explanation(for: state.sample), space: space,
                session: session)
            if let j = state.view.waterfallDimension {
                let inner = Block().inner(area)
                let header = ComparePanel.header(contrast, idA: ids[a], idB: ids[state.sample], width: inner.width, theme: theme)
                let built = WaterfallPanel.build(
                    title: "Compare", header: header, heading: waterfallHeading(j, space: space, prefix: theme.delta),
                    values: contrast.table.scores(.component(j)),
                    ranking: contrast.table.ranking(.component(j)), names: names, offset: state.barOffset,
                    target: contrast.displacement[j], targetName: "\(theme.delta)\(axisNames[j])",
                    noun: space.title, overlapping: overlaps(space), isFocused: focused, theme: theme, area: area)
                return (.waterfall(built.panel), built.shown, built.rows)
            }
            let built = ComparePanel.build(
                contrast: contrast, idA: ids[a], idB: ids[state.sample], view: state.view, space: space,
                names: names, axisNames: axisNames, offset: state.barOffset, isFocused: focused,
                theme: theme, area: area)
            return (.ranked(built.panel), built.shown, built.bars)
        }
        // Selections aggregate features or sets (the sums kept per feature and per set).
        let selection = state.selection!
        let summed: FeatureSpace = space == .sets ? .sets : .features
        let data = analysis.selectionData(selection, versus: state.versus, kept: state.kept, space: summed)
        let featureNames = session.columnNames(summed)
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
            let built = WaterfallPanel.build(
                title: "Selection", header: header, heading: waterfallHeading(j, space: summed, prefix: prefix),
                values: values, ranking: ranking, names: featureNames, offset: state.barOffset,
                target: target, targetName: "\(prefix)\(axisNames[j])", noun: summed.title,
                overlapping: overlaps(summed), isFocused: focused, theme: theme, area: area)
            return (.waterfall(built.panel), built.shown, built.rows)
        }
        let built = SelectionPanel.build(
            coverage: data.coverage, scores: data.scores, contrast: data.contrast, versus: state.versus,
            view: state.view, space: summed, names: featureNames, axisNames: axisNames, offset: state.barOffset,
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
            frame.render(
                GroupPicker(labels: cats, sizes: cats.indices.map { groups.count(of: $0) }, list: list, theme: theme), in: frame.area)
        case .groups(let list):
            frame.render(
                GroupsOverview(
                    rows: analysis.groupRows(space: state.space), noun: session.available(state.space) == .sets ? "sets" : "features",
                    list: list, theme: theme), in: frame.area)
        case .members(let set, let list):
            frame.render(membersList(set, state: state, list: list), in: frame.area)
        case .report(let list):
            frame.render(ReportOverlay(report: analysis.report(), ids: session.dataset.ids, list: list, theme: theme), in: frame.area)
        case .kept(let list):
            let rows = state.kept.map { k in
                KeptList.Row(
                    name: k.name, what: analysis.name(of: k.selection), size: analysis.members(k.selection).count,
                    isShown: k.selection == state.selection)
            }
            frame.render(KeptList(rows: rows, list: list, theme: theme), in: frame.area)
        }
    }
}

extension ExplorerRenderer {
    /// Enter in the sets space: set `s`'s members for what the side panel shows — C_B − C_A,
    /// the selection, or the focused sample — in its view.
    func membersList(_ s: Int, state: ExplorerState, list: ListState) -> MembersList {
        let sets = session.featureSets!, view = state.view
        let viewTitle = RankedBarsPanel.valueTitle(view, axisNames: axisNames)
        let values: [Double], setValues: [Double]?, what: String
        if let a = state.mark {
            let ea = analysis.explanation(ofMark: a), eb = explanations.explanation(for: state.sample)
            values = SpaceContrast(from: ea, to: eb, space: .features, session: session).table.scores(view.contributionView)
            setValues = SpaceContrast(from: ea, to: eb, space: .sets, session: session).table.scores(view.contributionView)
            what = "C_B \(theme.minus) C_A, rows \(a) \(theme.arrow) \(state.sample)"
        } else if let selection = state.selection {
            func scores(_ space: FeatureSpace) -> [Double]? {
                let data = analysis.selectionData(selection, versus: state.versus, kept: state.kept, space: space)
                return state.versus == nil ? data.scores?.scores(view) : data.contrast?.scores(view)
            }
            values = scores(.features) ?? []
            setValues = scores(.sets)
            what = (state.versus == nil ? "mean over " : "\(theme.delta) mean, ") + analysis.name(of: selection, kept: state.kept)
        } else {
            values = explanations.table(for: state.sample, space: .features).scores(view.contributionView)
            setValues = explanations.table(for: state.sample, space: .sets).scores(view.contributionView)
            what = "sample \(session.dataset.ids[state.sample])"
        }
        let content = MembersList.content(
            set: sets.sets[s], featureNames: session.featureNames, values: values, view: view,
            viewTitle: viewTitle, setValue: setValues.flatMap { s < $0.count ? $0[s] : nil }, what: what)
        return MembersList(content: content, list: list, theme: theme)
    }
}
