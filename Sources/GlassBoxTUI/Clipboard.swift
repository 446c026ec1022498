/// The system clipboard through the terminal: OSC 52 (`ESC ] 52 ; c ; <base64> BEL`), which
/// xterm, iTerm2, kitty, WezTerm, Windows Terminal and others honour — over SSH too, and in
/// tmux with `set -s set-clipboard on` (tmux then keeps it as a paste buffer as well).
public enum Clipboard {
    /// Terminals cap what one sequence may carry (about 100 KB in several); longer text is
    /// better written to a file.
    public static let limit = 100_000

    /// The control sequence that puts `text` on the clipboard.
    public static func osc52(_ text: String) -> [UInt8] {
        Array("\u{1B}]52;c;".utf8) + base64(Array(text.utf8)) + [0x07]
    }

    /// RFC 4648 base64 with padding.
    static func base64(_ bytes: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let b0 = UInt32(bytes[i]), b1 = n > 1 ? UInt32(bytes[i + 1]) : 0, b2 = n > 2 ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(n > 1 ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(n > 2 ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return out
    }
}
