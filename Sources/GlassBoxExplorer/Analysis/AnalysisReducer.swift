import GlassBoxTUI

/// The analysis views' part of the reducer: selections, the compare mark, the report and the
/// groups overview, and the keys while one of their popups is open. Returns nil for commands
/// it leaves to `reduce`.
func reduceAnalysis(_ state: ExplorerState, _ command: Command, _ context: ExplorerContext) -> (state: ExplorerState, effects: [Effect])? {
    var s = state
    s.message = nil
    func say(_ text: String, error: Bool = false) { s.message = StatusMessage(text, isError: error) }
    let groupCount = context.groups?.labels.categories.count ?? 0

    // Keys while a popup (or the box being drawn) is open.
    if let overlay = s.overlay, s.input.isNormal, s.help == nil {
        switch (overlay, command) {
        case (_, .back):
            s.overlay = nil
            return (s, [])
        case (.drawBox(let box), .up), (.drawBox(let box), .down), (.drawBox(let box), .left), (.drawBox(let box), .right):
            guard let v = context.layout.viewport else { return (s, []) }
            let (dx, dy) = command == .left ? (-1, 0) : command == .right ? (1, 0) : command == .up ? (0, 1) : (0, -1)
            s.overlay = .drawBox(box.moved(dx: dx, dy: dy, in: v))
            return (s, [])
        case (.drawBox(let box), .resizeBox(let dx, let dy)):
            guard let v = context.layout.viewport else { return (s, []) }
            s.overlay = .drawBox(box.resized(dx: dx, dy: dy, in: v))
            return (s, [])
        case (.drawBox(let box), .submit):
            s.overlay = nil
            s.selection = .box(box)
            s.versusRest = false
            s.barOffset = 0
            let next = context.layout.viewport == nil ? "" : "· d: vs the rest · Esc clears"
            say("box selected: its top features are computed in the background \(next)")
            return (s, [.computeSelection(.box(box))])
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
        case (.groupPicker(let list), .submit), (.groups(let list), .submit):
            guard let g = list.selected, g < groupCount else { return (s, []) }
            s.overlay = nil
            s.selection = .group(g)
            s.versusRest = false
            s.barOffset = 0
            return (s, [.computeSelection(.group(g))])
        case (.report(let list), .submit):
            guard let i = list.selected, i < context.listedRows.count else { return (s, []) }
            s.overlay = nil
            s.sample = context.listedRows[i]
            s.barOffset = 0
            say("row \(s.sample + 1): reconstruction error #\(i + 1)")
            return (s, [])
        case (.report, .toggleReport), (.groups, .toggleGroupsOverview):
            s.overlay = nil
            return (s, [])
        case (_, .quit), (_, .toggleHelp), (_, .click), (_, .scroll):
            return nil
        default:
            return (s, [])  // everything else waits until the popup closes
        }
    }

    switch command {
    case .startGroupSelection:
        guard groupCount > 0 else { return (withMessage(s, "no group labels: pass --label-column, or draw a box with b"), []) }
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
    case .toggleVersusRest:
        guard s.selection != nil else { return (withMessage(s, "select a group (s) or draw a box (b) first"), []) }
        s.versusRest.toggle()
        s.barOffset = 0
    case .toggleMark:
        if s.mark != nil {
            s.mark = nil
            say("mark cleared")
        } else {
            s.mark = s.sample
            say("marked row \(s.sample + 1) as A: move to any sample B to see why it is there and not at A")
        }
        s.barOffset = 0
    case .toggleReport:
        s.overlay = .report(ListState(selected: 0))
    case .toggleGroupsOverview:
        guard groupCount > 0 else { return (withMessage(s, "no group labels: pass --label-column"), []) }
        var list = ListState(selected: 0)
        if case .group(let g) = s.selection { list.selected = g }
        s.overlay = .groups(list)
    case .back:
        guard s.input.isNormal, s.help == nil else { return nil }
        if s.mark != nil {
            s.mark = nil
            s.barOffset = 0
            say("mark cleared")
        } else if s.selection != nil {
            s.selection = nil
            s.versusRest = false
            s.barOffset = 0
            say("selection cleared")
            return (s, [.cancelSelection])
        } else {
            return nil
        }
    case .resizeBox:
        return (s, [])
    default:
        return nil
    }
    return (s, [])
}
