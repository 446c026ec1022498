import CLineCount
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counting records fast where no field can hold a line break: in text without a `"`, every
/// newline ends a record, so skipping to row A is counting newlines — a vectorized loop, on
/// every core — instead of finding each record's end and its quotes one record at a time.
/// What `--rows A:B` and `--part` of a large CSV spend before their first row.
enum LineCounter {
    struct Count: Equatable {
        /// Newlines, i.e. records ended.
        var records = 0
        /// Of those, the empty records (blank lines): a newline, or CR LF, right at a record's start.
        var blanks = 0
        /// Whether a `"` was seen: then a field may hold newlines, and the counts are not records.
        var quoted = false
    }

    /// Counts the records in `[start, end)` of `base` (`start` at a record's start, `end` just
    /// after a newline; `base[end]` and `base[end + 1]` are readable when `end + 2 <= limit`).
    /// `prepare` is called on each piece's `[a, b)` by the thread about to count it (mapping
    /// its pages in: on every core, not one).
    static func count(
        _ base: UnsafePointer<UInt8>, from start: Int, to end: Int, limit: Int, vectorized: Bool = LineCounter.hasAVX2,
        prepare: ((Int, Int) -> Void)? = nil
    ) -> Count {
        let n = end - start
        guard n > 0 else { return Count() }
        var total = Count()
        // A blank record at the very start (the pairs below only see those after a newline).
        if base[start] == 10 || (base[start] == 13 && start + 1 < limit && base[start + 1] == 10) { total.blanks += 1 }
        let cores = max(1, min(8, n >> 22))  // pieces of at least 4 MB
        var parts = [Count](repeating: Count(), count: cores)
        parts.withUnsafeMutableBufferPointer { out in
            let out = out
            DispatchQueue.concurrentPerform(iterations: cores) { c in
                let a = start + n * c / cores, b = start + n * (c + 1) / cores
                prepare?(a, b)
                out[c] = vectorized ? countPieceAVX2(base, a, b, end: end) : countPiece(base, a, b, end: end)
            }
        }
        for p in parts {
            total.records += p.records
            total.blanks += p.blanks
            total.quoted = total.quoted || p.quoted
        }
        return total
    }

    /// Whether this CPU counts with AVX2 (`line_count.c`).
    static let hasAVX2 = glassbox_count_lines_avx2_available() != 0

    /// The same as `countPiece`, 64 bytes at a time with AVX2 (two to three times its speed).
    private static func countPieceAVX2(_ base: UnsafePointer<UInt8>, _ a: Int, _ b: Int, end: Int) -> Count {
        var lines = 0, blanks = 0
        var quoted: Int32 = 0
        glassbox_count_lines_avx2(base, a, b, end, &lines, &blanks, &quoted)
        return Count(records: lines, blanks: blanks, quoted: quoted != 0)
    }

    /// Newlines in `[a, b)`, and those followed (before `end`) by another newline or CR LF —
    /// eight bytes at a time in 64-bit words (SWAR): the compiler does not vectorize a byte loop
    /// with that look-ahead, and Swift's SIMD mask types ran at 35 MB/s.
    private static func countPiece(_ base: UnsafePointer<UInt8>, _ a: Int, _ b: Int, end: Int) -> Count {
        var lines = 0, blank = 0
        var quotes: UInt64 = 0
        var i = a
        let raw = UnsafeRawPointer(base)
        // Each word needs the two bytes after it, before `end`.
        while i + 8 <= b && i + 10 <= end {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            quotes |= marks(word, quoteWord)
            let here = marks(word, newlineWord)
            if here != 0 {
                let next = raw.loadUnaligned(fromByteOffset: i + 1, as: UInt64.self)
                let after = raw.loadUnaligned(fromByteOffset: i + 2, as: UInt64.self)
                let blankNext = marks(next, newlineWord) | (marks(next, returnWord) & marks(after, newlineWord))
                lines &+= here.nonzeroBitCount
                blank &+= (here & blankNext).nonzeroBitCount
            }
            i &+= 8
        }
        while i < b {
            if base[i] == UInt8(ascii: "\"") { quotes = 1 }
            if base[i] == 10 {
                lines += 1
                if i + 1 < end && (base[i + 1] == 10 || (base[i + 1] == 13 && i + 2 < end && base[i + 2] == 10)) { blank += 1 }
            }
            i += 1
        }
        return Count(records: lines, blanks: blank, quoted: quotes != 0)
    }

    private static let newlineWord: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    private static let returnWord: UInt64 = 0x0D0D_0D0D_0D0D_0D0D
    private static let quoteWord: UInt64 = 0x2222_2222_2222_2222

    /// The high bit of each byte of `word` that equals the byte of `pattern` (exact: no false
    /// positives, unlike the shorter `(x − 0x01…) & ~x` test).
    @inline(__always)
    private static func marks(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = word ^ pattern  // zero where equal
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & low) &+ low) | x | low)
    }
}
