/// Names cut to a width without becoming ambiguous: a long name loses its middle, so the
/// start and the end that tell names apart both stay ("mean conc…avity", "mean conc…oints"
/// rather than "mean concav…" twice), and names cut alike are cut elsewhere until each row
/// reads differently.
public enum NameFit {
    /// `names` fitted to `width` columns each; distinct names stay distinct where the width
    /// allows any distinguishing cut (and are numbered "…#2" where it doesn't).
    public static func fit(_ names: [String], width: Int, ellipsis: String = "…") -> [String] {
        guard width > 0 else { return names.map { _ in "" } }
        var out = names.map { cut($0, to: width, ellipsis: ellipsis) }
        var seen: [String: Int] = [:]
        for (i, text) in out.enumerated() {
            guard let first = seen[text] else {
                seen[text] = i
                continue
            }
            guard names[first] != names[i] else { continue }  // the same name twice reads the same
            // Two names cut alike: try the other splits of the width between head and tail.
            let taken = Set(out)
            if let better = alternatives(names[i], width: width, ellipsis: ellipsis).first(where: { !taken.contains($0) }) {
                out[i] = better
            } else {
                out[i] = numbered(names[i], number: i + 1, width: width, ellipsis: ellipsis)
            }
            seen[out[i]] = i
        }
        return out
    }

    /// `name` in `width` columns: whole when it fits, otherwise its head, `ellipsis` and its
    /// tail (the head a little longer: names are read from the left).
    public static func cut(_ name: String, to width: Int, ellipsis: String = "…") -> String {
        guard TextWidth.width(name) > width else { return name }
        let room = width - TextWidth.width(ellipsis)
        guard room >= 2 else { return TextWidth.truncate(name, to: width, ellipsis: ellipsis) }
        return join(name, head: (room + 1) / 2, tail: room / 2, ellipsis: ellipsis)
    }

    /// Every other head/tail split, nearest the default first.
    static func alternatives(_ name: String, width: Int, ellipsis: String) -> [String] {
        let room = width - TextWidth.width(ellipsis)
        guard TextWidth.width(name) > width, room >= 2 else { return [] }
        let standard = (room + 1) / 2
        let heads = (1..<room).filter { $0 != standard }.sorted { abs($0 - standard) < abs($1 - standard) }
        return heads.map { join(name, head: $0, tail: room - $0, ellipsis: ellipsis) }
    }

    static func numbered(_ name: String, number: Int, width: Int, ellipsis: String) -> String {
        let tag = "#\(number)"
        let room = width - TextWidth.width(tag)
        guard room > TextWidth.width(ellipsis) else { return String(tag.suffix(width)) }
        return TextWidth.truncate(name, to: room, ellipsis: ellipsis) + tag
    }

    /// The first `head` and last `tail` columns of `name` around `ellipsis` (wide glyphs that
    /// would straddle a limit are left out).
    static func join(_ name: String, head: Int, tail: Int, ellipsis: String) -> String {
        var start = "", used = 0
        for ch in name {
            let w = ch.terminalWidth
            if used + w > head { break }
            start.append(ch)
            used += w
        }
        var end: [Character] = []
        used = 0
        for ch in name.reversed() {
            let w = ch.terminalWidth
            if used + w > tail { break }
            end.append(ch)
            used += w
        }
        return start + ellipsis + String(end.reversed())
    }
}
