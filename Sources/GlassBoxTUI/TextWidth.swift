extension Character {
    /// Columns this grapheme occupies in a terminal: 0 (controls, lone combining marks and
    /// format characters), 1, or 2 (East Asian wide/fullwidth and emoji presentation).
    ///
    /// Computed from the scalars rather than `wcwidth`, which depends on the process locale and
    /// would make rendering (and tests) differ between `C` and UTF-8 locales.
    public var terminalWidth: Int {
        if let a = asciiValue { return (a >= 0x20 && a != 0x7F) ? 1 : 0 }
        let scalars = unicodeScalars
        let first = scalars.first!
        let v = first.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }  // Latin-1 and Latin Extended: the common case after ASCII
        if scalars.count > 1 {
            // VS16 asks for emoji presentation; regional-indicator pairs are flags.
            for s in scalars where s.value == 0xFE0F { return 2 }
            if (0x1F1E6...0x1F1FF).contains(v) { return 2 }
        }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return scalars.count > 1 ? 1 : 0
        default: break
        }
        if first.properties.isEmojiPresentation { return 2 }
        return TextWidth.isWide(v) ? 2 : 1
    }
}

/// Display-width helpers shared by widgets.
public enum TextWidth {
    /// East Asian Wide / Fullwidth ranges (emoji are handled via `isEmojiPresentation`).
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
        0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
        0x17000...0x18AFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var lo = 0, hi = wideRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = wideRanges[mid]
            if v < r.lowerBound { hi = mid - 1 } else if v > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// Total display width of a string.
    public static func width<S: StringProtocol>(_ s: S) -> Int {
        var w = 0
        for ch in s { w += ch.terminalWidth }
        return w
    }

    /// `s` cut to at most `maxWidth` columns, ending in `ellipsis` when something was cut.
    /// A wide glyph that would straddle the limit is dropped rather than split.
    public static func truncate(_ s: String, to maxWidth: Int, ellipsis: String = "…") -> String {
        guard maxWidth > 0 else { return "" }
        if width(s) <= maxWidth { return s }
        let ew = width(ellipsis)
        if ew > maxWidth { return String(repeating: ".", count: maxWidth) }
        let budget = maxWidth - ew
        var out = ""
        var w = 0
        for ch in s {
            let cw = ch.terminalWidth
            if w + cw > budget { break }
            out.append(ch)
            w += cw
        }
        return out + ellipsis
    }
}
