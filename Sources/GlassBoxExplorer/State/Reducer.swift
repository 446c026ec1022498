import GlassBoxCore
import GlassBoxTUI

/// The explorer's behaviour: the next state for a command, and the work it asks for as
/// `Effect` values — a column to fill, a selection to aggregate, a file to write — which the
/// main loop runs (`EffectRunner`). Nothing here touches the data, the terminal, a file or a
/// thread, so every key is tested as (state, command) → (state, effects).
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

    func edit(_ change: (inout TextInput) -> Void) {
        switch s.input {
        case .search(var t): change(&t); t.selection = 0; s.input = .search(t)
        case .goto(var t): change(&t); t.selection = 0; s.input = .goto(t)
        case .name(var t): change(&t); s.input = .name(t)
        case .normal: break
        }
    }

    switch command {
    case .nextSample:
        if s.sample + 1 < n { focus(s.sample + 1) } else { say("last sample (row \(n - 1))") }
    case .previousSample:
        if s.sample > 0 { focus(s.sample - 1) } else { say("first sample (row 0)") }
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
        } while (mode == .group && context.groups == nil) || (mode == .coordinate && context.outputCount < 3)
        s.colorMode = mode
        s.spotlight = nil
        if mode.usesFeature && s.colorFeature == nil { s.colorFeature = context.defaultFeature }
        effects += colorColumn(s)
    case .nextSpotlight, .previousSpotlight:
        guard s.colorMode.isCategorical, context.categoryCount > 0 else {
            return (withMessage(s, "[ and ] highlight one group or top feature at a time: color by group or top feature (c)"), [])
        }
        let count = context.categoryCount, forward = command == .nextSpotlight
        // Unforced, the cycle passes through "none highlighted".
        let positions = context.spotlightForced ? count : count + 1
        let current = s.spotlight ?? (context.spotlightForced ? 0 : count)
        let next = (current + (forward ? 1 : positions - 1)) % positions
        s.spotlight = next == count ? nil : next
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
    case .cycleWaterfall:
        if let j = s.view.waterfallDimension {
            s.view = j + 1 < context.outputCount ? .waterfall(j + 1) : .l2
        } else {
            s.view = .waterfall(0)
        }
        s.barOffset = 0
    case .toggleSpace:
        let spaces = context.spaces
        guard spaces.count > 1 else {
            return (withMessage(s, "features only: this model has no PCA step, and no --feature-sets were given"), [])
        }
        let i = spaces.firstIndex(of: s.space) ?? 0
        s.space = spaces[(i + 1) % spaces.count]
        s.barOffset = 0
        if s.space == .sets, s.highlightedSet == nil { say("sets: Enter lists a set's members, / finds a set") }
    case .showMembers:
        guard s.space == .sets else {
            return (
                withMessage(
                    s,
                    context.setCount == nil
                        ? "Enter lists a set's members: open with --feature-sets FILE"
                        : "Enter lists a set's members: show the sets (p)"), []
            )
        }
        guard let set = s.highlightedSet ?? context.layout.barFeatures.first else { return (s, []) }
        s.overlay = .members(set: set, ListState(selected: 0))
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
        } else if s.space == .sets, s.highlightedSet != nil {
            s.highlightedSet = nil
        } else if s.highlightedFeature != nil {
            s.highlightedFeature = nil
        } else if s.spotlight != nil, !context.spotlightForced {
            s.spotlight = nil
        } else {
            say("press q to quit")
        }
    case .write:
        let request: SaveRequest
        if let a = s.mark {
            request = .comparison(a: a, b: s.sample, space: s.space, view: s.view)
        } else if let selection = s.selection {
            request = .selection(selection, versus: s.versus, kept: s.kept, view: s.view, space: s.space == .sets ? .sets : .features)
        } else {
            request = .sample(row: s.sample, space: s.space)
        }
        effects.append(.save(request))
    case .copyId:
        effects.append(.copy(.id(row: s.sample)))
    case .copySelectionIds:
        guard let selection = s.selection else {
            return (withMessage(s, "no selection to copy: select a group (s), a box (b) or a lasso (f); y copies the focused id"), [])
        }
        effects.append(.copy(.ids(selection)))
    case .notify(let m):
        s.message = m
    case .startGroupSelection, .startBoxSelection, .startLasso, .toggleVersusRest, .toggleMark, .toggleReport,
        .toggleGroupsOverview, .resizeBox, .placeVertex, .keepSelection, .showKept, .compareKept, .forgetKept:
        break  // reduceAnalysis
    case .quit:
        s.shouldQuit = true

    case .insert(let c):
        edit { $0.text.append(c) }
    case .deleteBackward:
        edit { if !$0.text.isEmpty { $0.text.removeLast() } }
    case .clearInput:
        edit { $0.text = "" }
    case .moveSelection(let delta):
        switch s.input {
        case .search(var t):
            let count = context.search(in: s.space).matches(t.text).count
            guard count > 0 else { break }
            t.selection = min(count - 1, max(0, t.selection + delta))
            s.input = .search(t)
        case .goto(var t):
            let count = context.samples.matches(t.text).rows.count
            guard count > 0 else { break }
            t.selection = min(count - 1, max(0, t.selection + delta))
            s.input = .goto(t)
        case .name, .normal:
            break
        }
    case .submit:
        switch s.input {
        case .goto(let t):
            guard !t.text.isEmpty else { s.input = .normal; break }
            let found = context.samples.matches(t.text)
            guard !found.rows.isEmpty else {
                say("no sample id holds '\(t.text)' and no row has that number (rows 0–\(n - 1))", error: true)
                break
            }
            let row = found.rows[min(t.selection, found.rows.count - 1)]
            s.input = .normal
            focus(row)
            say("row \(row): \(context.ids[row])")
        case .search(let t):
            let sets = s.space == .sets
            let matches = context.search(in: s.space).matches(t.text)
            let noun = sets ? "set" : "feature"
            guard !matches.isEmpty else {
                say(t.text.isEmpty ? "type part of a \(noun) name" : "no \(noun) name contains '\(t.text)'", error: true)
                break
            }
            let f = matches[min(t.selection, matches.count - 1)]
            s.input = .normal
            if sets {
                s.highlightedSet = f
                s.colorSet = f
                s.colorMode = .contribution
                say("\(context.setNames[f]): coloring by its contribution · Enter lists its members")
                break
            }
            s.colorSet = nil
            s.colorFeature = f
            s.highlightedFeature = f
            s.space = .features
            if !s.colorMode.usesFeature { s.colorMode = .contribution }
            effects += colorColumn(s)
            say("\(context.featureNames[f]): coloring by its \(s.colorMode == .value ? "value" : "contribution")")
        case .name, .normal:
            break
        }

    case .click(let x, let y):
        let g = context.layout
        if s.help != nil {
            s.help = nil
        } else if g.canvas.contains(x: x, y: y), let index = context.spatial, let p = g.dataPoint(x: x, y: y) {
            s.focus = .embedding
            s.pointer = p
            if let row = index.nearest(x: Float(p.x), y: Float(p.y)) { focus(row) }
        } else if g.samplePanel.contains(x: x, y: y) {
            s.focus = .sample
            if g.bars.contains(x: x, y: y), s.space != .components {
                let row = y - g.bars.y
                if row < g.barFeatures.count {
                    if s.space == .sets { s.highlightedSet = g.barFeatures[row] } else { s.highlightedFeature = g.barFeatures[row] }
                }
            }
        } else if g.embeddingPanel.contains(x: x, y: y) {
            s.focus = .embedding
        }
    case .drag, .release:
        s.pointer = nil  // a drag that didn't start on the scatter (reduceAnalysis draws lassos)
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
    case .group, .topFeature, .coordinate: return []
    }
}

func withMessage(_ state: ExplorerState, _ text: String) -> ExplorerState {
    var s = state
    s.message = StatusMessage(text)
    return s
}
