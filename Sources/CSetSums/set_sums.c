// The AVX2 kernel of the set product (GlassBoxCore's SetContributions.swift): Swift compiles for
// the x86-64 baseline (SSE2), where a sum of 16 rows takes four 4-wide additions per member and
// the set product costs ~11% of the engine pass; with 8-wide additions and 8 × 8 transposes it
// costs ~7%. The sums are the same bits: each lane adds its row's members in order from zero,
// with plain additions (nothing to contract into an FMA, no reassociation).
#include "set_sums.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

int glassbox_set_sums_avx2_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

// Rows p, p + d, …, p + 7d at features f ..< f + 8, into tile[(f + k)·16 + lane0 + r].
__attribute__((target("avx2")))
static void transpose8x8(const float *p, long d, float *t) {
    __m256 r0 = _mm256_loadu_ps(p), r1 = _mm256_loadu_ps(p + d), r2 = _mm256_loadu_ps(p + 2 * d), r3 = _mm256_loadu_ps(p + 3 * d);
    __m256 r4 = _mm256_loadu_ps(p + 4 * d), r5 = _mm256_loadu_ps(p + 5 * d), r6 = _mm256_loadu_ps(p + 6 * d), r7 = _mm256_loadu_ps(p + 7 * d);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
    __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5), t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_store_ps(t + 0 * 16, _mm256_permute2f128_ps(s0, s4, 0x20));
    _mm256_store_ps(t + 1 * 16, _mm256_permute2f128_ps(s1, s5, 0x20));
    _mm256_store_ps(t + 2 * 16, _mm256_permute2f128_ps(s2, s6, 0x20));
    _mm256_store_ps(t + 3 * 16, _mm256_permute2f128_ps(s3, s7, 0x20));
    _mm256_store_ps(t + 4 * 16, _mm256_permute2f128_ps(s0, s4, 0x31));
    _mm256_store_ps(t + 5 * 16, _mm256_permute2f128_ps(s1, s5, 0x31));
    _mm256_store_ps(t + 6 * 16, _mm256_permute2f128_ps(s2, s6, 0x31));
    _mm256_store_ps(t + 7 * 16, _mm256_permute2f128_ps(s3, s7, 0x31));
}

// Adds the 16 values of member *e to (lo, hi).
#define ADD_MEMBER(lo, hi, e) do { const float *x_ = tile + 16 * (long)*(e); \
    lo = _mm256_add_ps(lo, _mm256_load_ps(x_)); hi = _mm256_add_ps(hi, _mm256_load_ps(x_ + 8)); } while (0)

__attribute__((target("avx2")))
static void store(__m256 lo, __m256 hi, float *out, long width) {
    float sums[16];
    _mm256_storeu_ps(sums, lo);
    _mm256_storeu_ps(sums + 8, hi);
    for (int r = 0; r < 16; r++) out[r * width] = sums[r];
}

__attribute__((target("avx2")))
void glassbox_set_sums16_avx2(const float *values, long d, const long *starts, const int32_t *index,
                              const long *order, long width, float *out, float *tile) {
    long f = 0;
    for (; f + 8 <= d; f += 8) {
        transpose8x8(values + f, d, tile + f * 16);
        transpose8x8(values + 8 * d + f, d, tile + f * 16 + 8);
    }
    for (; f < d; f++) {
        for (int r = 0; r < 16; r++) tile[f * 16 + r] = values[r * d + f];
    }
    for (long k = 0; k < width; k += 2) {
        long s = order[k], s2 = k + 1 < width ? order[k + 1] : s;
        const int32_t *a = index + starts[s], *endA = index + starts[s + 1];
        const int32_t *b = index + starts[s2], *endB = k + 1 < width ? index + starts[s2 + 1] : b;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, b0 = a0, b1 = a0;
        for (; a < endA && b < endB; a++, b++) {
            ADD_MEMBER(a0, a1, a);
            ADD_MEMBER(b0, b1, b);
        }
        for (; a < endA; a++) ADD_MEMBER(a0, a1, a);
        for (; b < endB; b++) ADD_MEMBER(b0, b1, b);
        store(a0, a1, out + s, width);
        if (k + 1 < width) store(b0, b1, out + s2, width);
    }
}

#else

int glassbox_set_sums_avx2_available(void) { return 0; }

void glassbox_set_sums16_avx2(const float *values, long d, const long *starts, const int32_t *index,
                              const long *order, long width, float *out, float *tile) {
    (void)values; (void)d; (void)starts; (void)index; (void)order; (void)width; (void)out; (void)tile;
}

#endif
