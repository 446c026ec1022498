import GlassBoxCore
import GlassBoxTUI

/// The read-only data the reducer consults: sizes, ids, groups, the spatial index of the
/// shown axes, and the layout of the frame the command acts on.
public struct ExplorerContext {
    public var sampleCount: Int
    public var outputCount: Int
    /// PCA components k, nil without PCA.
    public var componentCount: Int?
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

    public init(sampleCount: Int, outputCount: Int, componentCount: Int?, featureNames: [String], ids: [String],
                search: FeatureSearch? = nil, samples: SampleSearch? = nil, groups: GroupIndex?, spatial: SpatialIndex?,
                layout: FrameLayout = FrameLayout(), defaultFeature: Int = 0, listedRows: [Int] = [],
                categoryCount: Int = 0, spotlightForced: Bool = false) {
        self.sampleCount = sampleCount
        self.outputCount = outputCount
        self.componentCount = componentCount
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
        FeatureSpace.allCases.filter { $0 == .features || ($0 == .components && componentCount != nil) }
    }

    /// Columns in a space.
    func columnCount(_ space: FeatureSpace) -> Int {
        space == .components ? (componentCount ?? 0) : featureCount
    }

    /// Bars in the sample panel's current space.
    func barCount(_ state: ExplorerState) -> Int {
        columnCount(state.space)
    }

    /// Bars per page (at least 1).
    var pageSize: Int { max(1, layout.bars.height) }
}
