import GlassBoxCore
import GlassBoxTUI
import GlassBoxTestSupport
import XCTest
@testable import GlassBoxExplorer

/// The whole main loop against `TestBackend`: scripted keys in, screen text out.
final class AppLoopTests: XCTestCase {
    func keys(_ s: String) -> [InputEvent] { s.map { .key(.char($0)) } }

    func testScriptedSession() throws {
        let session = try Fixtures.session(samples: 40, features: 12, pca: 4)
        let backend = TestBackend(width: 120, height: 36)
        let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: false)
        app.draw()
        var screen = backend.lines()
        XCTAssertTrue(screen[0].contains("Embedding z1 × z2 · color: kind"))
        XCTAssertTrue(screen.containsText("s1 "))
        XCTAssertTrue(screen.containsText("row 0 of 0–39"))
        XCTAssertTrue(screen.containsText("label  alpha"))
        XCTAssertTrue(screen.containsText("Contributions"), screen.joined(separator: "\n"))
        XCTAssertTrue(screen.containsText("L2    x−μ      x"), "the value and input columns' titles")
        XCTAssertTrue(screen.containsText("1–12 of 12 features"))
        XCTAssertTrue(screen[35].hasPrefix(" Embedding "))

        app.handle(.key(.char("j")))
        app.handle(.key(.char("v")))
        app.draw()
        screen = backend.lines()
        XCTAssertTrue(screen.containsText("row 1 of 0–39"))
        XCTAssertTrue(screen.containsText("label  beta"))
        XCTAssertTrue(screen.containsText("share"))

        app.handle(.key(.char("n")))
        app.draw()
        XCTAssertTrue(backend.lines().containsText("row 4 of 0–39"), "the next beta")

        for e in [InputEvent.key(.char("/"))] + keys("gene1") { app.handle(e) }
        app.draw()
        screen = backend.lines()
        XCTAssertTrue(screen.containsText("/ gene1"))
        XCTAssertTrue(screen.containsText("3 matches"), "gene1, gene10, gene11")
        XCTAssertEqual(backend.cursor, Position(x: 8, y: 35))
        app.handle(.key(.enter))
        app.draw()
        screen = backend.lines()
        XCTAssertTrue(screen[0].contains("color: gene1 contribution"))
        XCTAssertTrue(screen.containsText("‖C[:, gene1]‖"))
        XCTAssertNil(backend.cursor)

        app.handle(.key(.char("c")))
        app.handle(.key(.char("c")))
        app.draw()
        XCTAssertTrue(backend.lines()[0].contains("color: gene1 value"))

        app.handle(.key(.char("p")))
        app.handle(.key(.tab))
        app.draw()
        screen = backend.lines()
        XCTAssertTrue(screen.containsText("PCA components"))
        XCTAssertTrue(screen.containsText("PC1"), screen.joined(separator: "\n"))
        XCTAssertTrue(screen[35].hasPrefix(" Sample "), screen[35])

        app.handle(.key(.char("?")))
        app.draw()
        XCTAssertTrue(backend.lines().containsText("next sample (file order)"))
        app.handle(.key(.escape))
        app.draw()
        XCTAssertFalse(backend.lines().containsText("next sample (file order)"))

