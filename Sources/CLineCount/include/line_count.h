// Newline counting with AVX2 for skipping to a CSV's row A (see line_count.c and GlassBoxCore's
// LineCounter.swift, which uses it when the CPU has AVX2 and counts in Swift otherwise).
#pragma once

/// 1 when this CPU runs `glassbox_count_lines_avx2` (x86-64 with AVX2), else 0.
int glassbox_count_lines_avx2_available(void);

/// In `base[a ..< b]`: the newlines (`*lines`), those followed — before `end` — by another
/// newline or by CR LF (`*blanks`), and whether a `"` occurs (`*quoted` = 1). Reads no byte at
/// or past `end` (`b <= end`). Only call when `glassbox_count_lines_avx2_available()`.
void glassbox_count_lines_avx2(const unsigned char *base, long a, long b, long end, long *lines, long *blanks,
                               int *quoted);
