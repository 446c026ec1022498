import GlassBoxTUI

/// The one table that both dispatches keys and writes the help overlay.
public enum ExplorerKeyMap {
    public static let standard = KeyMap<Command>([
        KeyBinding([.char("j")], .nextSample, help: "next sample (file order)", section: "Samples"),
        KeyBinding([.char("k")], .previousSample, help: "previous sample", section: "Samples"),
        KeyBinding([.char("h"), .left], .left, help: "Embedding: nearest sample to the left · Sample: previous page", section: "Samples"),
        KeyBinding([.char("l"), .right], .right, help: "Embedding: nearest sample to the right · Sample: next page", section: "Samples"),
        KeyBinding([.up], .up, help: "Embedding: nearest sample above · Sample: previous sample", section: "Samples"),
        KeyBinding([.down], .down, help: "Embedding: nearest sample below · Sample: next sample", section: "Samples"),
        KeyBinding([.char("n")], .nextInGroup, help: "next sample of the same group", section: "Samples"),
        KeyBinding([.char("N")], .previousInGroup, help: "previous sample of the same group", section: "Samples"),
        KeyBinding([.char("g")], .startGoto, help: "go to a row number or sample id", section: "Samples"),

        KeyBinding([.char("c")], .cycleColorMode, help: "color by: group, contribution, top feature, value", section: "Embedding"),
        KeyBinding([.char("/")], .startSearch, help: "find a feature by name; Enter colors by it and highlights it", section: "Embedding"),
        KeyBinding([.char("x")], .cycleXAxis, help: "next dimension on the x axis (3+ dimensions)", section: "Embedding"),
        KeyBinding([.char("y")], .cycleYAxis, help: "next dimension on the y axis (3+ dimensions)", section: "Embedding"),
        KeyBinding([.char("+"), .char("=")], .zoomIn, help: "zoom in around the focused sample", section: "Embedding"),
        KeyBinding([.char("-")], .zoomOut, help: "zoom out", section: "Embedding"),
        KeyBinding([.char("0")], .resetZoom, help: "show the whole embedding", section: "Embedding"),

        KeyBinding([.char("v")], .cycleView, help: "view: L2, share of total, each dimension signed", section: "Contributions"),
        KeyBinding([.char("p")], .toggleSpace, help: "features (genes) or PCA components (PCA models)", section: "Contributions"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, help: "next page of features", section: "Contributions"),
        KeyBinding([.pageUp], .pageUp, help: "previous page of features", section: "Contributions"),
        KeyBinding([.home], .firstPage, help: "first page", section: "Contributions"),
        KeyBinding([.end], .lastPage, help: "last page", section: "Contributions"),

        KeyBinding([.char("s")], .startGroupSelection, help: "select a group: its aggregated top features", section: "Analysis"),
        KeyBinding([.char("b")], .startBoxSelection, help: "select a box: arrows move, h j k l resize, Enter accepts", section: "Analysis"),
        KeyBinding([.char("d")], .toggleVersusRest, help: "selection: top features / vs the rest", section: "Analysis"),
        KeyBinding([.char("m")], .toggleMark, help: "mark as A; then any sample B shows C_B − C_A (m again clears)", section: "Analysis"),
        KeyBinding([.char("r")], .toggleReport, help: "verification report (Enter on a worst sample goes to it)", section: "Analysis"),
        KeyBinding([.char("o")], .toggleGroupsOverview, help: "groups overview: size and top features per label", section: "Analysis"),

        KeyBinding([.tab], .focusNext, help: "focus the next panel", section: "General"),
        KeyBinding([.backTab], .focusPrevious, help: "focus the previous panel", section: "General"),
        KeyBinding([.char("?")], .toggleHelp, help: "this help", section: "General"),
        KeyBinding([.escape], .back, help: "back out: close input, help, popup, mark, selection, highlight", section: "General"),
        KeyBinding([.char("q"), .ctrl("c")], .quit, help: "quit", section: "General"),
    ])
}

/// Turns input events into commands, given the mode: text fields take printable keys, the help
/// overlay scrolls or closes, otherwise the key map decides. Ctrl-C always quits.
public enum InputRouter {
    public static func command(for event: InputEvent, state: ExplorerState,
                               keymap: KeyMap<Command> = ExplorerKeyMap.standard) -> Command? {
        switch event {
        case .tick, .resize:
            return nil
        case .mouse(let m):
            switch m.button {
            case .left where m.kind != .release: return .click(x: m.x, y: m.y)
            case .scrollUp: return .scroll(x: m.x, y: m.y, delta: -1)
            case .scrollDown: return .scroll(x: m.x, y: m.y, delta: 1)
            default: return nil
            }
        case .key(let key):
            if key == .ctrl("c") { return .quit }
            switch state.input {
            case .search: return textCommand(key, list: true)
            case .goto: return textCommand(key, list: false)
            case .normal: break
            }
            if state.help == nil, let overlay = state.overlay {
                return overlayCommand(key, overlay)
            }
            if state.help != nil {
                switch key {
                case .down, .char("j"): return .scrollHelp(1)
                case .up, .char("k"): return .scrollHelp(-1)
                case .pageDown, .char(" "): return .scrollHelp(10)
                case .pageUp: return .scrollHelp(-10)
                default: return .back  // any other key closes the help
                }
            }
            return keymap.command(for: key)
        }
    }

    /// Keys while an analysis popup is open or a box is being drawn.
    private static func overlayCommand(_ key: Key, _ overlay: AnalysisOverlay) -> Command? {
        if key == .escape { return .back }
        if key == .char("q") { return .quit }
        if key == .char("?") { return .toggleHelp }
        if case .drawBox = overlay {
            switch key {
            case .up: return .up
            case .down: return .down
            case .left: return .left
            case .right: return .right
            case .char("h"): return .resizeBox(dx: -1, dy: 0)
            case .char("l"): return .resizeBox(dx: 1, dy: 0)
            case .char("j"): return .resizeBox(dx: 0, dy: -1)
            case .char("k"): return .resizeBox(dx: 0, dy: 1)
            case .enter: return .submit
            default: return nil
            }
        }
        switch key {
        case .down, .char("j"), .tab: return .moveSelection(1)
        case .up, .char("k"), .backTab: return .moveSelection(-1)
        case .pageDown, .char(" "): return .moveSelection(10)
        case .pageUp: return .moveSelection(-10)
        case .enter: return .submit
        case .char("r"): if case .report = overlay { return .toggleReport }; return nil
        case .char("o"): if case .groups = overlay { return .toggleGroupsOverview }; return nil
        default: return nil
        }
    }

    private static func textCommand(_ key: Key, list: Bool) -> Command? {
        switch key {
        case .char(let c): return .insert(c)
        case .backspace, .delete: return .deleteBackward
        case .ctrl("u"): return .clearInput
        case .enter: return .submit
        case .escape: return .back
        case .down, .tab, .ctrl("n"): return list ? .moveSelection(1) : nil
        case .up, .backTab, .ctrl("p"): return list ? .moveSelection(-1) : nil
        case .pageDown: return list ? .moveSelection(10) : nil
        case .pageUp: return list ? .moveSelection(-10) : nil
        default: return nil
        }
    }
}
