import GlassBoxTUI

/// The key tables, one per mode (`KeyMode`): they dispatch keys (`InputRouter`), write the
/// help overlay (`standard`) and spell the keys of every hint, so no key is named twice. A
/// binding's first key is the one hints show.
public enum ExplorerKeyMap {
    public static let standard = KeyMap<Command>([
        KeyBinding([.char("j")], .nextSample, help: "next sample (file order)", section: "Samples"),
        KeyBinding([.char("k")], .previousSample, help: "previous sample", section: "Samples"),
        KeyBinding([.left, .char("h")], .left, help: "Embedding: nearest sample to the left · Sample: previous page", section: "Samples"),
        KeyBinding([.right, .char("l")], .right, help: "Embedding: nearest sample to the right · Sample: next page", section: "Samples"),
        KeyBinding([.up], .up, help: "Embedding: nearest sample above · Sample: previous sample", section: "Samples"),
        KeyBinding([.down], .down, help: "Embedding: nearest sample below · Sample: next sample", section: "Samples"),
        KeyBinding([.char("n")], .nextInGroup, help: "next sample of the same group", section: "Samples"),
        KeyBinding([.char("N")], .previousInGroup, help: "previous sample of the same group", section: "Samples"),
        KeyBinding([.char("g")], .startGoto, help: "find a sample: any part of its id (fuzzy), or its row (0-based)", section: "Samples"),

        KeyBinding(
            [.char("c")], .cycleColorMode, help: "color by: group, contribution, top feature, value, z3 (3+ dimensions)",
            section: "Embedding"),
        KeyBinding([.char("]")], .nextSpotlight, help: "highlight the next group or top feature (pages the legend)", section: "Embedding"),
        KeyBinding([.char("[")], .previousSpotlight, help: "highlight the previous group or top feature", section: "Embedding"),
        KeyBinding(
            [.char("/")], .startSearch, help: "find a feature (a set, in the sets space) by name; Enter colors by it and highlights it",
            section: "Embedding"),
        KeyBinding([.char("x")], .cycleXAxis, help: "next dimension on the x axis (3+ dimensions)", section: "Embedding"),
        KeyBinding([.char("y")], .cycleYAxis, help: "next dimension on the y axis (3+ dimensions)", section: "Embedding"),
        KeyBinding([.char("+"), .char("=")], .zoomIn, help: "zoom in around the focused sample", section: "Embedding"),
        KeyBinding([.char("-")], .zoomOut, help: "zoom out", section: "Embedding"),
        KeyBinding([.char("0")], .resetZoom, help: "show the whole embedding", section: "Embedding"),

        KeyBinding([.char("v")], .cycleView, help: "view: L2, share of total, each dimension signed", section: "Contributions"),
        KeyBinding(
            [.char("z")], .cycleWaterfall, help: "waterfall: how the contributions add up to z1 (again: z2 …)", section: "Contributions"),
        KeyBinding(
            [.char("p")], .toggleSpace, help: "space: features (genes) → PCA components (PCA models) → sets (--feature-sets)",
            section: "Contributions"),
        KeyBinding(
            [.enter], .showMembers, help: "sets space: the highlighted (else the first) set's members and their contributions",
            section: "Contributions"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, help: "next page of features", section: "Contributions"),
        KeyBinding([.pageUp], .pageUp, help: "previous page of features", section: "Contributions"),
        KeyBinding([.home], .firstPage, help: "first page", section: "Contributions"),
        KeyBinding([.end], .lastPage, help: "last page", section: "Contributions"),

        KeyBinding([.char("s")], .startGroupSelection, help: "select a group: its aggregated top features", section: "Analysis"),
        KeyBinding(
            [.char("b")], .startBoxSelection, help: "select a box: arrows move it, h j k l move its corner, Enter accepts",
            section: "Analysis"),
        KeyBinding(
            [.char("f")], .startLasso, help: "lasso: arrows and Space place corners, Enter closes (or drag with the mouse)",
            section: "Analysis"),
        KeyBinding([.char("d")], .toggleVersusRest, help: "selection: top features / vs the rest", section: "Analysis"),
        KeyBinding([.char("a")], .keepSelection, help: "keep the selection under a name", section: "Analysis"),
        KeyBinding(
            [.char("A")], .showKept, help: "kept selections: recall, compare two (d), write annotations.csv (w)", section: "Analysis"),
        KeyBinding([.char("m")], .toggleMark, help: "mark as A; then any sample B shows C_B − C_A (m again clears)", section: "Analysis"),
        KeyBinding([.char("r")], .toggleReport, help: "verification report (Enter on a listed sample goes to it)", section: "Analysis"),
        KeyBinding([.char("o")], .toggleGroupsOverview, help: "groups overview: size and top features per label", section: "Analysis"),

        KeyBinding(
            [.char("w")], .write, help: "write what is shown to a new CSV file here (its name in the status line)", section: "Take out"),
        KeyBinding(
            [.char("Y")], .copyId, help: "copy the focused sample's id (OSC 52; in tmux: set -s set-clipboard on)", section: "Take out"),
        KeyBinding([.char("C")], .copySelectionIds, help: "copy the selection's ids to the clipboard, one per line", section: "Take out"),

        KeyBinding([.tab], .focusNext, help: "focus the next panel", section: "General"),
        KeyBinding([.backTab], .focusPrevious, help: "focus the previous panel", section: "General"),
        KeyBinding([.char("?")], .toggleHelp, help: "this help", section: "General"),
        KeyBinding([.escape], .back, help: "back out: close input, help, popup, mark, selection, highlight", section: "General"),
        KeyBinding([.char("q"), .ctrl("c")], .quit, help: "quit", section: "General"),
    ])

