import GlassBoxTUI
import XCTest

/// Renders `widget` into a fresh `width`×`height` buffer.
public func render<W: Widget>(_ widget: W, width: Int, height: Int) -> Buffer {
    var buffer = Buffer(area: Rect(width: width, height: height))
    widget.render(in: buffer.area, buffer: &buffer)
    return buffer
}

/// Compares buffer text with expected rows (right-padded with spaces to the buffer width). On
/// failure prints the actual rows as Swift literals, ready to paste after review.
public func assertLines(_ buffer: Buffer, _ expected: [String], file: StaticString = #filePath, line: UInt = #line) {
    let actual = buffer.lines()
    let padded = expected.map { $0 + String(repeating: " ", count: max(0, buffer.area.width - TextWidth.width($0))) }
    if actual != padded {
        let shown = actual.map { "    \"\($0)\"," }.joined(separator: "\n")
        XCTFail("buffer text differs; actual:\n\(shown)", file: file, line: line)
    }
}

extension Array where Element == String {
    /// Whether any line contains `text`.
    public func containsText(_ text: String) -> Bool { contains { $0.contains(text) } }
}
