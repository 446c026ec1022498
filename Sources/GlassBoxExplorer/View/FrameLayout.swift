import GlassBoxTUI

/// Where one frame puts things, decided from the screen size and the state before anything is
/// drawn: the renderer draws into it, and the reducer reads it to map a click to a sample or
/// a bar and to page by what fits. Being one value for both, a click means what the screen
/// shows.
public struct FrameLayout: Equatable, Sendable {
    public var screen: Rect
    /// Below the minimum size nothing else is laid out (`TooSmallScreen`).
    public var isTooSmall: Bool
    /// The embedding and sample panels (borders included) and the status line.
    public var embeddingPanel: Rect
    public var samplePanel: Rect
    public var status: Rect
    /// The scatter's canvas (cells) and the data rectangle it shows.
    public var canvas: Rect = .zero
    public var viewport: Viewport?
    /// The bar rows of the panel beside the scatter — one page — and the feature each row
    /// shows (none in the PCA component space).
    public var bars: Rect = .zero
    public var barFeatures: [Int] = []
    /// Rows in the help overlay's viewport and in its content.
    public var helpRows = 0
    public var helpContentRows = 0

    /// The data point at the centre of a screen cell of the canvas (clamped to it), or nil
    /// when no scatter is shown.
    public func dataPoint(x: Int, y: Int) -> DataPoint? {
        guard let v = viewport, !canvas.isEmpty else { return nil }
        let cx = min(max(x, canvas.x), canvas.right - 1), cy = min(max(y, canvas.y), canvas.bottom - 1)
        let fx = (Double(cx - canvas.x) + 0.5) / Double(canvas.width)
        let fy = (Double(cy - canvas.y) + 0.5) / Double(canvas.height)
        return DataPoint(x: v.xMin + fx * (v.xMax - v.xMin), y: v.yMax - fy * (v.yMax - v.yMin))
    }

    /// The panels for `screen` (none when it is too small); `ExplorerRenderer.plan` fills in
    /// the rest.
    public init(screen: Rect = .zero) {
        let panels = ExplorerLayout(screen: screen)
        self.screen = screen
        isTooSmall = panels.isTooSmall
        embeddingPanel = isTooSmall ? .zero : panels.embedding
        samplePanel = isTooSmall ? .zero : panels.sample
        status = isTooSmall ? .zero : panels.status
    }
}
