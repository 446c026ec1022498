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

    /// Whether the mode shows one chosen feature.
    public var usesFeature: Bool { self == .contribution || self == .value }

    public var title: String {
        switch self {
        case .group: return "group"
        case .contribution: return "contribution"
        case .topFeature: return "top feature"
        case .value: return "value"
        }
    }
}

/// How the sample panel ranks and draws contributions (`v` cycles).
public enum SampleView: Hashable, Sendable {
    /// ‖C[:, f]‖₂.
    case l2
    /// L2 as a share of the sample's total.
    case share
    /// Signed contribution to one embedding dimension (0-based), diverging bars.
    case dimension(Int)

    public var contributionView: ContributionView {
        switch self {
        case .l2: return .l2
        case .share: return .normedL2
        case .dimension(let j): return .component(j)
        }
    }

    public var isSigned: Bool {
        if case .dimension = self { return true }
        return false
    }

    /// The next view in the cycle L2 → share → dimension 1 … m → L2.
    public func next(outputCount m: Int) -> SampleView {
        switch self {
        case .l2: return .share
        case .share: return .dimension(0)
        case .dimension(let j): return j + 1 < m ? .dimension(j + 1) : .l2
        }
    }
}

/// Which columns the sample panel explains: the model's input features (genes), or — with a
/// PCA model — the PCA components the encoder sees (`J_pca ⊙ u`). `p` toggles.
public enum FeatureSpace: Equatable, Sendable {
    case features
    case components
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

/// A one-line text field (search, go to).
public struct TextInput: Equatable, Sendable {
    public var text: String
    /// Highlighted row of the match list (search).
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
    /// `g`: a row number or a sample id.
    case goto(TextInput)

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
    /// The samples the selection panel aggregates (`s`, `b`); Esc clears.
    public var selection: Selection?
    /// The selection panel shows "selection vs the rest" instead of its top features (`d`).
    public var versusRest = false
    /// Sample A of the compare panel (`m`); the focused sample is B.
    public var mark: Int?
    /// An open analysis popup, or the box being drawn.
    public var overlay: AnalysisOverlay?

    /// The opening state: first sample, group colors when there are labels.
    public init(hasLabels: Bool) {
        colorMode = hasLabels ? .group : .topFeature
    }
}
