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
    case cycleXAxis, cycleYAxis
    case zoomIn, zoomOut, resetZoom

    // Sample panel
    case cycleView
    case toggleSpace
    case pageDown, pageUp, firstPage, lastPage

    // Features
    case startSearch

    // Analysis
    case startGroupSelection, startBoxSelection
    case toggleVersusRest
    case toggleMark
    case toggleReport, toggleGroupsOverview

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
    /// Grows (positive) or shrinks the box being drawn, in steps.
    case resizeBox(dx: Int, dy: Int)
    /// A left click at a screen cell.
    case click(x: Int, y: Int)
    /// Wheel: negative up, positive down.
    case scroll(x: Int, y: Int, delta: Int)
}
