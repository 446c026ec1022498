import GlassBoxCore

/// Runs the reducer's effects on the main loop: the one place, besides loading and quitting,
/// where background work starts or stops. Results arrive in the data the renderer reads (the
/// store, the selection's computation), and a frame follows when they change.
final class EffectRunner {
    let background: BackgroundComputation?
    let analysis: AnalysisViews

    init(background: BackgroundComputation?, analysis: AnalysisViews) {
        self.background = background
        self.analysis = analysis
    }

    func run(_ effects: [Effect]) {
        for effect in effects { run(effect) }
    }

    func run(_ effect: Effect) {
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
        }
    }
}
