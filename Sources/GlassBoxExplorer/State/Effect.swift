/// Work the reducer asks for besides the next state — starting or stopping a computation,
/// reading a column — as values, so tests check them without running them. The main loop
/// hands each to `EffectRunner`; rendering never starts work.
///
/// A new kind of work is a case here, the command that asks for it in the reducer, and its
/// branch in `EffectRunner.run`. Results come back through the data the renderer reads (the
/// store, the selection's computation), not through the state.
public enum Effect: Equatable, Sendable {
    /// Aggregate a selection's contributions in the background (a box, or a label whose sums
    /// the background pass doesn't keep); replaces the previous selection's computation.
    case computeSelection(Selection)
    /// Stop the selection's computation: the selection was cleared.
    case cancelSelection
    /// Fill feature f's ‖C[:, f]‖ column, for coloring by its contribution.
    case requestContributionColumn(Int)
    /// Read feature f's raw values, for coloring by its value.
    case requestValueColumn(Int)
    /// Write what is shown to a CSV file in the working directory (never over another file);
    /// the runner answers with a `notify` naming it.
    case save(SaveRequest)
    /// Put text on the system clipboard (OSC 52), from the thread that draws.
    case copy(CopyRequest)
}

/// What `w` writes: what the screen shows.
public enum SaveRequest: Equatable, Sendable {
    /// The focused sample's full table in a space: every column's contributions and inputs.
    case sample(row: Int, space: FeatureSpace)
    /// A selection: its samples (id, label, z…), and its aggregated features (means per
    /// view, and the difference from what it is set against).
    /// In the sets space, its sets in the place of its features.
    case selection(Selection, versus: Versus?, kept: [KeptSelection], view: SampleView, space: FeatureSpace = .features)
    /// C_B − C_A ranked, with both ids.
    case comparison(a: Int, b: Int, space: FeatureSpace, view: SampleView)
    /// Every sample's reconstruction error and the worst list.
    case verification
    /// Each label's size and top features (top sets in the sets space).
    case groups(space: FeatureSpace = .features)
    /// Every kept selection as one annotation column: `id,annotation`.
    case annotations([KeptSelection])
}

/// What `y` and `Y` copy.
public enum CopyRequest: Equatable, Sendable {
    case id(row: Int)
    case ids(Selection)
}
