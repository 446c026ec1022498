import GlassBoxTestSupport
import XCTest
@testable import GlassBoxTUI

final class InputTests: XCTestCase {
    private enum Cmd: Sendable, Equatable { case up, down, quit, help }

    private let keymap = KeyMap<Cmd>([
        KeyBinding([.char("k"), .up], .up, help: "Move up", section: "Navigation"),
        KeyBinding([.char("q"), .ctrl("c")], .quit, help: "Quit", section: "General"),
        KeyBinding([.char("j"), .down], .down, help: "Move down", section: "Navigation"),
        KeyBinding([.char("?")], .help, help: "Toggle help", section: "General"),
    ])

    func testKeyNames() {
        XCTAssertEqual(Key.up.description, "↑")
        XCTAssertEqual(Key.up.name(unicode: false), "Up")
        XCTAssertEqual(Key.pageDown.description, "PgDn")
        XCTAssertEqual(Key.enter.description, "Enter")
        XCTAssertEqual(Key.ctrl("c").description, "Ctrl-C")
        XCTAssertEqual(Key.char(" ").description, "Space")
        XCTAssertEqual(Key.char("G").description, "G")
        XCTAssertEqual(Key.backTab.description, "Shift-Tab")
        XCTAssertEqual(Key.function(5).description, "F5")
    }

    func testCommandLookup() {
        XCTAssertEqual(keymap.command(for: .up), .up)
        XCTAssertEqual(keymap.command(for: .char("j")), .down)
        XCTAssertEqual(keymap.command(for: .ctrl("c")), .quit)
        XCTAssertNil(keymap.command(for: .char("x")))
        XCTAssertEqual(keymap.binding(for: .char("?"))?.help, "Toggle help")
        XCTAssertEqual(keymap.duplicateKeys, [])
    }

    func testHelpRowsGroupSectionsInFirstAppearanceOrder() {
        XCTAssertEqual(
            keymap.helpRows(),
            [
                HelpRow(section: "Navigation", keys: "k, ↑", help: "Move up"),
                HelpRow(section: "Navigation", keys: "j, ↓", help: "Move down"),
                HelpRow(section: "General", keys: "q, Ctrl-C", help: "Quit"),
                HelpRow(section: "General", keys: "?", help: "Toggle help"),
            ])
        XCTAssertEqual(keymap.helpRows(unicode: false).first?.keys, "k, Up")
    }

    func testHelpTableRendersFromTheSameBindings() {
        assertLines(
            render(keymap.helpTable(), width: 24, height: 7),
            [
                "Navigation",
                "k, ↑       Move up",
                "j, ↓       Move down",
                "",
                "General",
                "q, Ctrl-C  Quit",
                "?          Toggle help",
            ])
    }

    func testHintsSpellTheKeysOfTheirCommands() {
        let arrows = KeyMap<Cmd>([
            KeyBinding([.left], .up, help: ""), KeyBinding([.right, .char("l")], .down, help: ""),
            KeyBinding([.char("?"), .escape], .help, help: ""),
        ])
        XCTAssertEqual(keymap.keyText(of: KeyHint([.down, .up], "next/prev")), "j/k")
        XCTAssertEqual(keymap.keyText(of: KeyHint([.quit], "quit")), "q", "a binding's first key")
        XCTAssertEqual(arrows.keyText(of: KeyHint([.up, .down], "page")), "←→")
        XCTAssertEqual(arrows.keyText(of: KeyHint([.up, .down], "page"), unicode: false), "left/right")
        XCTAssertEqual(arrows.keyText(of: KeyHint([.help], "closes", allKeys: true)), "? or Esc")
        XCTAssertNil(arrows.keyText(of: KeyHint([.quit], "quit")), "unbound")
        XCTAssertEqual(
            arrows.text(of: [KeyHint([.quit], "quit"), KeyHint([.help], "help")]).map(\.keys), ["?"], "unbound hints are left out")
    }

    func testDuplicateKeysAreReportedAndFirstWins() {
        var km = keymap
        km.add(KeyBinding([.char("q")], .help, help: "Oops"))
        XCTAssertEqual(km.duplicateKeys, [.char("q")])
        XCTAssertEqual(km.command(for: .char("q")), .quit)
    }

    func testCursesCharacterDecoding() {
        XCTAssertEqual(NCursesBackend.decodeCharacter(0x1B), .escape)
        XCTAssertEqual(NCursesBackend.decodeCharacter(0x0D), .enter)
        XCTAssertEqual(NCursesBackend.decodeCharacter(0x09), .tab)
        XCTAssertEqual(NCursesBackend.decodeCharacter(0x7F), .backspace)
        XCTAssertEqual(NCursesBackend.decodeCharacter(0x03), .ctrl("c"))
        XCTAssertEqual(NCursesBackend.decodeCharacter(0x61), .char("a"))
        XCTAssertEqual(NCursesBackend.decodeCharacter(0x4E16), .char("世"))
    }

    func testGlyphSetDetection() {
        XCTAssertEqual(GlyphSet.detect(environment: ["LANG": "en_US.UTF-8"]), .unicode)
        XCTAssertEqual(GlyphSet.detect(environment: ["LC_ALL": "C", "LANG": "en_US.UTF-8"]), .ascii)
        XCTAssertEqual(GlyphSet.detect(environment: ["LC_CTYPE": "de_DE.utf8"]), .unicode)
        XCTAssertEqual(GlyphSet.detect(environment: [:]), .ascii)
    }
}
