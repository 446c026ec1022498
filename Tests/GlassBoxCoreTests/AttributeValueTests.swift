import XCTest
@testable import GlassBoxCore

final class AttributeValueTests: XCTestCase {
    /// Strings from a downloaded model are printed by `inspect`: a terminal escape sequence in
    /// them must come out as text, not reach the terminal.
    func testControlCharactersArePrintedEscaped() {
        let hostile = AttributeValue.string("ok\u{1B}]0;pwned\u{07}\nnext")
        XCTAssertEqual(hostile.description, "ok\\u{1b}]0;pwned\\u{7}\\u{a}next")
        XCTAssertEqual(AttributeValue.list([hostile]).description, "['ok\\u{1b}]0;pwned\\u{7}\\u{a}next']")
        XCTAssertEqual(AttributeValue.string("CD14+ Monocyte · é").description, "CD14+ Monocyte · é")
        XCTAssertFalse(hostile.json.contains("\u{1B}"), "JSON escapes control characters too")
    }
}