    /// While the help overlay is open; any other key closes it.
    public static let help = KeyMap<Command>([
        KeyBinding([.char("j"), .down], .scrollHelp(1), help: "scroll down"),
        KeyBinding([.char("k"), .up], .scrollHelp(-1), help: "scroll up"),
        KeyBinding([.pageDown, .char(" ")], .scrollHelp(10), help: "page down"),
        KeyBinding([.pageUp], .scrollHelp(-10), help: "page up"),
        KeyBinding([.escape, .char("?")], .back, help: "close"),
    ])

    /// While a box is being drawn (`b`): the arrows move it; h j k l move its bottom-right
    /// corner the way they point (l wider, h narrower, j taller, k shorter).
    public static let box = KeyMap<Command>(
        [
            KeyBinding([.left], .left, help: "move the box left"),
            KeyBinding([.down], .down, help: "move the box down"),
            KeyBinding([.up], .up, help: "move the box up"),
            KeyBinding([.right], .right, help: "move the box right"),
            KeyBinding([.char("h")], .resizeBox(dx: -1, dy: 0), help: "narrower (the right edge moves left)"),
            KeyBinding([.char("l")], .resizeBox(dx: 1, dy: 0), help: "wider (the right edge moves right)"),
            KeyBinding([.char("j")], .resizeBox(dx: 0, dy: 1), help: "taller (the bottom edge moves down)"),
            KeyBinding([.char("k")], .resizeBox(dx: 0, dy: -1), help: "shorter (the bottom edge moves up)"),
            KeyBinding([.enter], .submit, help: "select the samples inside"),
        ] + popup)

    /// While a lasso is drawn from the keyboard (`f`).
    public static let lasso = KeyMap<Command>(
        [
            KeyBinding([.left], .left, help: "cursor left"),
            KeyBinding([.down], .down, help: "cursor down"),
            KeyBinding([.up], .up, help: "cursor up"),
            KeyBinding([.right], .right, help: "cursor right"),
            KeyBinding([.char(" ")], .placeVertex, help: "a corner at the cursor"),
            KeyBinding([.backspace, .delete], .deleteBackward, help: "remove the last corner"),
            KeyBinding([.enter], .submit, help: "close the lasso and select the samples inside"),
        ] + popup)

    /// The popups with a list: `s` (pick a group), `o` (groups overview), `r` (verification), `A` (kept).
    public static let groupPicker = KeyMap<Command>(list)
    public static let groupsOverview = KeyMap<Command>(list + [KeyBinding([.char("o")], .toggleGroupsOverview, help: "close"), write])
    public static let report = KeyMap<Command>(list + [KeyBinding([.char("r")], .toggleReport, help: "close"), write])
    /// Enter in the sets space: a set's members.
    public static let members = KeyMap<Command>(
        list.filter { $0.command != .submit } + [
            KeyBinding([.enter], .showMembers, help: "close")
        ])
    public static let kept = KeyMap<Command>(
        list + [
            KeyBinding([.char("d")], .compareKept, help: "the shown selection vs this one"),
            KeyBinding([.char("x"), .delete], .forgetKept, help: "forget this one"),
            KeyBinding([.char("w")], .write, help: "write every kept selection to annotations.csv"),
            KeyBinding([.char("A")], .showKept, help: "close"),
        ])

    /// Text fields: these keys edit; every other printable key is typed (`InputRouter`).
    public static let search = KeyMap<Command>(textEditing + matchList)
    public static let goto = KeyMap<Command>(textEditing + matchList)
    public static let name = KeyMap<Command>(textEditing)

    /// While loading: only quitting means anything.
    public static let loading = KeyMap<Command>([KeyBinding([.char("q"), .ctrl("c"), .escape], .quit, help: "quit")])