        app.handle(.key(.char("g")))
        for e in keys("s30") { app.handle(e) }
        app.handle(.key(.enter))
        app.draw()
        XCTAssertTrue(backend.lines().containsText("row 29 of 0–39"))
    }

    /// Keys handled before any frame is drawn — queued behind the first, or typed fast —
    /// page and scroll by the layout of the state they act on, not by an earlier frame's.
    func testKeysBeforeAFrameUseTheLayoutOfTheirState() throws {
        let session = try Fixtures.session(samples: 40, features: 100, pca: 4)
        let backend = TestBackend(width: 120, height: 36)
        let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: false)
        app.handle(.key(.tab))
        app.handle(.key(.pageDown))
        app.draw()
        let screen = backend.lines()
        let firstShown = try XCTUnwrap(screen.firstIndex { $0.contains("Contributions") }) + 1
        let rows = try XCTUnwrap(screen.firstIndex { $0.contains("of 100 ") }) - firstShown
        XCTAssertGreaterThan(rows, 1)
        XCTAssertEqual(app.state.barOffset, rows, "one page: as many features as the panel shows")
        XCTAssertTrue(screen.containsText("\(rows + 1)–\(2 * rows) of 100"), screen.joined(separator: "\n"))

        app.handle(.key(.char("?")))
        app.handle(.key(.char("j")))
        XCTAssertEqual(app.state.help, 1, "the help scrolls before it was ever drawn")
    }

    func testTheReportJumpsToTheWorstSampleBeforeItWasDrawn() throws {
        let session = try Fixtures.session(samples: 300, features: 12, pca: 4)
        let app = ExplorerApp(backend: TestBackend(width: 120, height: 36), session: session, theme: Theme(), background: true, threads: 1)
        app.draw()
        let store = try XCTUnwrap(app.background?.store)
        let deadline = Date(timeIntervalSinceNow: 60)
        while store.progress.phase != .finished && Date() < deadline { usleep(1000) }
        let worst = store.withSummaries { s in (0..<300).max { s.reconstructionError[$0] < s.reconstructionError[$1] }! }
        app.handle(.key(.char("r")))
        app.handle(.key(.enter))
        XCTAssertEqual(app.state.sample, worst)
        XCTAssertNil(app.state.overlay)
        app.stopBackground()
    }

    func testRunEndsOnQAndRedrawsOnlyWhatChanged() throws {
        let session = try Fixtures.session()
        let backend = TestBackend(width: 100, height: 30)
        backend.enqueue([.key(.char("j")), .key(.char("q"))])
        let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: false)
        guard case .quit = app.run(pollMs: 0, idleTicks: 50) else { return XCTFail("quits") }
        XCTAssertTrue(app.state.shouldQuit)
        XCTAssertEqual(app.state.sample, 1)
        XCTAssertEqual(backend.cellsWrittenPerFrame.first, 3000, "the first frame is drawn in full")
    }

    func testKeyRepeatIsCoalescedIntoOneFrame() throws {
        let session = try Fixtures.session()
        let backend = TestBackend(width: 100, height: 30)
        backend.enqueue(Array(repeating: .key(.char("j")), count: 5) + [.tick])
        let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: false)
        _ = app.run(pollMs: 0, idleTicks: 3)
        XCTAssertEqual(app.state.sample, 5)
        XCTAssertEqual(backend.flushCount, 2, "the first frame, then one for the five keys")
    }

    func testResizeBelowTheMinimumAndBack() throws {
        let session = try Fixtures.session()
        let backend = TestBackend(width: 100, height: 30)
        let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: false)
        app.draw()
        backend.resize(width: 50, height: 12)
        app.handle(.resize)
        app.draw()
        XCTAssertTrue(backend.lines().containsText("Terminal too small"))
        XCTAssertTrue(backend.lines().containsText("50×12, need 60×16"))
        backend.resize(width: 64, height: 20)
        app.draw()
        XCTAssertTrue(backend.lines()[0].contains("Embedding"))
    }

    func testQuittingWhileContributionsComputeCancelsCleanly() throws {
        let session = try Fixtures.session(samples: 20_000, features: 300, pca: 20)
        let backend = TestBackend(width: 100, height: 30)
        backend.enqueue([.key(.char("c")), .key(.char("q"))])
        let app = ExplorerApp(backend: backend, session: session, theme: Theme(), background: true, threads: 1)
        _ = app.run(pollMs: 0, idleTicks: 10)
        XCTAssertTrue(app.stopBackground(timeout: 10), "stops within a chunk")
        let phase = app.background!.store.progress.phase
        XCTAssertTrue(phase == .cancelled || phase == .finished, "\(phase)")
    }

    func testLoadingScreenThenExplorer() throws {
        let model = try Fixtures.model(features: 12, pca: 4)
        let data = Fixtures.dataset(samples: 30, features: 12)
        let gate = DispatchSemaphore(value: 0)
        let loader = ExplorerLoader(
            inputs: ExplorerInputs(
                modelPath: "m.pt", dataPath: "d.csv",
                loadModel: { model },
                loadData: { _, _ in
                    gate.wait(); return data
                }))
        loader.start()
        let backend = TestBackend(width: 100, height: 30)
        let app = ExplorerApp(backend: backend, loader: loader, theme: Theme())
        app.draw()
        XCTAssertTrue(backend.lines().containsText("Loading the Glass Box UMAP explorer"))
        XCTAssertTrue(backend.lines().containsText("q quits"))
        gate.signal()
        // TestBackend never waits for input, so give the loader time before the idle loop.
        let deadline = Date(timeIntervalSinceNow: 30)
        while loader.session == nil && Date() < deadline { usleep(1000) }
        _ = app.run(pollMs: 0, idleTicks: 2)
        XCTAssertTrue(backend.lines()[0].contains("Embedding"))
        app.stopBackground()
    }

    func testLoadingFailureEndsTheLoop() {
        let loader = ExplorerLoader(
            inputs: ExplorerInputs(
                modelPath: "m.pt", dataPath: "d.csv",
                loadModel: { throw InputError(file: "m.pt", message: "no such file") },
                loadData: { _, _ in fatalError() }))
        loader.start()
        XCTAssertTrue(loader.waitForInputs(timeout: 5))
        let app = ExplorerApp(backend: TestBackend(width: 80, height: 24), loader: loader, theme: Theme())
        guard case .failed(let error) = app.run(pollMs: 1, idleTicks: 100) else { return XCTFail("fails") }
        XCTAssertEqual((error as? InputError)?.description, "m.pt: no such file")
    }
}
