import GlassBoxTUI

/// The key tables, one per mode: they dispatch keys (`InputRouter`), write the help overlay
/// (`standard`) and spell the keys of every hint (`StatusHints`), so no key is named twice.
/// A binding's first key is the one hints show.
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

    /// While the help overlay is open; any other key closes it.
    public static let help = KeyMap<Command>([
        KeyBinding([.char("j"), .down], .scrollHelp(1), help: "scroll down"),
        KeyBinding([.char("k"), .up], .scrollHelp(-1), help: "scroll up"),
        KeyBinding([.pageDown, .char(" ")], .scrollHelp(10), help: "page down"),
        KeyBinding([.pageUp], .scrollHelp(-10), help: "page up"),
        KeyBinding([.escape, .char("?")], .back, help: "close"),
    ])

    /// While a box is being drawn (`b`).
    public static let box = KeyMap<Command>([
        KeyBinding([.left], .left, help: "move the box left"),
        KeyBinding([.down], .down, help: "move the box down"),
        KeyBinding([.up], .up, help: "move the box up"),
        KeyBinding([.right], .right, help: "move the box right"),
        KeyBinding([.char("h")], .resizeBox(dx: -1, dy: 0), help: "narrower"),
        KeyBinding([.char("l")], .resizeBox(dx: 1, dy: 0), help: "wider"),
        KeyBinding([.char("j")], .resizeBox(dx: 0, dy: -1), help: "shorter"),
        KeyBinding([.char("k")], .resizeBox(dx: 0, dy: 1), help: "taller"),
        KeyBinding([.enter], .submit, help: "select the samples inside"),
    ] + popup)

    /// The popups with a list: `s` (pick a group), `o` (groups overview), `r` (verification).
    public static let groupPicker = KeyMap<Command>(list)
    public static let groupsOverview = KeyMap<Command>(list + [KeyBinding([.char("o")], .toggleGroupsOverview, help: "close")])
    public static let report = KeyMap<Command>(list + [KeyBinding([.char("r")], .toggleReport, help: "close")])

    /// Text fields: these keys edit; every other printable key is typed (`InputRouter`).
    public static let search = KeyMap<Command>(textEditing + [
        KeyBinding([.down, .tab, .ctrl("n")], .moveSelection(1), help: "next match"),
        KeyBinding([.up, .backTab, .ctrl("p")], .moveSelection(-1), help: "previous match"),
        KeyBinding([.pageDown], .moveSelection(10), help: "ten matches down"),
        KeyBinding([.pageUp], .moveSelection(-10), help: "ten matches up"),
    ])
    public static let goto = KeyMap<Command>(textEditing)

    /// While loading: only quitting means anything.
    public static let loading = KeyMap<Command>([KeyBinding([.char("q"), .ctrl("c"), .escape], .quit, help: "quit")])

    private static let popup = [
        KeyBinding<Command>([.escape], .back, help: "close"),
        KeyBinding([.char("q")], .quit, help: "quit"),
        KeyBinding([.char("?")], .toggleHelp, help: "help"),
    ]

    private static let list = [
        KeyBinding<Command>([.char("j"), .down, .tab], .moveSelection(1), help: "next row"),
        KeyBinding([.char("k"), .up, .backTab], .moveSelection(-1), help: "previous row"),
        KeyBinding([.pageDown, .char(" ")], .moveSelection(10), help: "ten rows down"),
        KeyBinding([.pageUp], .moveSelection(-10), help: "ten rows up"),
        KeyBinding([.enter], .submit, help: "choose the row"),
    ] + popup

    private static let textEditing = [
        KeyBinding<Command>([.enter], .submit, help: "accept"),
        KeyBinding([.escape], .back, help: "cancel"),
        KeyBinding([.backspace, .delete], .deleteBackward, help: "delete a character"),
        KeyBinding([.ctrl("u")], .clearInput, help: "clear"),
    ]
}
