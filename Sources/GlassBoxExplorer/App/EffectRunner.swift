import Foundation
import GlassBoxCore
import GlassBoxTUI

/// Runs the reducer's effects on the main loop: the one place, besides loading and quitting,
/// where background work starts or stops, files are written and the clipboard is set. Results
/// arrive in the data the renderer reads (the store, the selection's computation) or, for
/// files and the clipboard, as `notify` commands the main loop reduces (`run` returns those
/// known at once, `finished()` those that ended since).
final class EffectRunner {
    let background: BackgroundComputation?
    let analysis: AnalysisViews
    let explanations: ExplanationCache
    /// Puts text on the clipboard: the backend's, on the thread that draws.
    let clipboard: (String) -> Void
    /// Where `w` writes.
    var directory: URL
    private let queue = DispatchQueue(label: "glassbox.save", qos: .userInitiated)
    private let lock = NSLock()
    private var done: [Command] = []
    private var writing = 0

    init(
        background: BackgroundComputation?, analysis: AnalysisViews, explanations: ExplanationCache,
        directory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath), clipboard: @escaping (String) -> Void
    ) {
        self.background = background
        self.analysis = analysis
        self.explanations = explanations
        self.directory = directory
        self.clipboard = clipboard
    }

    var session: ExplorerSession { analysis.session }

    /// Runs `effects`; returns the feedback known at once.
    @discardableResult
    func run(_ effects: [Effect]) -> [Command] {
        effects.compactMap(run)
    }

    func run(_ effect: Effect) -> Command? {
        switch effect {
        case .computeSelection(let selection):
            analysis.start(selection)
        case .cancelSelection:
            analysis.cancel()
        case .requestContributionColumn(let f):
            background?.requestContributionColumn(f)
        case .requestValueColumn(let f):
            // Without a background pass the renderer reads the column itself (tests).
            background?.requestValueColumn(f)
        case .save(let request):
            switch prepare(request) {
            case .success(let save): return write(save)
            case .failure(let problem): return .notify(problem.message)
            }
        case .copy(let request):
            return copy(request)
        }
        return nil
    }

    /// Feedback from work that ended since the last call (files written).
    func finished() -> [Command] {
        lock.lock()
        defer { lock.unlock() }
        let out = done
        done = []
        return out
    }

    /// Whether a file is being written (the main loop keeps polling for its feedback).
    var isWriting: Bool {
        lock.lock()
        defer { lock.unlock() }
        return writing > 0 || !done.isEmpty
    }

    // MARK: Saving

    struct Problem: Error { var message: StatusMessage }

    /// Gathers what `request` needs from the screen's data, on the main loop.
    func prepare(_ request: SaveRequest) -> Result<ScreenSave, Problem> {
        let ids = session.dataset.ids
        switch request {
        case .sample(let row, let space):
            let e = explanations.explanation(for: row), shown = session.available(space)
            let inputs: ScreenSave.Inputs
            switch shown {
            case .features: inputs = .features(x: session.values(ofSample: row), mean: session.featureMeans)
            case .components: inputs = .components(u: e.encoderInput)
            case .sets: inputs = .sets(sizes: session.featureSets!.sets.map(\.members.count))
            }
            return .success(
                .sample(
                    e, table: explanations.table(for: row, space: shown), id: ids[row], space: shown,
                    names: session.columnNames(shown), inputs: inputs))
        case .selection(let selection, let versus, let kept, let view, let space):
            let space: FeatureSpace = session.available(space) == .sets ? .sets : .features
            let rows = analysis.members(selection)
            guard !rows.isEmpty else {
                return .failure(Problem(message: StatusMessage("the selection holds no samples: nothing to write", isError: true)))
            }
            let own = analysis.sums(selection, space: space)
            let keptName = kept.first { $0.selection == selection }?.name
            let name = keptName.map { "'\($0)'" } ?? analysis.name(of: selection)
            var fileLabel = keptName
            if fileLabel == nil {
                switch selection {
                case .group(let g): fileLabel = session.groups?.labels.categories[g]
                case .box: fileLabel = "box"
                case .lasso: fileLabel = "lasso"
                }
            }
            var scores: AggregateScores?
            if let sums = own.sums, own.complete { scores = AggregateScores(sums) }
            var other: (name: String, scores: AggregateScores)?
            if scores != nil, versus != nil {
                let data = analysis.selectionData(selection, versus: versus, kept: kept, space: space)
                let versusName: String
                switch versus {
                case .kept(let i) where i < kept.count: versusName = kept[i].name
                default: versusName = "rest"
                }
                other = data.contrast.map { (versusName, $0.rest) }
            }
            return .success(
                .selection(
                    name: name, fileLabel: fileLabel, rows: rows, ids: ids, labels: session.dataset.labels, embedding: session.embedding,
                    outputCount: session.outputCount, scores: scores, versus: other, view: view,
                    columnNames: session.columnNames(space), space: space))
        case .comparison(let a, let b, let space, let view):
            let s = session.available(space)
            let ea = analysis.explanation(ofMark: a), eb = explanations.explanation(for: b)
            let contrast = SpaceContrast(from: ea, to: eb, space: s, session: session)
            return .success(
                .comparison(
                    contrast, tables: (session.table(ea, space: s), session.table(eb, space: s)), idA: ids[a], idB: ids[b],
                    space: s, view: view, names: session.columnNames(s)))
        case .verification:
            let report = analysis.report()
            let errors = background?.store.withSummaries { $0.reconstructionError } ?? [Float](repeating: .nan, count: ids.count)
            let nonFinite = background?.store.withSummaries { $0.verification.result.nonFiniteRows } ?? []
            return .success(.verification(errors: errors, worst: report.worst.map(\.row), nonFinite: nonFinite, ids: ids))
        case .groups(let space):
            let space: FeatureSpace = session.available(space) == .sets ? .sets : .features
            return .success(.groups(analysis.groupRows(space: space), noun: space.noun))
        case .annotations(let kept):
            return .success(.annotations(kept.map { ($0.name, analysis.members($0.selection)) }, ids: ids))
        }
    }

    /// Writes off the main loop; says where when done.
    private func write(_ save: ScreenSave) -> Command {
        let directory = self.directory
        lock.lock()
        writing += 1
        lock.unlock()
        queue.async { [self] in
            let message: StatusMessage
            do {
                let names = try ScreenFiles.write(save, in: directory)
                let incomplete = save.stem.hasPrefix("glassbox-selection") && save.files.count == 1
                // The second file is the first's name with its suffix ("-features").
                let also = zip(save.files.dropFirst(), names.dropFirst()).map { " and its \($0.suffix.dropFirst()) (\($1))" }.joined()
                message = StatusMessage(
                    "wrote \(names[0])\(also): \(save.what)"
                        + (incomplete ? "; its features once their means are computed: w again" : ""))
            } catch {
                message = StatusMessage("could not write \(save.what) in \(directory.path): \(error.localizedDescription)", isError: true)
            }
            lock.lock()
            writing -= 1
            done.append(.notify(message))
            lock.unlock()
        }
        return .notify(StatusMessage("writing \(save.what)…"))
    }

    // MARK: Clipboard

    private func copy(_ request: CopyRequest) -> Command {
        let text: String
        let what: String
        switch request {
        case .id(let row):
            text = session.dataset.ids[row]
            what = "'\(text)'"
        case .ids(let selection):
            let rows = analysis.members(selection)
            text = rows.map { session.dataset.ids[Int($0)] }.joined(separator: "\n")
            what = "\(Format.count(rows.count)) ids, one per line"
        }
        guard text.utf8.count <= Clipboard.limit else {
            return .notify(
                StatusMessage(
                    "\(what) take \(text.utf8.count / 1000) KB, more than terminals accept at once "
                        + "(\(Clipboard.limit / 1000) KB): w writes them to a file", isError: true))
        }
        clipboard(text)
        return .notify(StatusMessage("copied \(what) to the clipboard (OSC 52; in tmux: set -s set-clipboard on)"))
    }
}
