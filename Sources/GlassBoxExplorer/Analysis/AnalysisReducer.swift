import GlassBoxTUI

/// The analysis views' part of the reducer: selections (group, box, lasso), kept selections,
/// the compare mark, the report and the groups overview, and the keys while one of their
/// popups is open. Returns nil for commands it leaves to `reduce`.
func reduceAnalysis(_ state: ExplorerState, _ command: Command, _ context: ExplorerContext) -> (state: ExplorerState, effects: [Effect])? {
    var s = state
    s.message = nil
    func say(_ text: String, error: Bool = false) { s.message = StatusMessage(text, isError: error) }
    let groupCount = context.groups?.labels.categories.count ?? 0

    /// Makes `selection` the shown one and asks for its sums.
    func select(_ selection: Selection, _ what: String) -> (state: ExplorerState, effects: [Effect]) {
        s.overlay = nil
        s.selection = selection
        s.versus = nil
        s.barOffset = 0
        say("\(what) selected: its top features are computed in the background · d: vs the rest · a: keep it · Esc clears")
        return (s, [.computeSelection(selection)])
    }

    // The name prompt of `a`.
    if case .name(let t) = s.input {
        switch command {
        case .submit:
            guard let selection = s.selection else { s.input = .normal; return (s, []) }
            let name = t.text.trimmingSpaces()
            if let problem = KeptNames.problem(name, kept: s.kept) {
                say(problem, error: true)
                return (s, [])
            }
            s.input = .normal
            s.kept.append(KeptSelection(name: name, selection: selection))
            say("kept '\(name)' (\(s.kept.count) kept · A lists them: compare, recall, write annotations)")
            return (s, [])
        default:
            return nil  // editing keys
        }
    }

    // A lasso drawn with the mouse: dragging adds corners, letting go closes it.
    switch command {
    case .drag(let x, let y):
        guard s.help == nil, let p = context.layout.dataPoint(x: x, y: y) else { return nil }
        if case .lasso(var draft) = s.overlay, draft.cursor == nil {
            if draft.vertices.last != p { draft.vertices.append(p) }
            s.overlay = .lasso(draft)
            return (s, [])
        }
        guard s.overlay == nil, s.input.isNormal, let start = s.pointer else { return nil }
        s.overlay = .lasso(LassoDraft(vertices: [start, p], cursor: nil, axes: s.axes))
        return (s, [])
    case .release:
        guard case .lasso(let draft) = s.overlay, draft.cursor == nil else {
            var unchanged = state  // a click's release: its message stays
            unchanged.pointer = nil
            return (unchanged, [])
        }
        s.pointer = nil
        guard draft.canClose else {
            s.overlay = nil
            say("a lasso needs a longer drag: hold the button and circle the samples")
            return (s, [])
        }
        return select(.lasso(SelectionLasso(vertices: draft.vertices, axes: draft.axes)), "lasso")
    default:
        break
    }

    // Keys while a popup (or the box or lasso being drawn) is open.
    if let overlay = s.overlay, s.input.isNormal, s.help == nil {
        switch (overlay, command) {
        case (_, .back):
            s.overlay = nil
            return (s, [])
        case (.drawBox(let box), .up), (.drawBox(let box), .down), (.drawBox(let box), .left), (.drawBox(let box), .right):
            guard let v = context.layout.viewport else { return (s, []) }
            let (dx, dy) = arrow(command)
            s.overlay = .drawBox(box.moved(dx: dx, dy: dy, in: v))
            return (s, [])
        case (.drawBox(let box), .resizeBox(let dx, let dy)):
            guard let v = context.layout.viewport else { return (s, []) }
            s.overlay = .drawBox(box.resized(dx: dx, dy: dy, in: v))
            return (s, [])
        case (.drawBox(let box), .submit):
            return select(.box(box), "box")
        case (.lasso(let draft), .up), (.lasso(let draft), .down), (.lasso(let draft), .left), (.lasso(let draft), .right):
            guard let v = context.layout.viewport else { return (s, []) }
            let (dx, dy) = arrow(command)
            s.overlay = .lasso(draft.movingCursor(dx: dx, dy: dy, in: v))
            return (s, [])
        case (.lasso(var draft), .placeVertex):
            guard let c = draft.cursor else { return (s, []) }
            if draft.vertices.last != c { draft.vertices.append(c) }
            s.overlay = .lasso(draft)
            say("\(draft.vertices.count) corner\(draft.vertices.count == 1 ? "" : "s")\(draft.canClose ? " · Enter closes the lasso" : "")")
            return (s, [])
        case (.lasso(var draft), .deleteBackward):
            if !draft.vertices.isEmpty { draft.vertices.removeLast() }
            s.overlay = .lasso(draft)
            return (s, [])
        case (.lasso(let draft), .submit):
            guard draft.canClose else {
                say("place at least 3 corners (Space) before closing the lasso", error: true)
                return (s, [])
            }
            return select(.lasso(SelectionLasso(vertices: draft.vertices, axes: draft.axes)), "lasso")
        case (.groupPicker(var list), .moveSelection(let delta)):
            list.move(by: delta, count: groupCount)
            s.overlay = .groupPicker(list)
            return (s, [])
        case (.groups(var list), .moveSelection(let delta)):
            list.move(by: delta, count: groupCount)
            s.overlay = .groups(list)
            return (s, [])
        case (.report(var list), .moveSelection(let delta)):
            list.move(by: delta, count: context.listedRows.count)
            s.overlay = .report(list)
            return (s, [])
        case (.members(let set, var list), .moveSelection(let delta)):
            list.move(by: delta, count: context.featureSets?.sets[set].members.count ?? 0)
            s.overlay = .members(set: set, list)
            return (s, [])
        case (.members, .showMembers), (.members, .submit):
            s.overlay = nil
            return (s, [])
        case (.kept(var list), .moveSelection(let delta)):
            list.move(by: delta, count: s.kept.count)
            s.overlay = .kept(list)
            return (s, [])
        case (.groupPicker(let list), .submit), (.groups(let list), .submit):
            guard let g = list.selected, g < groupCount else { return (s, []) }
            return select(.group(g), "group")
        case (.report(let list), .submit):
            guard let i = list.selected, i < context.listedRows.count else { return (s, []) }
            s.overlay = nil
            s.sample = context.listedRows[i]
            s.barOffset = 0
            say("row \(s.sample): listed #\(i + 1) in the verification report (non-finite samples first, then the worst errors)")
            return (s, [])
        case (.kept(let list), .submit):
            guard let i = list.selected, i < s.kept.count else { return (s, []) }
            let name = s.kept[i].name
            var (next, effects) = select(s.kept[i].selection, "'\(name)'")
            next.message = StatusMessage("recalled '\(name)' · d: vs the rest · A, then d on another: '\(name)' vs it")
            return (next, effects)
        case (.kept(let list), .compareKept):
            guard let i = list.selected, i < s.kept.count else { return (s, []) }
            guard let shown = s.selection else {
                say("recall a selection first (Enter), then d on another compares them", error: true)
                return (s, [])
            }
            guard shown != s.kept[i].selection else {
                say("that is the selection shown: d on another kept selection compares them", error: true)
                return (s, [])
            }
            s.overlay = nil
            s.versus = .kept(i)
            s.barOffset = 0
            say("selection vs '\(s.kept[i].name)': the difference of their mean contributions")
            return (s, [.computeSelection(shown), .computeSelection(s.kept[i].selection)])
        case (.kept(var list), .forgetKept):
            guard let i = list.selected, i < s.kept.count else { return (s, []) }
            let name = s.kept.remove(at: i).name
            if case .kept(let j) = s.versus { s.versus = j == i ? nil : j > i ? .kept(j - 1) : .kept(j) }
            list.move(by: 0, count: s.kept.count)
            s.overlay = .kept(list)
            say("forgot '\(name)'")
            return (s, [])
        case (.kept, .write):
            guard !s.kept.isEmpty else { return (withMessage(s, "nothing kept yet: a on a selection keeps it"), []) }
            return (s, [.save(.annotations(s.kept))])
        case (.report, .write):
            return (s, [.save(.verification)])
        case (.groups, .write):
            return (s, [.save(.groups(space: s.space == .sets ? .sets : .features))])
        case (.report, .toggleReport), (.groups, .toggleGroupsOverview), (.kept, .showKept):
            s.overlay = nil
            return (s, [])
        case (_, .quit), (_, .toggleHelp), (_, .click), (_, .scroll), (_, .drag), (_, .release), (_, .notify):
            return nil
        default:
            return (s, [])  // everything else waits until the popup closes
        }
    }

    switch command {
    case .startGroupSelection:
        guard groupCount > 0 else { return (withMessage(s, "no group labels: pass --label-column, or draw a box (b) or a lasso (f)"), []) }
        var list = ListState(selected: 0)
        if case .group(let g) = s.selection { list.selected = g }
        s.overlay = .groupPicker(list)
    case .startBoxSelection:
        guard let v = context.layout.viewport else { return (withMessage(s, "the embedding isn't shown"), []) }
        if case .box(let b) = s.selection, b.axes == s.axes {
            s.overlay = .drawBox(b)
        } else {
            s.overlay = .drawBox(.centered(in: v, axes: s.axes))
        }
    case .startLasso:
        guard let v = context.layout.viewport else { return (withMessage(s, "the embedding isn't shown"), []) }
        let centre = DataPoint(x: (v.xMin + v.xMax) / 2, y: (v.yMin + v.yMax) / 2)
        s.overlay = .lasso(LassoDraft(cursor: centre, axes: s.axes))
        say("lasso: the arrows move the cursor, Space places a corner, Enter closes it (or drag with the mouse)")
    case .toggleVersusRest:
        guard s.selection != nil else { return (withMessage(s, "select a group (s), a box (b) or a lasso (f) first"), []) }
        s.versus = s.versus == .rest ? nil : .rest
        s.barOffset = 0
    case .toggleMark:
        if s.mark != nil {
            s.mark = nil
            say("mark cleared")
        } else {
            s.mark = s.sample
            say("marked row \(s.sample) as A: move to any sample B to see why it is there and not at A")
        }
        s.barOffset = 0
    case .toggleReport:
        s.overlay = .report(ListState(selected: 0))
    case .toggleGroupsOverview:
        guard groupCount > 0 else { return (withMessage(s, "no group labels: pass --label-column"), []) }
        var list = ListState(selected: 0)
        if case .group(let g) = s.selection { list.selected = g }
        s.overlay = .groups(list)
    case .keepSelection:
        guard let selection = s.selection else {
            return (withMessage(s, "nothing to keep: select a group (s), a box (b) or a lasso (f) first"), [])
        }
        if let k = s.kept.first(where: { $0.selection == selection }) {
            return (withMessage(s, "already kept as '\(k.name)' (A lists the kept selections)"), [])
        }
        s.input = .name(TextInput(KeptNames.suggestion(for: selection, kept: s.kept, labels: context.groups?.labels.categories ?? [])))
    case .showKept:
        guard !s.kept.isEmpty else {
            return (withMessage(s, "nothing kept yet: select samples (s, b, f), then a keeps them under a name"), [])
        }
        var list = ListState(selected: 0)
        if let shown = s.selection, let i = s.kept.firstIndex(where: { $0.selection == shown }) { list.selected = i }
        s.overlay = .kept(list)
    case .back:
        guard s.input.isNormal, s.help == nil else { return nil }
        if s.mark != nil {
            s.mark = nil
            s.barOffset = 0
            say("mark cleared")
        } else if s.selection != nil {
            s.selection = nil
            s.versus = nil
            s.barOffset = 0
            say("selection cleared")
            return (s, [.cancelSelection])
        } else {
            return nil
        }
    case .resizeBox, .placeVertex, .compareKept, .forgetKept:
        return (s, [])
    default:
        return nil
    }
    return (s, [])
}

