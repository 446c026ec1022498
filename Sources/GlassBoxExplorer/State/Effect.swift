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
}
