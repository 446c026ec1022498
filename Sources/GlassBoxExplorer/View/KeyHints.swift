import GlassBoxTUI

/// The key hints of the status line and of the popups' borders, for each mode: which commands
/// to mention, most useful first, and what they do in a word or two. The keys themselves come
/// from the mode's table in `ExplorerKeyMap`, so a hint can't name a key that does something
/// else. (The status line drops hints from the end, keeping the last two.)
enum KeyHints {
    typealias Hint = KeyHint<Command>

    /// The status line's badge and hints when no text field is open and no message shows.
    static func statusLine(_ state: ExplorerState, hasComponents: Bool) -> (panel: String, hints: [Hint]) {
        if state.help != nil { return ("Help", [Hint([.scrollHelp(1), .scrollHelp(-1)], "scroll"), Hint([.back], "close")]) }
        switch state.overlay {
        case .drawBox:
            return ("Box", [Hint([.left, .down, .up, .right], "move"),
                            Hint([.resizeBox(dx: -1, dy: 0), .resizeBox(dx: 1, dy: 0)], "narrower/wider"),
                            Hint([.resizeBox(dx: 0, dy: -1), .resizeBox(dx: 0, dy: 1)], "shorter/taller"),
                            Hint([.submit], "select"), Hint([.back], "cancel")])
        case .groupPicker:
            return ("Select", [choose, Hint([.submit], "select group"), Hint([.back], "cancel")])
        case .groups:
            return ("Groups", [choose, Hint([.submit], "select group"), Hint([.back], "close")])
        case .report:
            return ("Verification", [choose, Hint([.submit], "go to sample"), Hint([.back], "close")])
        case nil:
            break
        }
        switch state.focus {
        case .embedding:
            var h = [Hint([.left, .down, .up, .right], "nearest"), Hint([.nextSample, .previousSample], "next/prev")]
            if state.mark != nil { h.append(Hint([.toggleMark], "clear A")) }
            if state.selection != nil {
                h.append(Hint([.toggleVersusRest], state.versusRest ? "top features" : "vs rest"))
                h.append(Hint([.back], "clear"))
            }
            h += [Hint([.cycleColorMode], "color"), Hint([.startSearch], "find feature"),
                  Hint([.startGroupSelection, .startBoxSelection], "select")]
            if state.mark == nil { h.append(Hint([.toggleMark], "mark A")) }
            return (state.focus.title, h + [Hint([.toggleReport], "verify"), Hint([.nextInGroup, .previousInGroup], "same group"),
                                            Hint([.startGoto], "go to"), Hint([.toggleHelp], "help"), Hint([.quit], "quit")])
        case .sample:
            var h = [Hint([.nextSample, .previousSample], "sample"), Hint([.left, .right], "page"), Hint([.cycleView], "view")]
            if hasComponents { h.append(Hint([.toggleSpace], state.space == .features ? "PCA space" : "feature space")) }
            return (state.focus.title, h + [Hint([.startSearch], "find feature"), Hint([.focusNext], "embedding"),
                                            Hint([.toggleHelp], "help"), Hint([.quit], "quit")])
        }
    }

    /// After the text of a prompt: what its keys do.
    static let searchPrompt = [Hint([.moveSelection(-1), .moveSelection(1)], "choose"), Hint([.submit], "color by it"),
                               Hint([.back], "cancel")]
    static let gotoPrompt = [Hint([.submit], ""), Hint([.back], "cancel")]

    // The popups' bottom borders.
    static let searchFooter = [Hint([.submit], "picks"), Hint([.back], "cancels")]
    static let helpFooter = [Hint([.back], "closes", allKeys: true), Hint([.scrollHelp(1), .scrollHelp(-1)], "scroll")]
    static let groupPickerFooter = [Hint([.submit], "select"), Hint([.back], "cancel")]
    static let groupsFooter = [Hint([.submit], "select group"), Hint([.back], "close")]
    static let reportFooter = [choose, Hint([.submit], "go to sample"), Hint([.back], "close")]
    static let loadingFooter = [Hint([.quit], "quits")]

    private static let choose = Hint([.moveSelection(1), .moveSelection(-1)], "choose")

    /// (keys, what) pairs in `map`'s keys.
    static func pairs(_ hints: [Hint], in map: KeyMap<Command>, theme: Theme) -> [(String, String)] {
        map.text(of: hints, unicode: theme.unicode).map { ($0.keys, $0.label) }
    }

    /// One line: "Enter picks · Esc cancels".
    static func text(_ hints: [Hint], in map: KeyMap<Command>, theme: Theme) -> String {
        pairs(hints, in: map, theme: theme).map { $0.1.isEmpty ? $0.0 : "\($0.0) \($0.1)" }.joined(separator: " \(theme.bullet) ")
    }
}