    private static let popup = [
        KeyBinding<Command>([.escape], .back, help: "close"),
        KeyBinding([.char("q")], .quit, help: "quit"),
        KeyBinding([.char("?")], .toggleHelp, help: "help"),
    ]

    private static let write = KeyBinding<Command>([.char("w")], .write, help: "write it to a CSV file")

    private static let list =
        [
            KeyBinding<Command>([.char("j"), .down, .tab], .moveSelection(1), help: "next row"),
            KeyBinding([.char("k"), .up, .backTab], .moveSelection(-1), help: "previous row"),
            KeyBinding([.pageDown, .char(" ")], .moveSelection(10), help: "ten rows down"),
            KeyBinding([.pageUp], .moveSelection(-10), help: "ten rows up"),
            KeyBinding([.enter], .submit, help: "choose the row"),
        ] + popup

    private static let matchList = [
        KeyBinding<Command>([.down, .tab, .ctrl("n")], .moveSelection(1), help: "next match"),
        KeyBinding([.up, .backTab, .ctrl("p")], .moveSelection(-1), help: "previous match"),
        KeyBinding([.pageDown], .moveSelection(10), help: "ten matches down"),
        KeyBinding([.pageUp], .moveSelection(-10), help: "ten matches up"),
    ]

    private static let textEditing = [
        KeyBinding<Command>([.enter], .submit, help: "accept"),
        KeyBinding([.escape], .back, help: "cancel"),
        KeyBinding([.backspace, .delete], .deleteBackward, help: "delete a character"),
        KeyBinding([.ctrl("u")], .clearInput, help: "clear"),
    ]
}

/// The mode keys are read in, from the state: which table dispatches them and what the status
/// line and the popup's border say about them. A new popup is a case here, with its table
/// above and its hints below.
public enum KeyMode: Equatable, Sendable {
    case standard, help, box, lasso, groupPicker, groupsOverview, report, kept, members, search, goto, name

    public init(_ state: ExplorerState) {
        switch state.input {
        case .search: self = .search
        case .goto: self = .goto
        case .name: self = .name
        case .normal:
            if state.help != nil { self = .help; return }
            switch state.overlay {
            case .drawBox: self = .box
            case .lasso(let draft): self = draft.cursor == nil ? .standard : .lasso
            case .groupPicker: self = .groupPicker
            case .groups: self = .groupsOverview
            case .report: self = .report
            case .kept: self = .kept
            case .members: self = .members
            case nil: self = .standard
            }
        }
    }

    public var keyMap: KeyMap<Command> {
        switch self {
        case .standard: return ExplorerKeyMap.standard
        case .help: return ExplorerKeyMap.help
        case .box: return ExplorerKeyMap.box
        case .lasso: return ExplorerKeyMap.lasso
        case .groupPicker: return ExplorerKeyMap.groupPicker
        case .groupsOverview: return ExplorerKeyMap.groupsOverview
        case .report: return ExplorerKeyMap.report
        case .kept: return ExplorerKeyMap.kept
        case .members: return ExplorerKeyMap.members
        case .search: return ExplorerKeyMap.search
        case .goto: return ExplorerKeyMap.goto
        case .name: return ExplorerKeyMap.name
        }
    }

    /// Modes whose hints matter more than the progress on the right of the status line.
    var hintsFirst: Bool { self == .box || self == .lasso }

    typealias Hint = KeyHint<Command>

