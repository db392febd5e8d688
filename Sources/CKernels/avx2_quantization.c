/* DynamicQuantizeLinear's range scan and Int8Linear.quantize's rounding
   (DynamicQuantizeLinearKernel and FastInt8LinearKernel). */
#include "avx2_kernels.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
/* Every multiply and add rounds as written, as in the Swift loops: no contraction into FMAs. */
#pragma clang fp contract(off)
#include <immintrin.h>

long asr_avx2_range(const float *x, long count, float *low, float *high) {
    if (count < 32) return 0;
    __m256 l0 = _mm256_setzero_ps(), l1 = l0, l2 = l0, l3 = l0, h0 = l0, h1 = l0, h2 = l0, h3 = l0;
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        /* vminps/vmaxps return the second operand (the running value) when the first is NaN. */
        __m256 v0 = _mm256_loadu_ps(x + i), v1 = _mm256_loadu_ps(x + i + 8);
        __m256 v2 = _mm256_loadu_ps(x + i + 16), v3 = _mm256_loadu_ps(x + i + 24);
        l0 = _mm256_min_ps(v0, l0); h0 = _mm256_max_ps(v0, h0);
        l1 = _mm256_min_ps(v1, l1); h1 = _mm256_max_ps(v1, h1);
        l2 = _mm256_min_ps(v2, l2); h2 = _mm256_max_ps(v2, h2);
        l3 = _mm256_min_ps(v3, l3); h3 = _mm256_max_ps(v3, h3);
    }
    float lows[8], highs[8];
    _mm256_storeu_ps(lows, _mm256_min_ps(_mm256_min_ps(l0, l1), _mm256_min_ps(l2, l3)));
    _mm256_storeu_ps(highs, _mm256_max_ps(_mm256_max_ps(h0, h1), _mm256_max_ps(h2, h3)));
    float lo = lows[0], hi = highs[0];
    for (int lane = 1; lane < 8; lane++) {
        if (lows[lane] < lo) lo = lows[lane];
        if (highs[lane] > hi) hi = highs[lane];
    }
    *low = lo;
    *high = hi;
    return i;
}

long asr_avx2_quantize(const float *x, long count, float scale, int zero_point, int levels, uint8_t *q) {
    const __m256 magic = _mm256_set1_ps(12582912.0f), divisor = _mm256_set1_ps(scale);
    const __m256i magic_bits = _mm256_set1_epi32(0x4B400000), zero = _mm256_set1_epi32(zero_point);
    const __m256i lowest = _mm256_set1_epi32(-zero_point), highest = _mm256_set1_epi32(levels - zero_point);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 v = _mm256_div_ps(_mm256_loadu_ps(x + i), divisor);
        __m256i rounded = _mm256_sub_epi32(_mm256_castps_si256(_mm256_add_ps(v, magic)), magic_bits);
        __m256i r = _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(rounded, lowest), highest), zero);
        __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
        _mm_storel_epi64((__m128i *)(q + i), _mm_packus_epi16(words, words));
    }
    return i;
}

#pragma clang attribute pop
#endif
