import GlassBoxCore
import GlassBoxTUI
import GlassBoxTestSupport
import XCTest
@testable import GlassBoxExplorer

/// Every view of round two on whole screens — 80×24 (the reference) and 200×60 — in every
/// theme: 256 colors, 8 colors, NO_COLOR, and ASCII. The screens are what the terminal would
/// show (`TestBackend` receives the cells already downgraded to its colors).
final class ScreenTests: XCTestCase {
    struct Setup {
        var name: String
        var glyphs: GlyphSet
        var capability: ColorCapability
    }

    static let setups = [
        Setup(name: "256", glyphs: .unicode, capability: .indexed256),
        Setup(name: "8 colors", glyphs: .unicode, capability: .basic8),
        Setup(name: "NO_COLOR", glyphs: .unicode, capability: .none),
        Setup(name: "ASCII", glyphs: .ascii, capability: .none),
    ]

    /// Ten groups with long, similar names, as pbmc's.
    static let labels = [
        "CD14+ Monocyte", "Dendritic", "CD56+ NK", "CD4+/CD25 T Reg", "CD19+ B", "CD8+ Cytotoxic T",
        "CD4+/CD45RO+ Memory", "CD8+/CD45RA+ Naive Cytotoxic", "CD4+/CD45RA+/CD25- Naive T", "CD34+",
    ]

    /// A finished session (the background pass done) in an app on a `width`×`height` backend.
    func app(_ setup: Setup, width: Int, height: Int, outputs: Int = 2) throws -> (ExplorerApp<TestBackend>, TestBackend) {
        let session = try Fixtures.session(samples: 60, features: 40, pca: 4, outputs: outputs, groups: Self.labels)
        let backend = TestBackend(width: width, height: height, colorCapability: setup.capability)
        let app = ExplorerApp(
            backend: backend, session: session, theme: Theme(glyphs: setup.glyphs, capability: setup.capability),
            background: true, threads: 1)
        app.draw()
        app.awaitBackgroundPass()
        return (app, backend)
    }

    func chars(_ s: String) -> [Key] { s.map { .char($0) } }

    /// What every screen must be in a theme: ASCII text without UTF-8, no color the
    /// terminal lacks, nothing past the right edge.
    func checkTheme(_ backend: TestBackend, _ setup: Setup, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let lines = backend.lines()
        if !setup.glyphs.isUnicode {
            for (i, l) in lines.enumerated() where !l.allSatisfy(\.isASCII) {
                XCTFail("\(setup.name) \(what): line \(i) isn't ASCII: \(l)", file: file, line: line)
            }
        }
        let basic: Set<Color> = [.default, .black, .red, .green, .yellow, .blue, .magenta, .cyan, .white]
        for cell in backend.screen.content {
            switch setup.capability {
            case .none:
                if cell.style.fg != nil || cell.style.bg != nil {
                    return XCTFail("\(setup.name) \(what): a colored cell \(cell)", file: file, line: line)
                }
            case .basic8:
                if let fg = cell.style.fg, !basic.contains(fg) { return XCTFail("\(what): fg \(fg) on 8 colors", file: file, line: line) }
                if let bg = cell.style.bg, !basic.contains(bg) { return XCTFail("\(what): bg \(bg) on 8 colors", file: file, line: line) }
            case .indexed256:
                break
            }
        }
    }

