import GlassBoxTUI

/// Where the panels go for a screen size: side by side when the screen is wide, stacked when
/// it is narrow and tall; the status line is the last row. Below the minimum size nothing is
/// laid out and `TooSmallScreen` says so.
public struct ExplorerLayout: Equatable, Sendable {
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    public enum Arrangement: Equatable, Sendable { case sideBySide, stacked }

    public let screen: Rect
    public let arrangement: Arrangement
    public let embedding: Rect
    public let sample: Rect
    public let status: Rect

    public var isTooSmall: Bool {
        screen.width < Self.minimumWidth || screen.height < Self.minimumHeight
    }

    public init(screen: Rect) {
        self.screen = screen
        let rows = screen.splitVertically([.fill(1), .length(1)])
        status = rows[1]
        let body = rows[0]
        // Braille cells are about twice as tall as wide: a screen under ~2.2 columns per row
        // and narrower than 100 columns reads better stacked.
        if screen.width < 100 && Double(screen.height) * 2.2 > Double(screen.width) {
            arrangement = .stacked
            let parts = body.splitVertically([.percentage(55), .fill(1)])
            embedding = parts[0]
            sample = parts[1]
        } else {
            arrangement = .sideBySide
            let sampleWidth = min(76, max(36, screen.width * 2 / 5))
            let parts = body.splitHorizontally([.fill(1), .length(sampleWidth)])
            embedding = parts[0]
            sample = parts[1]
        }
    }
}
