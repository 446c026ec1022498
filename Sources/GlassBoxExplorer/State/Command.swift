/// Everything the user can ask for, named apart from the keys that trigger it (VisiData /
/// lazygit style): `ExplorerKeyMap` binds keys to these, and the same table writes the help.
public enum Command: Equatable, Sendable {
    // Samples
    case nextSample, previousSample
    case nextInGroup, previousInGroup
    /// Arrow keys and h/l. Embedding panel: the nearest sample that way. Sample panel: ↑/↓
    /// previous/next sample, ←/→ previous/next page of features.
    case up, down, left, right
    case startGoto

    // Embedding
    case cycleColorMode
    /// Highlight the next (previous) category of the coloring, paging its legend.
    case nextSpotlight, previousSpotlight
    case cycleXAxis, cycleYAxis
    case zoomIn, zoomOut, resetZoom

    // Sample panel
    case cycleView
    /// The waterfall of z1, then z2 … then back to the other views.
    case cycleWaterfall
    case toggleSpace
    /// Sets space: list the members of the highlighted set (or the first shown) and their
    /// contributions to what the panel shows.
    case showMembers
    case pageDown, pageUp, firstPage, lastPage

    // Features
    case startSearch

    // Analysis
    case startGroupSelection, startBoxSelection, startLasso
    case toggleVersusRest
    case toggleMark
    case toggleReport, toggleGroupsOverview
    /// Keep the selection under a name (a prompt with a default), and list the kept ones.
    case keepSelection, showKept

    // Taking findings out
    /// Write what is shown to a CSV file in the working directory.
    case write
    /// Put the focused sample's id, or the selection's ids, on the clipboard.
    case copyId, copySelectionIds

    // General
    case focusNext, focusPrevious
    case toggleHelp
    /// Esc: close the input, the help, the highlight — one step at a time.
    case back
    case quit

    // Not bound in the key map: text fields, the help overlay and the mouse.
    case insert(Character)
    case deleteBackward
    case clearInput
    case submit
    /// Moves the search selection.
    case moveSelection(Int)
    case scrollHelp(Int)
    /// Moves the bottom-right corner of the box being drawn, in steps (right, down positive).
    case resizeBox(dx: Int, dy: Int)
    /// Lasso from the keyboard: a vertex at the cursor.
    case placeVertex
    /// Kept list: set the shown selection against the highlighted one; forget it.
    case compareKept, forgetKept
    /// A left click at a screen cell.
    case click(x: Int, y: Int)
    /// The pointer moved with the left button held, and the button let go.
    case drag(x: Int, y: Int)
    case release(x: Int, y: Int)
    /// Feedback from an effect that finished (a file written, the clipboard set).
    case notify(StatusMessage)
    /// Wheel: negative up, positive down.
    case scroll(x: Int, y: Int, delta: Int)
}
