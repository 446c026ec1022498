import GlassBoxTUI
import XCTest

/// Names cut to a column never read alike.
final class NameFitTests: XCTestCase {
    func testLongNamesLoseTheirMiddle() {
        XCTAssertEqual(NameFit.cut("mean concavity", to: 11), "mean …avity")
        XCTAssertEqual(NameFit.cut("short", to: 11), "short")
        XCTAssertEqual(NameFit.cut("abcdefghij", to: 3), "a…j")
        XCTAssertEqual(NameFit.cut("abcdefghij", to: 2), "a…", "no room for a middle: the end goes")
        XCTAssertEqual(NameFit.cut("細胞細胞細胞", to: 7), "細…胞", "wide glyphs don't straddle the limit")
    }

    /// "mean concav…" appeared twice for "mean concavity" and "mean concave points".
    func testNamesCutAlikeAreCutElsewhere() {
        let fitted = NameFit.fit(["mean concavity", "mean concave points", "worst concavity", "worst concave points"], width: 12)
        XCTAssertEqual(Set(fitted).count, 4, "\(fitted)")
        for name in fitted { XCTAssertLessThanOrEqual(TextWidth.width(name), 12) }
        // Same head and tail: another split tells them apart.
        let twins = NameFit.fit(["gene-alpha-1", "gene-beta-1"], width: 8)
        XCTAssertEqual(Set(twins).count, 2, "\(twins)")
        // Nothing distinguishes within the width: numbered.
        let hopeless = NameFit.fit(["aaaaaaaaaXb", "aaaaaaaaaYb"], width: 3)
        XCTAssertEqual(Set(hopeless).count, 2, "\(hopeless)")
        // The same name twice reads the same.
        XCTAssertEqual(NameFit.fit(["x", "x"], width: 5), ["x", "x"])
    }
}
