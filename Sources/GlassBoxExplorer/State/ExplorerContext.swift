import GlassBoxCore
import GlassBoxTUI

/// Where things were drawn in the last frame — what a click or a page key refers to.
public struct FrameGeometry: Equatable, Sendable {
    /// The scatter's canvas (cells) and the data rectangle it shows.
    public var canvas: Rect = .zero
    public var viewport: Viewport?
    /// The embedding and sample panels (borders included).
    public var embeddingPanel: Rect = .zero
    public var samplePanel: Rect = .zero
    /// The bar rows of the sample panel, and the feature (or component) each row shows.
    public var bars: Rect = .zero
    public var barFeatures: [Int] = []
    /// Rows in the help overlay's viewport and in its content.
    public var helpRows = 0
    public var helpContentRows = 0
    /// The rows the verification report lists as worst, in order (Enter jumps to one).
    public var reportRows: [Int] = []

    public init() {}
}

/// The read-only data the reducer consults: sizes, ids, groups, the spatial index of the
/// shown axes, and what the last frame put where.
public struct ExplorerContext {
    public var sampleCount: Int
    public var outputCount: Int
    /// PCA components k, nil without PCA.
    public var componentCount: Int?
    public var featureCount: Int
    public var ids: [String]
    public var search: FeatureSearch
    public var featureNames: [String]
    public var groups: GroupIndex?
    /// Built on the axes currently shown (nil while it is being rebuilt).
    public var spatial: SpatialIndex?
    public var geometry: FrameGeometry
    /// The feature the feature color modes start with (the globally most important one).
    public var defaultFeature: Int

    public init(sampleCount: Int, outputCount: Int, componentCount: Int?, featureNames: [String], ids: [String],
                search: FeatureSearch? = nil, groups: GroupIndex?, spatial: SpatialIndex?,
                geometry: FrameGeometry = FrameGeometry(), defaultFeature: Int = 0) {
        self.sampleCount = sampleCount
        self.outputCount = outputCount
        self.componentCount = componentCount
        self.featureCount = featureNames.count
        self.featureNames = featureNames
        self.ids = ids
        self.search = search ?? FeatureSearch(names: featureNames)
        self.groups = groups
        self.spatial = spatial
        self.geometry = geometry
        self.defaultFeature = defaultFeature
    }

    /// Bars in the sample panel's current space.
    func barCount(_ state: ExplorerState) -> Int {
        state.space == .components ? (componentCount ?? 0) : featureCount
    }

    /// Bars per page (at least 1).
    var pageSize: Int { max(1, geometry.bars.height) }
}
