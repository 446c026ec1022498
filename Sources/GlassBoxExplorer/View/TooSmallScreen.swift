import GlassBoxTUI

/// Shown instead of the panels when the terminal is below the minimum size.
public struct TooSmallScreen: Widget {
    public var theme: Theme

    public init(theme: Theme) {
        self.theme = theme
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        let need = "\(ExplorerLayout.minimumWidth)\(theme.times)\(ExplorerLayout.minimumHeight)"
        let lines = [
            Line("Terminal too small", style: theme.error),
            Line("\(area.width)\(theme.times)\(area.height), need \(need)"),
            Line("Enlarge the window, or press q to quit.", style: theme.dim),
        ]
        let top = area.y + max(0, (area.height - lines.count) / 2)
        for (i, line) in lines.enumerated() where top + i < area.bottom {
            var centered = line
            centered.alignment = .center
            centered.render(in: Rect(x: area.x, y: top + i, width: area.width, height: 1), buffer: &buffer)
        }
    }
}