    /// The status line's badge and hints, most useful first (the line drops them from the
    /// end, keeping the last two); in a text field, what follows the prompt.
    func statusHints(_ state: ExplorerState, hasSpaces: Bool) -> (badge: String, hints: [Hint]) {
        let find = state.space == .sets ? "find set" : "find feature"
        switch self {
        case .help: return ("Help", [Hint([.scrollHelp(1), .scrollHelp(-1)], "scroll"), Hint([.back], "close")])
        case .box:
            // The resize hints are kept at every width (the line keeps the last two).
            return (
                "Box",
                [
                    Hint([.left, .down, .up, .right], "move"), Hint([.submit], "select"), Hint([.back], "cancel"),
                    Hint([.resizeBox(dx: -1, dy: 0), .resizeBox(dx: 1, dy: 0)], "narrower/wider"),
                    Hint([.resizeBox(dx: 0, dy: 1), .resizeBox(dx: 0, dy: -1)], "taller/shorter"),
                ]
            )
        case .lasso:
            return (
                "Lasso",
                [
                    Hint([.left, .down, .up, .right], "cursor"), Hint([.deleteBackward], "undo"), Hint([.back], "cancel"),
                    Hint([.placeVertex], "corner"), Hint([.submit], "close"),
                ]
            )
        case .groupPicker: return ("Select", [Self.choose, Hint([.submit], "select group"), Hint([.back], "cancel")])
        case .groupsOverview:
            return ("Groups", [Self.choose, Hint([.write], "write"), Hint([.submit], "select group"), Hint([.back], "close")])
        case .report:
            return ("Verification", [Self.choose, Hint([.write], "write"), Hint([.submit], "go to sample"), Hint([.back], "close")])
        case .kept:
            return (
                "Kept",
                [
                    Self.choose, Hint([.compareKept], "vs shown"), Hint([.forgetKept], "forget"),
                    Hint([.write], "annotations.csv"), Hint([.submit], "recall"), Hint([.back], "close"),
                ]
            )
        case .members: return ("Members", [Self.choose, Hint([.back], "close")])
        case .search:
            return (
                "/", [Hint([.moveSelection(-1), .moveSelection(1)], "choose"), Hint([.submit], "color by it"), Hint([.back], "cancel")]
            )
        case .goto:
            return (
                "find sample", [Hint([.moveSelection(-1), .moveSelection(1)], "choose"), Hint([.submit], "go"), Hint([.back], "cancel")]
            )
        case .name: return ("keep as", [Hint([.submit], "keep"), Hint([.back], "cancel")])
        case .standard: break
        }
        if case .lasso = state.overlay { return ("Lasso", [Hint([.back], "cancel")]) }  // drawn with the mouse
        switch state.focus {
        case .embedding:
            var h = [Hint([.left, .down, .up, .right], "nearest"), Hint([.nextSample, .previousSample], "next/prev")]
            if state.mark != nil { h.append(Hint([.toggleMark], "clear A")) }
            if state.selection != nil {
                h.append(
                    Hint([.toggleVersusRest], state.versus == .rest ? (state.space == .sets ? "top sets" : "top features") : "vs rest"))
                h.append(Hint([.keepSelection], "keep"))
                h.append(Hint([.back], "clear"))
            }
            h += [
                Hint([.write], "write"), Hint([.cycleColorMode], "color"), Hint([.startSearch], find),
                Hint([.startGroupSelection, .startBoxSelection, .startLasso], "select"),
            ]
            if state.mark == nil { h.append(Hint([.toggleMark], "mark A")) }
            if state.colorMode.isCategorical { h.append(Hint([.previousSpotlight, .nextSpotlight], "highlight")) }
            return (
                state.focus.title,
                h + [
                    Hint([.toggleReport], "verify"), Hint([.nextInGroup, .previousInGroup], "same group"),
                    Hint([.startGoto], "find sample"), Hint([.toggleHelp], "help"), Hint([.quit], "quit"),
                ]
            )
        case .sample:
            var h = [
                Hint([.nextSample, .previousSample], "sample"), Hint([.left, .right], "page"), Hint([.cycleView], "view"),
                Hint([.cycleWaterfall], "waterfall"),
            ]
            if hasSpaces { h.append(Hint([.toggleSpace], "space")) }
            if state.space == .sets { h.append(Hint([.showMembers], "members")) }
            return (
                state.focus.title,
                h + [
                    Hint([.write], "write"), Hint([.startSearch], find), Hint([.focusNext], "embedding"),
                    Hint([.toggleHelp], "help"), Hint([.quit], "quit"),
                ]
            )
        }
    }

    /// The hints on the bottom border of the mode's popup (or of the scatter while drawing).
    var footer: [Hint] {
        switch self {
        case .help: return [Hint([.back], "closes", allKeys: true), Hint([.scrollHelp(1), .scrollHelp(-1)], "scroll")]
        case .groupPicker: return [Hint([.submit], "select"), Hint([.back], "cancel")]
        case .groupsOverview: return [Hint([.submit], "select group"), Hint([.write], "write"), Hint([.back], "close")]
        case .report: return [Self.choose, Hint([.submit], "go to sample"), Hint([.write], "write"), Hint([.back], "close")]
        case .members: return [Self.choose, Hint([.back], "close")]
        case .kept:
            return [
                Hint([.submit], "recall"), Hint([.compareKept], "vs shown"), Hint([.write], "annotations.csv"),
                Hint([.forgetKept], "forget"), Hint([.back], "close"),
            ]
        case .search, .goto: return [Hint([.submit], "picks"), Hint([.back], "cancels")]
        case .box: return [Hint([.submit], "selects"), Hint([.back], "cancels")]
        case .lasso: return [Hint([.placeVertex], "corner"), Hint([.submit], "closes"), Hint([.back], "cancels")]
        case .standard, .name: return []
        }
    }

    /// While loading, the loading screen's border.
    static let loadingFooter = [Hint([.quit], "quits")]

    private static let choose = Hint([.moveSelection(1), .moveSelection(-1)], "choose")
}
