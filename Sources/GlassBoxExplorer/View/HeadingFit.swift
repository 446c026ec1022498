import GlassBoxTUI

extension Line {
    /// The line without its last spans while it is wider than `width` (the first stays):
    /// headings are written most important part first, "Contributions · L2 · features".
    func droppingTrailingSpans(toFit width: Int) -> Line {
        var line = self
        while line.width > width, line.spans.count > 1 { line.spans.removeLast() }
        return line
    }
}
