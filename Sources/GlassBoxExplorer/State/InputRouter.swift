import GlassBoxTUI

/// Turns input events into commands: the mode (`KeyMode`) picks the key table — a text field,
/// the help overlay, a popup, or the standard keys — so every key fact lives in `ExplorerKeyMap`.
/// Ctrl-C always quits; a text field types the printable keys its table doesn't bind; the
/// help overlay closes on any key its table doesn't bind.
public enum InputRouter {
    public static func command(
        for event: InputEvent, state: ExplorerState,
        keymap: KeyMap<Command> = ExplorerKeyMap.standard
    ) -> Command? {
        switch event {
        case .tick, .resize:
            return nil
        case .mouse(let m):
            switch m.button {
            case .left where m.kind == .drag: return .drag(x: m.x, y: m.y)
            case .left where m.kind == .release: return .release(x: m.x, y: m.y)
            case .left: return .click(x: m.x, y: m.y)
            case .scrollUp: return .scroll(x: m.x, y: m.y, delta: -1)
            case .scrollDown: return .scroll(x: m.x, y: m.y, delta: 1)
            default: return nil
            }
        case .key(let key):
            if key == .ctrl("c") { return .quit }
            switch state.input {
            case .search, .goto, .name:
                if let command = KeyMode(state).keyMap.command(for: key) { return command }
                if case .char(let c) = key { return .insert(c) }
                return nil
            case .normal:
                if state.help != nil { return ExplorerKeyMap.help.command(for: key) ?? .back }
                let mode = KeyMode(state)
                return (mode == .standard ? keymap : mode.keyMap).command(for: key)
            }
        }
    }
}
