import Foundation
import GlassBoxCore
import GlassBoxTUI

/// The main loop, generic over the terminal so tests drive it with `TestBackend`.
///
/// Data flows one way: an event becomes a command (`InputRouter`), the reducer maps (state,
/// command) to the next state and effects, `EffectRunner` starts the work the effects ask
/// for, and each frame is planned (`FrameLayout`) and drawn from the state and the data
/// alone. The reducer reads the layout of the frame its command acts on — the one on screen.
///
/// One thread — the caller's — reads events, reduces them to the next state and draws; it is
/// the only thread that touches the backend. It waits at most `pollMs` for input, so frames
/// follow background progress (capped at 10 per second) while keys are never queued behind
/// work: loading and the contribution pass run on other threads and publish through locks.
public final class ExplorerApp<B: Backend & EventSource> {
    public enum Outcome {
        /// q, Ctrl-C.
        case quit
        /// Loading failed, or reading the data later did (an `InputError` for unusable inputs).
        case failed(any Error)
    }

    public let terminal: Terminal<B>
    public private(set) var state: ExplorerState
    public let theme: Theme
    public let keymap = ExplorerKeyMap.standard

    private let loader: ExplorerLoader?
    private var renderer: ExplorerRenderer?
    private var effects: EffectRunner?
    /// The last frame planned: the state and screen it was planned for, and the plan.
    private var planned: (state: ExplorerState, plan: FramePlan)?
    public private(set) var background: BackgroundComputation?
    private let runsBackground: Bool
    private let threads: Int?
    /// The verification report's pass/fail bound on relative_error (`--tolerance`).
    public var tolerance: Double = 1e-4
    /// Where `w` writes (the working directory).
    public var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath) {
        didSet { effects?.directory = directory }
    }
    private var quitRequested = false
    private var lastDraw = DispatchTime(uptimeNanoseconds: 0)
    private var drawnVersion = -1
    private var drawnLoading: ExplorerLoader.Stage?
    private var drawnEmbedded = -1
    private var drawnAnalysis = -1
    /// Notes from reading the data, shown once the explorer is up.
    private var pendingNotes: [String] = []

    /// Loads in the background behind a loading screen.
    public init(backend: B, loader: ExplorerLoader, theme: Theme, threads: Int? = nil) {
        terminal = Terminal(backend: backend)
        self.loader = loader
        self.theme = theme
        self.threads = threads
        runsBackground = true
        state = ExplorerState(hasLabels: false)
    }

    /// Explores an already loaded session; `background: false` skips the contribution pass
    /// (tests of navigation and rendering).
    public init(backend: B, session: ExplorerSession, theme: Theme, background: Bool = true, threads: Int? = nil) {
        terminal = Terminal(backend: backend)
        loader = nil
        self.theme = theme
        self.threads = threads
        runsBackground = background
        state = ExplorerState(hasLabels: session.groups != nil)
        become(session)
    }

    public var session: ExplorerSession? { renderer?.session }

    private func become(_ session: ExplorerSession) {
        // Started after the first frame (see `draw`), so the scatter doesn't wait for the pilot.
        let bg = runsBackground ? BackgroundComputation(session: session, threads: threads) : nil
        background = bg
        let renderer = ExplorerRenderer(session: session, background: bg, theme: theme, keymap: keymap, tolerance: tolerance)
        self.renderer = renderer
        let backend = terminal.backend
        effects = EffectRunner(
            background: bg, analysis: renderer.analysis, explanations: renderer.explanations,
            directory: directory
        ) { backend.setClipboard($0) }
        state = ExplorerState(hasLabels: session.groups != nil)
        state.axes = AxisPair(x: 0, y: min(1, session.outputCount - 1))  // a 1-d embedding plots z1 against itself
        if let note = pendingNotes.last { state.message = StatusMessage(note) }
    }

    // MARK: Loop

    /// Runs until q / Ctrl-C or a loading failure. `idleTicks` ends the loop after that many
    /// consecutive polls without input (scripted tests).
    public func run(pollMs: Int = 50, idleTicks: Int? = nil) -> Outcome {
        draw()
        var idle = 0
        while true {
            if let outcome = checkLoading() { return outcome }
            // Data read lazily from its file that turned out unreadable (a corrupt chunk).
            if let error = session?.readFailure { return .failed(error) }
            if quitRequested || state.shouldQuit { return .quit }
            // Files written in the background say so.
            let finished = effects?.finished() ?? []
            if !finished.isEmpty {
                finished.forEach(apply)
                draw()
            }
            if let event = terminal.backend.readEvent(timeoutMs: pollMs) {
                idle = 0
                handle(event)
                // Take whatever else is queued (key repeat) before drawing once.
                while !(quitRequested || state.shouldQuit), let more = terminal.backend.readEvent(timeoutMs: 0) {
                    handle(more)
                }
                if quitRequested || state.shouldQuit { return .quit }
                draw()
            } else {
                idle += 1
                if let limit = idleTicks, idle >= limit { return .quit }
                if needsRedraw() { draw() }
            }
        }
    }

    /// Applies one event: the next state, then the work it asks for.
    public func handle(_ event: InputEvent) {
        guard renderer != nil else {
            // Loading: only quitting means anything.
            if case .key(let k) = event, ExplorerKeyMap.loading.command(for: k) == .quit { quitRequested = true }
            return
        }
        guard let command = InputRouter.command(for: event, state: state, keymap: keymap) else { return }
        apply(command)
    }

    /// Reduces one command, runs its effects and reduces the feedback they give at once.
    private func apply(_ command: Command) {
        guard let renderer, let effects else { return }
        let (next, work) = reduce(state, command, renderer.context(for: state, plan: plan(for: state, renderer)))
        state = next
        for feedback in effects.run(work) { apply(feedback) }
    }

    /// Waits up to `timeout` seconds for files being written, and takes their feedback (tests).
    public func waitForWrites(timeout: Double = 10) {
        let deadline = DispatchTime.now() + timeout
        while let effects, effects.isWriting, DispatchTime.now() < deadline {
            let finished = effects.finished()
            finished.forEach(apply)
            if finished.isEmpty { Thread.sleep(forTimeInterval: 0.005) }
        }
    }

    /// The frame `state` shows on the terminal as it is now: the one drawn last when neither
    /// changed since (keys queued behind one frame each get theirs).
    private func plan(for state: ExplorerState, _ renderer: ExplorerRenderer) -> FramePlan {
        let size = terminal.backend.size()
        let screen = Rect(width: size.width, height: size.height)
        if let p = planned, p.state == state, p.plan.layout.screen == screen { return p.plan }
        let plan = renderer.plan(state, screen: screen)
        planned = (state, plan)
        return plan
    }

    /// Renders the current state.
    public func draw() {
        let loading = loader?.snapshot
        // What this frame shows is read before rendering: a change that lands while it renders
        // then still differs from the recorded value and gets its own frame (recording after
        // rendering could leave the last update undrawn for good).
        let version = background?.store.version ?? -1
        let analysisProgress = renderer?.analysis.progress ?? -1
        terminal.draw { frame in
            if let renderer {
                let plan = renderer.plan(state, screen: frame.area)
                planned = (state, plan)
                renderer.render(state, plan, into: &frame)
            } else if let loading {
                if ExplorerLayout(screen: frame.area).isTooSmall && (frame.area.width < 40 || frame.area.height < 10) {
                    frame.render(TooSmallScreen(theme: theme), in: frame.area)
                } else {
                    frame.render(Self.loadingScreen(loading, theme: theme), in: frame.area)
                }
            }
        }
        lastDraw = .now()
        background?.start()
        drawnVersion = version
        drawnLoading = loading?.stage
        drawnEmbedded = loading?.embedded ?? -1
        drawnAnalysis = analysisProgress
    }

    private func needsRedraw() -> Bool {
        let elapsed = DispatchTime.now().uptimeNanoseconds - lastDraw.uptimeNanoseconds
        guard elapsed >= 100_000_000 else { return false }
        if let renderer {
            if let store = background?.store, store.version != drawnVersion { return true }
            if renderer.analysis.progress != drawnAnalysis { return true }
            return renderer.hasStaleColors || renderer.analysis.isComputing || effects?.isWriting == true
        }
        guard let s = loader?.snapshot else { return false }
        // The loading screen's clock ticks too.
        return s.stage != drawnLoading || s.embedded != drawnEmbedded || elapsed >= 250_000_000
    }

    /// Moves from loading to exploring when the session is ready.
    private func checkLoading() -> Outcome? {
        guard renderer == nil, let loader else { return nil }
        let status = loader.snapshot
        if let error = status.error { return .failed(error) }
        guard let session = loader.session else { return nil }
        pendingNotes = status.notes
        become(session)
        draw()
        return nil
    }

    /// Cancels background work and waits up to `timeout` seconds for it to stop.
    @discardableResult
    public func stopBackground(timeout: Double = 5) -> Bool {
        loader?.cancel()
        renderer?.analysis.cancel()
        guard let background else { return true }
        background.cancel()
        return background.wait(timeout: timeout)
    }

    static func loadingScreen(_ s: ExplorerLoader.Status, theme: Theme) -> LoadingScreen {
        func state(_ stage: ExplorerLoader.Stage) -> LoadingScreen.Step.State {
            s.stage > stage ? .done : s.stage == stage ? .running : .waiting
        }
        let size = s.dataBytes.map { " (\(Self.bytes($0)))" } ?? ""
        let steps = [
            LoadingScreen.Step("model", s.modelSummary ?? "reading…", state(.model)),
            LoadingScreen.Step("data", s.dataSummary ?? (s.stage == .data ? "reading\(size)…" : ""), state(.data)),
            LoadingScreen.Step(
                "embedding", s.stage >= .embedding && s.total > 0 ? "\(Format.count(s.embedded)) of \(Format.count(s.total)) samples" : "",
                state(.embedding)),
            LoadingScreen.Step("index", s.stage == .index ? "building…" : "", state(.index)),
        ]
        let fraction: Double? = s.stage == .embedding && s.total > 0 ? Double(s.embedded) / Double(s.total) : nil
        return LoadingScreen(steps: steps, fraction: fraction, elapsed: s.seconds, theme: theme)
    }

    static func bytes(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = Double(n), u = 0
        while v >= 1000 && u < units.count - 1 { v /= 1000; u += 1 }
        return (u == 0 ? "\(n)" : NumberFormat.fixed(v, v < 10 ? 1 : 0)) + " " + units[u]
    }
}
