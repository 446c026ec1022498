import GlassBoxCore

/// Panels that can hold keyboard focus; Tab cycles through them in this order. (The analysis
/// views show in the sample panel's place or as popups, so they add no panel.)
public enum Panel: Int, CaseIterable, Equatable, Sendable {
    case embedding
    case sample

    public var title: String {
        switch self {
        case .embedding: return "Embedding"
        case .sample: return "Sample"
        }
    }
}

/// What colors the scatter (`c` cycles).
public enum ColorMode: Int, CaseIterable, Equatable, Sendable {
    /// The group label (`--label-column`).
    case group
    /// One feature's contribution, ‖C[:, f]‖₂ (the feature chosen with `/`).
    case contribution
    /// Each sample's most important feature.
    case topFeature
    /// One feature's raw value x[f].
    case value
    /// An embedding coordinate the axes don't show (z3 of a 3-component model).
    case coordinate

    /// Whether the mode shows one chosen feature.
    public var usesFeature: Bool { self == .contribution || self == .value }

    /// Whether the mode colors by categories (groups, top features): `[` `]` spotlight one.
    public var isCategorical: Bool { self == .group || self == .topFeature }

    public var title: String {
        switch self {
        case .group: return "group"
        case .contribution: return "contribution"
        case .topFeature: return "top feature"
        case .value: return "value"
        case .coordinate: return "coordinate"
        }
    }
}

/// How the panels rank and draw contributions (`v` cycles the first three; `z` shows the
/// waterfall).
public enum SampleView: Hashable, Sendable {
    /// ‖C[:, f]‖₂.
    case l2
    /// L2 as a share of the sample's total.
    case share
    /// Signed contribution to one embedding dimension (0-based), diverging bars.
    case dimension(Int)
    /// How the signed contributions to dimension j add up to z_j: the largest ones, then the
    /// rest in one step, and the total.
    case waterfall(Int)

    public var contributionView: ContributionView {
        switch self {
        case .l2: return .l2
        case .share: return .normedL2
        case .dimension(let j), .waterfall(let j): return .component(j)
        }
    }

    public var isSigned: Bool {
        switch self {
        case .dimension, .waterfall: return true
        case .l2, .share: return false
        }
    }

    /// The dimension of a waterfall, nil for other views.
    public var waterfallDimension: Int? {
        if case .waterfall(let j) = self { return j }
        return nil
    }

    /// The next view in the cycle L2 → share → dimension 1 … m → L2 (a waterfall goes back to L2).
    public func next(outputCount m: Int) -> SampleView {
        switch self {
        case .l2: return .share
        case .share: return .dimension(0)
        case .dimension(let j): return j + 1 < m ? .dimension(j + 1) : .l2
        case .waterfall: return .l2
        }
    }
}

/// Which columns the panels explain: the model's input features (genes), or — with a PCA
/// model — the PCA components the encoder sees (`J_pca ⊙ u`), or — with `--feature-sets` —
/// the sets (Σ_{f∈S} C[:, f], the remainder "(not in any set)" last). `p` cycles through the
/// spaces the session has (`ExplorerContext.spaces`), in this order.
public enum FeatureSpace: Int, CaseIterable, Equatable, Sendable {
    case features
    case components
    case sets

    /// "features", "PCA components", "sets": how headings name the columns.
    public var title: String {
        switch self {
        case .features: return "features"
        case .components: return "PCA components"
        case .sets: return "sets"
        }
    }

    /// What a column of the space is called in one word ("feature", "component", "set").
    public var noun: String {
        switch self {
        case .features: return "feature"
        case .components: return "component"
        case .sets: return "set"
        }
    }
}

/// The two embedding dimensions shown (0-based).
public struct AxisPair: Equatable, Sendable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// A one-line text field (search, find a sample, a name).
public struct TextInput: Equatable, Sendable {
    public var text: String
    /// Highlighted row of the match list (search, find a sample).
    public var selection: Int

    public init(_ text: String = "", selection: Int = 0) {
        self.text = text
        self.selection = selection
    }
}

/// Whether keys go to commands or to a text field.
public enum InputMode: Equatable, Sendable {
    case normal
    /// `/`: incremental feature-name search.
    case search(TextInput)
    /// `g`: find a sample by id (fuzzy) or row.
    case goto(TextInput)
    /// `a`: the name to keep the selection under (prefilled with a default).
    case name(TextInput)

    public var isNormal: Bool { self == .normal }
}

/// Feedback shown in the status line until the next key.
public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// Everything the user can change, as a value: the reducer maps (state, command) to the next
/// state, so navigation is tested without a terminal. Data (the embedding, contributions)
/// lives elsewhere; this holds only choices and positions.
public struct ExplorerState: Equatable, Sendable {
    public var focus: Panel = .embedding
    /// The focused sample's row (0-based, file order).
    public var sample: Int = 0
    public var axes = AxisPair(x: 0, y: 1)
    public var colorMode: ColorMode
    /// The feature the feature color modes show.
    public var colorFeature: Int?
    /// The feature picked with `/`, highlighted in the bars.
    public var highlightedFeature: Int?
    /// The set picked with `/` in the sets space (or clicked): highlighted in the bars, listed
    /// by Enter, and — in the contribution color mode — what colors the scatter.
    public var highlightedSet: Int?
    /// The set the contribution color mode shows instead of `colorFeature` (nil: the feature).
    public var colorSet: Int?
    public var view: SampleView = .l2
    public var space: FeatureSpace = .features
    /// First bar shown (rank in the current view).
    public var barOffset = 0
    /// 1 shows the whole embedding; larger values zoom in around the focused sample.
    public var zoom: Double = 1
    public var input: InputMode = .normal
    /// The help overlay's scroll offset, nil when hidden.
    public var help: Int?
    public var message: StatusMessage?
    public var shouldQuit = false
    /// The samples the selection panel aggregates (`s`, `b`, `f`, a mouse drag); Esc clears.
    public var selection: Selection?
    /// What the selection is set against: every other sample (`d`) or a kept selection (the
    /// kept list's `d`); nil shows its own top features.
    public var versus: Versus?
    /// Selections kept under a name (`a`), in the order kept: recalled, compared and written
    /// as annotations from the kept list (`A`).
    public var kept: [KeptSelection] = []
    /// The category the scatter highlights (`[` `]`) in the group and top-feature colorings;
    /// nil highlights none, unless the terminal can't color every category (then the first).
    public var spotlight: Int?
    /// Sample A of the compare panel (`m`); the focused sample is B.
    public var mark: Int?
    /// An open analysis popup, or the box or lasso being drawn.
    public var overlay: AnalysisOverlay?
    /// Where the left button went down on the scatter (data coordinates), while it is held:
    /// dragging from there draws a lasso.
    public var pointer: DataPoint?

    /// The opening state: first sample, group colors when there are labels.
    public init(hasLabels: Bool) {
        colorMode = hasLabels ? .group : .topFeature
    }
}
