import GlassBoxCore
import GlassBoxTUI

/// The read-only data the reducer consults: sizes, ids, groups, the spatial index of the
/// shown axes, and the layout of the frame the command acts on.
public struct ExplorerContext {
    public var sampleCount: Int
    public var outputCount: Int
    /// PCA components k, nil without PCA.
    public var componentCount: Int?
    /// Feature sets with the remainder, nil without `--feature-sets`.
    public var setCount: Int?
    /// `--feature-sets` (the remainder last), and the search of their names for `/` in the
    /// sets space.
    public var featureSets: FeatureSets?
    public var setSearch: FeatureSearch?
    public var setNames: [String] { featureSets?.names ?? [] }
    public var featureCount: Int
    public var ids: [String]
    public var search: FeatureSearch
    /// `g`: ids found as typed.
    public var samples: SampleSearch
    public var featureNames: [String]
    public var groups: GroupIndex?
    /// Built on the axes currently shown (nil while it is being rebuilt).
    public var spatial: SpatialIndex?
    public var layout: FrameLayout
    /// The feature the feature color modes start with (the globally most important one).
    public var defaultFeature: Int
    /// The samples the open popup lists, in order (the verification report's worst): its
    /// list moves over them and Enter goes to one.
    public var listedRows: [Int]
    /// Categories of the coloring shown (groups, top features), for `[` `]`.
    public var categoryCount: Int
    /// Whether the terminal can't color every category: one is always highlighted then.
    public var spotlightForced: Bool

    public init(
        sampleCount: Int, outputCount: Int, componentCount: Int?, featureSets: FeatureSets? = nil, setSearch: FeatureSearch? = nil,
        featureNames: [String], ids: [String],
        search: FeatureSearch? = nil, samples: SampleSearch? = nil, groups: GroupIndex?, spatial: SpatialIndex?,
        layout: FrameLayout = FrameLayout(), defaultFeature: Int = 0, listedRows: [Int] = [],
        categoryCount: Int = 0, spotlightForced: Bool = false
    ) {
        self.sampleCount = sampleCount
        self.outputCount = outputCount
        self.componentCount = componentCount
        self.setCount = featureSets?.count
        self.featureSets = featureSets
        self.setSearch = featureSets.map { setSearch ?? FeatureSearch(names: $0.names) }
        self.featureCount = featureNames.count
        self.featureNames = featureNames
        self.ids = ids
        self.search = search ?? FeatureSearch(names: featureNames)
        self.samples = samples ?? SampleSearch(ids: ids)
        self.groups = groups
        self.spatial = spatial
        self.layout = layout
        self.defaultFeature = defaultFeature
        self.listedRows = listedRows
        self.categoryCount = categoryCount
        self.spotlightForced = spotlightForced
    }

    /// The spaces `p` cycles through, in `FeatureSpace` order.
    public var spaces: [FeatureSpace] {
        FeatureSpace.allCases.filter {
            switch $0 {
            case .features: return true
            case .components: return componentCount != nil
            case .sets: return setCount != nil
            }
        }
    }

    /// Columns in a space.
    func columnCount(_ space: FeatureSpace) -> Int {
        switch space {
        case .features: return featureCount
        case .components: return componentCount ?? 0
        case .sets: return setCount ?? 0
        }
    }

    /// What `/` finds in the space shown: set names in the sets space, else feature names.
    func search(in space: FeatureSpace) -> FeatureSearch {
        space == .sets ? (setSearch ?? search) : search
    }

    /// Bars in the sample panel's current space.
    func barCount(_ state: ExplorerState) -> Int {
        columnCount(state.space)
    }

    /// Bars per page (at least 1).
    var pageSize: Int { max(1, layout.bars.height) }
}