/// (dx, dy) of an arrow command; dy > 0 is up (the data's y).
private func arrow(_ command: Command) -> (Int, Int) {
    switch command {
    case .left: return (-1, 0)
    case .right: return (1, 0)
    case .up: return (0, 1)
    default: return (0, -1)
    }
}

/// Names of kept selections: a default to start from, and what a name may not be.
enum KeptNames {
    /// Written between the names of the selections a sample is in (annotations.csv).
    static let separator: Character = ";"

    /// The group's label, or "box 2", "lasso 1": the next number of its kind, unused.
    static func suggestion(for selection: Selection, kept: [KeptSelection], labels: [String]) -> String {
        let base: String
        switch selection {
        case .group(let g): base = g < labels.count ? labels[g].replacingOccurrences(of: String(separator), with: ",") : "group"
        case .box: base = "box"
        case .lasso: base = "lasso"
        }
        let names = Set(kept.map(\.name))
        if case .group = selection, !names.contains(base) { return base }
        var n = 1
        while names.contains("\(base) \(n)") { n += 1 }
        return "\(base) \(n)"
    }

    /// Why `name` can't be used, or nil.
    static func problem(_ name: String, kept: [KeptSelection]) -> String? {
        if name.isEmpty { return "type a name for the selection" }
        if name.contains(separator) {
            return "a name can't hold '\(separator)': annotations.csv joins the names of overlapping selections with it"
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 }) { return "a name can't hold control characters" }
        if kept.contains(where: { $0.name == name }) { return "'\(name)' is kept already: choose another name" }
        return nil
    }
}
