import GlassBoxCore
import GlassBoxTUI

/// The explorer's behaviour: the next state for a command, and the work it asks for as
/// `Effect` values — a column to fill, a selection to aggregate — which the main loop runs
/// (`EffectRunner`). Nothing here touches the data, the terminal or a thread, so every key is
/// tested as (state, command) → (state, effects).
public func reduce(_ state: ExplorerState, _ command: Command, _ context: ExplorerContext) -> (state: ExplorerState, effects: [Effect]) {
    if let analysed = reduceAnalysis(state, command, context) { return analysed }
    var s = state
    var effects: [Effect] = []
    // Messages live until the next command.
    s.message = nil
    let n = context.sampleCount

    func focus(_ row: Int) {
        guard row != s.sample else { return }
        s.sample = row
        s.barOffset = 0
    }

    func say(_ text: String, error: Bool = false) {
        s.message = StatusMessage(text, isError: error)
    }

    func spatial(_ direction: SpatialIndex.Direction) {
        guard let index = context.spatial else { return say("the spatial index is being rebuilt") }
        if let row = index.neighbor(of: s.sample, direction) {
            focus(row)
        } else {
            say("no sample further \(direction)")
        }
    }

    func page(_ delta: Int) {
        let last = max(0, context.barCount(s) - context.pageSize)
        s.barOffset = min(last, max(0, s.barOffset + delta))
    }

    switch command {
    case .nextSample:
        if s.sample + 1 < n { focus(s.sample + 1) } else { say("last sample (\(n) of \(n))") }
    case .previousSample:
        if s.sample > 0 { focus(s.sample - 1) } else { say("first sample") }
    case .nextInGroup, .previousInGroup:
        guard let groups = context.groups else { return (withMessage(s, "no group labels: pass --label-column"), []) }
        let forward = command == .nextInGroup
        if let (row, wrapped) = groups.neighbor(of: s.sample, forward: forward) {
            focus(row)
            if wrapped { say("wrapped to the \(forward ? "first" : "last") \(groups.labels.label(of: row))") }
        } else {
            say("the only sample labelled \(groups.labels.label(of: s.sample))")
        }

    case .up:
        if s.focus == .embedding { spatial(.up) } else { return reduce(state, .previousSample, context) }
    case .down:
        if s.focus == .embedding { spatial(.down) } else { return reduce(state, .nextSample, context) }
    case .left:
        if s.focus == .embedding { spatial(.left) } else { page(-context.pageSize) }
    case .right:
        if s.focus == .embedding { spatial(.right) } else { page(context.pageSize) }

    case .startGoto:
        s.input = .goto(TextInput())
    case .startSearch:
        s.input = .search(TextInput())

    case .cycleColorMode:
        var mode = s.colorMode
        repeat {
            mode = ColorMode(rawValue: (mode.rawValue + 1) % ColorMode.allCases.count)!
        } while mode == .group && context.groups == nil
        s.colorMode = mode
        if mode.usesFeature && s.colorFeature == nil { s.colorFeature = context.defaultFeature }
        effects += colorColumn(s)
    case .cycleXAxis, .cycleYAxis:
        let m = context.outputCount
        guard m >= 3 else { return (withMessage(s, "x and y choose the axes when the embedding has 3 or more dimensions"), []) }
        if command == .cycleXAxis {
            var x = (s.axes.x + 1) % m
            if x == s.axes.y { x = (x + 1) % m }
            s.axes.x = x
        } else {
            var y = (s.axes.y + 1) % m
            if y == s.axes.x { y = (y + 1) % m }
            s.axes.y = y
        }
    case .zoomIn:
        s.zoom = min(1024, s.zoom * 2)
    case .zoomOut:
        s.zoom = max(1, s.zoom / 2)
    case .resetZoom:
        s.zoom = 1

    case .cycleView:
        s.view = s.view.next(outputCount: context.outputCount)
        s.barOffset = 0
    case .toggleSpace:
        guard context.componentCount != nil else { return (withMessage(s, "this model has no PCA step: its features are the encoder's inputs"), []) }
        s.space = s.space == .features ? .components : .features
        s.barOffset = 0
    case .pageDown:
        page(context.pageSize)
    case .pageUp:
        page(-context.pageSize)
    case .firstPage:
        s.barOffset = 0
    case .lastPage:
        page(Int.max / 2)

    case .focusNext, .focusPrevious:
        let all = Panel.allCases
        let i = all.firstIndex(of: s.focus)!
        s.focus = all[(i + (command == .focusNext ? 1 : all.count - 1)) % all.count]
    case .toggleHelp:
        s.help = s.help == nil ? 0 : nil
    case .scrollHelp(let delta):
        guard let offset = s.help else { break }
        let last = max(0, context.layout.helpContentRows - context.layout.helpRows)
        s.help = min(last, max(0, offset + delta))
    case .back:
        if !s.input.isNormal {
            s.input = .normal
        } else if s.help != nil {
            s.help = nil
        } else if s.highlightedFeature != nil {
            s.highlightedFeature = nil
        } else {
            say("press q to quit")
        }
    case .startGroupSelection, .startBoxSelection, .toggleVersusRest, .toggleMark, .toggleReport, .toggleGroupsOverview, .resizeBox:
        break  // reduceAnalysis
    case .quit:
        s.shouldQuit = true

    case .insert(let c):
        switch s.input {
        case .search(var t): t.text.append(c); t.selection = 0; s.input = .search(t)
        case .goto(var t): t.text.append(c); s.input = .goto(t)
        case .normal: break
        }
    case .deleteBackward:
        switch s.input {
        case .search(var t): if !t.text.isEmpty { t.text.removeLast() }; t.selection = 0; s.input = .search(t)
        case .goto(var t): if !t.text.isEmpty { t.text.removeLast() }; s.input = .goto(t)
        case .normal: break
        }
    case .clearInput:
        switch s.input {
        case .search: s.input = .search(TextInput())
        case .goto: s.input = .goto(TextInput())
        case .normal: break
        }
    case .moveSelection(let delta):
        guard case .search(var t) = s.input else { break }
        let count = context.search.matches(t.text).count
        guard count > 0 else { break }
        t.selection = min(count - 1, max(0, t.selection + delta))
        s.input = .search(t)
    case .submit:
        switch s.input {
        case .goto(let t):
            guard !t.text.isEmpty else { s.input = .normal; break }
            if let row = GotoTarget.resolve(t.text, ids: context.ids) {
                s.input = .normal
                focus(row)
            } else {
                say("no sample with id or row number '\(t.text)'", error: true)
            }
        case .search(let t):
            let matches = context.search.matches(t.text)
            guard !matches.isEmpty else {
                say(t.text.isEmpty ? "type part of a feature name" : "no feature name contains '\(t.text)'", error: true)
                break
            }
            let f = matches[min(t.selection, matches.count - 1)]
            s.input = .normal
            s.colorFeature = f
            s.highlightedFeature = f
            s.space = .features
            if !s.colorMode.usesFeature { s.colorMode = .contribution }
            effects += colorColumn(s)
            say("\(context.featureNames[f]): coloring by its \(s.colorMode == .value ? "value" : "contribution")")
        case .normal:
            break
        }

    case .click(let x, let y):
        let g = context.layout
        if s.help != nil {
            s.help = nil
        } else if g.canvas.contains(x: x, y: y), let v = g.viewport, let index = context.spatial {
            s.focus = .embedding
            // The centre of the clicked cell, in data coordinates.
            let fx = (Double(x - g.canvas.x) + 0.5) / Double(g.canvas.width)
            let fy = (Double(y - g.canvas.y) + 0.5) / Double(g.canvas.height)
            let dx = v.xMin + fx * (v.xMax - v.xMin), dy = v.yMax - fy * (v.yMax - v.yMin)
            if let row = index.nearest(x: Float(dx), y: Float(dy)) { focus(row) }
        } else if g.samplePanel.contains(x: x, y: y) {
            s.focus = .sample
            if g.bars.contains(x: x, y: y), s.space == .features {
                let row = y - g.bars.y
                if row < g.barFeatures.count { s.highlightedFeature = g.barFeatures[row] }
            }
        } else if g.embeddingPanel.contains(x: x, y: y) {
            s.focus = .embedding
        }
    case .scroll(let x, let y, let delta):
        let g = context.layout
        if s.help != nil {
            return reduce(s, .scrollHelp(delta * 3), context)
        } else if g.samplePanel.contains(x: x, y: y) {
            page(delta * 3)
        } else if g.embeddingPanel.contains(x: x, y: y) {
            s.zoom = delta < 0 ? min(1024, s.zoom * 2) : max(1, s.zoom / 2)
        }
    }
    return (s, effects)
}

/// The column the scatter's color mode reads, to be filled in the background.
private func colorColumn(_ s: ExplorerState) -> [Effect] {
    guard let f = s.colorFeature else { return [] }
    switch s.colorMode {
    case .contribution: return [.requestContributionColumn(f)]
    case .value: return [.requestValueColumn(f)]
    case .group, .topFeature: return []
    }
}

func withMessage(_ state: ExplorerState, _ text: String) -> ExplorerState {
    var s = state
    s.message = StatusMessage(text)
    return s
}
