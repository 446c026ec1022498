// Set contributions of 16 rows at a time with AVX2 (see set_sums.c and GlassBoxCore's
// SetContributions.swift, which uses it when the CPU has AVX2 and falls back to Swift otherwise).
#pragma once
#include <stdint.h>

/// 1 when this CPU runs `glassbox_set_sums16_avx2` (x86-64 with AVX2), else 0.
int glassbox_set_sums_avx2_available(void);

/// For 16 rows of `d` values (row-major, row r at values + r·d): out[r·width + s] = the sum of
/// values[r·d + index[e]] over e in starts[s] ..< starts[s + 1], added in that order from zero.
/// Sets are summed in pairs, in the order `order` lists them (width entries). `tile` is scratch
/// for 16·d floats, 32-byte aligned. Only call when `glassbox_set_sums_avx2_available()`.
void glassbox_set_sums16_avx2(const float *values, long d, const long *starts, const int32_t *index,
                              const long *order, long width, float *out, float *tile);
