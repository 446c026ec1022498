#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GlassBoxCore
import GlassBoxTUI

/// Why the explorer couldn't run (besides unusable inputs, which are `InputError`s).
public enum ExplorerError: Error, CustomStringConvertible {
    case notATerminal
    /// `TERM` unset, unknown, or a terminal that can't move the cursor (`dumb`).
    case unusableTerminal(NCursesError)
    case terminal(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "the explorer needs an interactive terminal (stdin and stdout must be a TTY); use 'glassbox verify' for a text report"
        case .unusableTerminal(let problem):
            return "\(problem), and the explorer draws on the whole screen: set TERM to your terminal's type "
                + "(e.g. export TERM=xterm-256color), or use 'glassbox export' to write the contributions to files "
                + "('glassbox verify' prints a text report)"
        case .terminal(let why):
            return why
        }
    }
}

/// `glassbox explore` from start to exit: read the inputs, take over the terminal, run the
/// main loop, give the terminal back.
///
/// Loading starts at once on a background thread. If the model and data are read within
/// `inputGrace` (the common case — and every header, column or model mismatch is found in the
/// first milliseconds), bad inputs are reported before the screen is touched; a larger file
/// keeps loading behind the loading screen, which is up well within 100 ms of start, and an
/// error found deep inside it is printed after the terminal is restored. Either way the exit
/// status is 2.
public enum ExplorerLauncher {
    public struct Options: Sendable {
        public var mouse: Bool
        public var threads: Int?
        /// How long to wait for the inputs before showing the loading screen.
        public var inputGrace: Double
        /// The verification report's bound on relative_error.
        public var tolerance: Double = 1e-4

        public init(mouse: Bool = true, threads: Int? = nil, inputGrace: Double = 0.06, tolerance: Double = 1e-4) {
            self.tolerance = tolerance
            self.mouse = mouse
            self.threads = threads
            self.inputGrace = inputGrace
        }
    }

    /// Runs the explorer; returns after the user quits. Throws `InputError` for unusable
    /// inputs and `ExplorerError` when there is no usable terminal.
    public static func run(_ inputs: ExplorerInputs, options: Options = Options()) throws {
        let loader = ExplorerLoader(inputs: inputs)
        let interactive = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        // Refused before curses touches the screen: `newterm` already switches to the
        // alternate screen, and on a dumb terminal would leave it blank.
        let unusable = interactive ? NCursesBackend.problem() : nil
        if !interactive || unusable != nil {
            // Still check the inputs first: a wrong path matters more than the terminal.
            loader.pauseAfterInputs()
            loader.start()
            loader.waitForInputs(timeout: nil)
            loader.cancel()
            if let error = loader.snapshot.error { throw error }
            throw unusable.map(ExplorerError.unusableTerminal) ?? ExplorerError.notATerminal
        }
        loader.start()
        loader.waitForInputs(timeout: options.inputGrace)
        if let error = loader.snapshot.error { throw error }

        TerminalGuard.captureStderr()
        TerminalGuard.installSignalHandlers()
        let backend: NCursesBackend
        do {
            backend = try NCursesBackend(raw: true, mouse: options.mouse)
        } catch {
            TerminalGuard.removeSignalHandlers()
            TerminalGuard.releaseStderr()
            loader.cancel()
            throw ExplorerError.terminal(String(describing: error))
        }
        let theme = Theme(glyphs: backend.glyphs, capability: backend.colorCapability)
        let app = ExplorerApp(backend: backend, loader: loader, theme: theme, threads: options.threads)
        app.tolerance = options.tolerance
        let outcome = app.run()
        // Ask the background work to stop first, so it winds down while the screen is restored.
        loader.cancel()
        app.background?.cancel()
        backend.restore()
        TerminalGuard.releaseStderr()
        TerminalGuard.removeSignalHandlers()
        app.stopBackground(timeout: 10)
        if case .failed(let error) = outcome { throw error }
    }
}
