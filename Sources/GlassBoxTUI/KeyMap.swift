/// Keys bound to a named command, with the text shown in the help overlay.
public struct KeyBinding<Command> {
    public var keys: [Key]
    public var command: Command
    public var help: String
    /// Help-screen heading this binding is listed under ("Navigation", "View", …).
    public var section: String

    public init(_ keys: [Key], _ command: Command, help: String, section: String = "") {
        self.keys = keys
        self.command = command
        self.help = help
        self.section = section
    }
}

/// One line of generated help.
public struct HelpRow: Equatable, Sendable {
    public var section: String
    /// Key names joined with ", " (e.g. "k, ↑").
    public var keys: String
    public var help: String
}

/// Commands separate from keys (VisiData/lazygit style): one table both dispatches key
/// presses and generates the help overlay, so the two can't drift apart.
///
///     enum Cmd { case up, down, quit }
///     let keymap = KeyMap<Cmd>([
///         KeyBinding([.char("k"), .up], .up, help: "Move up", section: "Navigation"),
///         KeyBinding([.char("q")], .quit, help: "Quit", section: "General"),
///     ])
///     if case .key(let k) = event, let cmd = keymap.command(for: k) { … }
public struct KeyMap<Command> {
    public private(set) var bindings: [KeyBinding<Command>]
    private var lookup: [Key: Int] = [:]
    /// Keys bound more than once; the first binding wins. Check it in a test.
    public private(set) var duplicateKeys: [Key] = []

    public init(_ bindings: [KeyBinding<Command>]) {
        self.bindings = []
        for b in bindings { add(b) }
    }

    public mutating func add(_ binding: KeyBinding<Command>) {
        let index = bindings.count
        bindings.append(binding)
        for k in binding.keys {
            if lookup[k] == nil { lookup[k] = index } else { duplicateKeys.append(k) }
        }
    }

    /// The command bound to `key`, if any.
    public func command(for key: Key) -> Command? {
        lookup[key].map { bindings[$0].command }
    }

    /// The binding for `key`, if any.
    public func binding(for key: Key) -> KeyBinding<Command>? {
        lookup[key].map { bindings[$0] }
    }

    /// Help rows in binding order, sections kept together in order of first appearance.
    public func helpRows(unicode: Bool = true) -> [HelpRow] {
        var order: [String] = []
        var bySection: [String: [HelpRow]] = [:]
        for b in bindings {
            let row = HelpRow(section: b.section, keys: b.keys.map { $0.name(unicode: unicode) }.joined(separator: ", "), help: b.help)
            if bySection[b.section] == nil { order.append(b.section) }
            bySection[b.section, default: []].append(row)
        }
        return order.flatMap { bySection[$0]! }
    }

    /// A ready-made help table: a heading row per section, then key / description rows; with
    /// `width`, descriptions wider than the room beside the keys wrap onto more rows.
    public func helpTable(
        glyphs: GlyphSet = .unicode, keyStyle: Style = Style(fg: .cyan),
        sectionStyle: Style = Style(modifiers: [.bold, .underline]), width: Int? = nil
    ) -> Table {
        let all = helpRows(unicode: glyphs.isUnicode)
        let keyWidth = all.map { TextWidth.width($0.keys) }.max() ?? 0
        var rows: [Row] = []
        var current: String? = nil
        for r in all {
            if r.section != current {
                if current != nil { rows.append(Row([""])) }
                current = r.section
                if !r.section.isEmpty { rows.append(.section(Line(r.section), style: sectionStyle)) }
            }
            let help = glyphs.isUnicode ? r.help : GlyphSet.asciiText(r.help)
            let lines = width.map { Paragraph.wrap(Line(help), width: max(10, $0 - keyWidth - 2)) } ?? [Line(help)]
            rows.append(Row([Line(r.keys, style: keyStyle), lines[0]]))
            for more in lines.dropFirst() { rows.append(Row([Line(""), more])) }
        }
        return Table(rows: rows, columnSpacing: 2, glyphs: glyphs)
    }
}

/// A short hint for a status line or a popup's border: what some commands do, in a word or
/// two. It names commands, not keys — `KeyMap.text(of:)` looks the keys up in the table.
///
///     KeyHint([.nextSample, .previousSample], "next/prev")   // "j/k next/prev"
public struct KeyHint<Command> {
    public var commands: [Command]
    public var label: String
    /// Every key of the (first) command, "? or Esc", instead of each command's first key.
    public var allKeys: Bool

    public init(_ commands: [Command], _ label: String, allKeys: Bool = false) {
        self.commands = commands
        self.label = label
        self.allKeys = allKeys
    }
}

extension KeyMap where Command: Equatable {
    /// The keys bound to `command`, the binding's first key first; empty when unbound.
    public func keys(for command: Command) -> [Key] {
        bindings.first { $0.command == command }?.keys ?? []
    }

    /// A hint's keys as shown: each command's first key joined by "/" ("j/k"); arrows alone
    /// run together ("←↓↑→", or "arrows" / "up/down" in ASCII). Nil when a command is unbound.
    public func keyText(of hint: KeyHint<Command>, unicode: Bool = true) -> String? {
        if hint.allKeys {
            let keys = hint.commands.first.map(keys(for:)) ?? []
            return keys.isEmpty ? nil : keys.map { $0.name(unicode: unicode) }.joined(separator: " or ")
        }
        var keys: [Key] = []
        for command in hint.commands {
            guard let first = self.keys(for: command).first else { return nil }
            keys.append(first)
        }
        guard !keys.isEmpty else { return nil }
        let arrows: [Key] = [.left, .down, .up, .right]
        if keys.allSatisfy(arrows.contains) {
            if unicode { return keys.map { $0.name(unicode: true) }.joined() }
            if Set(keys).count == 4 { return "arrows" }
            return keys.map { $0.name(unicode: false).lowercased() }.joined(separator: "/")
        }
        return keys.map { $0.name(unicode: unicode) }.joined(separator: "/")
    }

    /// (keys, label) pairs of the hints whose commands are all bound, in order.
    public func text(of hints: [KeyHint<Command>], unicode: Bool = true) -> [(keys: String, label: String)] {
        hints.compactMap { hint in keyText(of: hint, unicode: unicode).map { ($0, hint.label) } }
    }
}

extension KeyBinding: Sendable where Command: Sendable {}
extension KeyMap: Sendable where Command: Sendable {}
extension KeyHint: Sendable where Command: Sendable {}