    func testEveryViewAtTheReferenceSizeAndLargeInEveryTheme() throws {
        for setup in Self.setups {
            for (width, height) in [(80, 24), (200, 60)] {
                let (app, backend) = try app(setup, width: width, height: height)
                let what = "\(setup.name) \(width)×\(height)"
                func screen() -> [String] { backend.lines() }
                func check(_ view: String, _ needles: [String]) {
                    checkTheme(backend, setup, "\(what) \(view)")
                    let text = screen()
                    for n in needles { XCTAssertTrue(text.containsText(n), "\(what) \(view): no '\(n)'\n" + text.joined(separator: "\n")) }
                }
                let sigma = setup.glyphs.isUnicode ? "Σ" : "sum"
                let minus = setup.glyphs.isUnicode ? "−" : "-"
                check("sample", ["row 0 of 0", "x\(minus)\(setup.glyphs.isUnicode ? "μ" : "mu")", "features"])

                // At 80×24 the panel itemizes some of the 40 features and adds up the rest.
                let rest = width == 80 ? ["rest ("] : []
                app.press([.char("z")])
                check("waterfall", ["Waterfall", "\(sigma) = z1", "error"] + rest)
                app.press([.char("v")])

                app.press([.char("m"), .char("j")])
                check("compare", ["A  s1", "B  s2", "\(setup.glyphs.isUnicode ? "Δ" : "d")z  ", "error"])
                app.press([.char("z")])
                check("compare waterfall", ["Waterfall", "\(sigma) = \(setup.glyphs.isUnicode ? "Δ" : "d")z1"])
                app.press([.char("v"), .char("m")])

                app.press([.char("s"), .enter])
                check("selection", ["group CD14+ Monocyte", "6 samples", "all CD14+ Monocyte", "mean over all 6 selected"])
                app.press([.char("d")])
                check("vs rest", ["vs the rest: 54 samples"])
                app.press([.char("z")])
                check("selection waterfall", ["mean z1"] + rest)
                app.press([.char("v"), .char("a"), .enter, .char("A")])
                check("kept", ["Kept selections", "CD14+ Monocyte", "(shown)"])
                app.press([.escape])

                app.press([.char("b")])
                check("box", ["narrower/wider", "taller/shorter"])
                app.press([.escape, .char("f")])
                check("lasso", ["Enter closes"])
                app.press([.char(" "), .right, .right, .right, .char(" "), .up, .up, .up, .char(" "), .enter])
                check("lasso selected", ["corners"])
                app.press([.escape])

                app.press([.char("g")] + chars("s1"))
                check("finder", ["samples", "s1 ", "row 0"])
                app.press([.escape, .char("r")])
                check("report", ["relative_error", "Worst samples"])
                app.press([.escape, .char("o")])
                check("overview", ["Groups", "CD14+ Monocyte"])
                app.press([.escape, .char("?")])
                check("help", ["Keys", "Rows are 0-based"])
                app.press([.escape])
                app.stopBackground()
            }
        }
    }

    /// The box's resize keys stay in the status line at every width, even while the pass's
    /// progress is shown.
    func testBoxHintsShowAtEveryWidth() throws {
        let session = try Fixtures.session(samples: 60, features: 14, pca: 4, groups: Self.labels)
        for width in [60, 70, 80, 120, 200] {
            let backend = TestBackend(width: width, height: 24)
            let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: false)
            app.press([.char("b")])
            let status = backend.lines()[23]
            XCTAssertTrue(status.contains("h/l narrower/wider") && status.contains("j/k taller/shorter"), "\(width): \(status)")
        }
    }

    /// pbmc's ten groups at 80×24 showed two; now three rows and the rest a key away.
    func testTheLegendPagesToTheHighlightedGroup() throws {
        let (app, backend) = try app(Self.setups[0], width: 80, height: 24)
        func legendText() -> String { backend.lines()[19..<22].joined(separator: "\n") }
        XCTAssertTrue(legendText().contains("CD14+ Monocyte"))
        XCTAssertTrue(legendText().contains("rows [ ]"), legendText())
        for _ in 0..<9 { app.press([.char("]")]) }
        XCTAssertEqual(app.state.spotlight, 8)
        XCTAssertTrue(legendText().contains("▸"), legendText())
        XCTAssertTrue(legendText().contains("5- Naive T"), "the page with the highlighted group: \(legendText())")
        app.press([.escape])
        XCTAssertNil(app.state.spotlight)
        app.stopBackground()
    }

    /// The help's first line wraps at 80×24 instead of running off the popup.
    func testHelpWrapsAtTheReferenceSize() throws {
        let session = try Fixtures.session(samples: 20, features: 8, pca: nil)
        let backend = TestBackend(width: 80, height: 24)
        let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: false)
        app.press([.char("?")])
        let text = backend.lines()
        XCTAssertTrue(text[2].contains("Each feature's contribution C[j,f] = J[j,f]·(x[f] − μ[f])"), text[2])
        XCTAssertFalse(text[2].contains("…"), "wrapped, not cut")
        XCTAssertTrue(text[3].contains("coordinate z_j"), text[3])
    }

    func testThreeComponentModelsColorByZ3AndSayWhereItIs() throws {
        let (app, backend) = try app(Self.setups[0], width: 120, height: 40, outputs: 3)
        XCTAssertTrue(backend.lines()[0].contains("z3: c or x/y"), backend.lines()[0])
        // The sample's z shows all three coordinates.
        let zLine = try XCTUnwrap(backend.lines().first { $0.contains("│z ") }).split(separator: "│")[1]
        XCTAssertEqual(zLine.split(separator: " ").filter { Double($0) != nil }.count, 3, String(zLine))
        var modes: [ColorMode] = []
        for _ in 0..<5 {
            app.press([.char("c")])
            modes.append(app.state.colorMode)
        }
        XCTAssertTrue(modes.contains(.coordinate))
        while app.state.colorMode != .coordinate { app.press([.char("c")]) }
        XCTAssertTrue(backend.lines()[0].contains("color: z3"), backend.lines()[0])
        app.press([.char("x")])
        XCTAssertTrue(backend.lines()[0].contains("z3 × z2 · color: z1"), "the hidden coordinate follows the axes: \(backend.lines()[0])")
        app.stopBackground()
    }
}
