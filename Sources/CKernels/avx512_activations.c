/* SwooshKernel's loops with AVX512F: the in-range path of avx2_activations.c on 16 lanes (the same
   operations in the same order, as in avx2_vector_math.h); vectors with a lane out of range and
   the tail go to the AVX2 loop, whose per-lane results do not depend on their neighbours. */
#include "avx512_kernels.h"
#include "avx2_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512_TARGET __attribute__((target("avx2,fma,avx512f,evex512")))
/* Every multiply and add rounds as written: no contraction into FMAs. */
#pragma clang fp contract(off)

#define SPLAT(value) _mm512_set1_ps(value)
#define SPLAT_BITS(value) _mm512_set1_epi32((int)(value))

/* asr_exp_in_normal_range: lanes in [-87, 87]. */
AVX512_TARGET static inline __m512 exp_in_normal_range(__m512 x) {
    __m512 rounding_bias = SPLAT(12582912.0f);
    __m512 biased = _mm512_fmadd_ps(x, SPLAT(1.44269504088896341f), rounding_bias);
    __m512 m = _mm512_sub_ps(biased, rounding_bias);
    __m512 v = _mm512_fmadd_ps(m, SPLAT(-6.93145752e-1f), x);
    v = _mm512_fmadd_ps(m, SPLAT(-1.42860677e-6f), v);
    __m512i normal = _mm512_add_epi32(_mm512_slli_epi32(_mm512_castps_si512(biased), 23), SPLAT_BITS(0x3F800000));
    __m512 p = SPLAT(0x1.694000p-10f);
    p = _mm512_fmadd_ps(p, v, SPLAT(0x1.125edcp-7f));
    p = _mm512_fmadd_ps(p, v, SPLAT(0x1.555b5ap-5f));
    p = _mm512_fmadd_ps(p, v, SPLAT(0x1.555450p-3f));
    p = _mm512_fmadd_ps(p, v, SPLAT(0x1.fffff6p-2f));
    p = _mm512_fmadd_ps(p, v, SPLAT(1.0f));
    p = _mm512_fmadd_ps(p, v, SPLAT(1.0f));
    return _mm512_mul_ps(p, _mm512_castsi512_ps(normal));
}

/* asr_log_of_normal: lanes positive, finite and normal. */
AVX512_TARGET static inline __m512 log_of_normal(__m512 input) {
    __m512i bits = _mm512_castps_si512(input);
    __m512i biased_exponent = _mm512_and_si512(_mm512_srli_epi32(bits, 23), SPLAT_BITS(0xff));
    __m512 e = _mm512_cvtepi32_ps(_mm512_sub_epi32(biased_exponent, SPLAT_BITS(126)));
    __m512i mantissa_bits = _mm512_or_si512(_mm512_and_si512(bits, SPLAT_BITS(~0x7f800000u)), SPLAT_BITS(0x3f000000));
    __m512 x = _mm512_castsi512_ps(mantissa_bits);
    union { float f; int i; } half_root = { 0.707106781186547524f };
    __mmask16 small = _mm512_cmpgt_epi32_mask(SPLAT_BITS(half_root.i), mantissa_bits);
    __m512 twice = _mm512_maskz_mov_ps(small, x);
    x = _mm512_sub_ps(x, SPLAT(1.0f));
    e = _mm512_sub_ps(e, _mm512_maskz_mov_ps(small, SPLAT(1.0f)));
    x = _mm512_add_ps(x, twice);
    __m512 p = _mm512_add_ps(_mm512_mul_ps(x, SPLAT(0.18256296349849254f)), SPLAT(1.0000000190281063f));
    p = _mm512_add_ps(_mm512_mul_ps(x, p), SPLAT(1.0000000190281136f));
    p = _mm512_mul_ps(x, p);
    __m512 q = _mm512_add_ps(_mm512_mul_ps(x, SPLAT(0.049616247954120038f)), SPLAT(0.59923249590823520f));
    q = _mm512_add_ps(_mm512_mul_ps(x, q), SPLAT(1.4999999999999927f));
    q = _mm512_add_ps(_mm512_mul_ps(x, q), SPLAT(1.0f));
    return _mm512_add_ps(_mm512_mul_ps(e, SPLAT(0.693147180559945309f)), _mm512_div_ps(p, q));
}

AVX512_TARGET static inline __m512 magnitude(__m512 x) {
    return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(x), SPLAT_BITS(0x7fffffff)));
}

/* all_below_87: every lane's |v| - 87 negative (never for NaN). */
AVX512_TARGET static inline int all_below_87(__m512 magnitude) {
    return _mm512_cmp_ps_mask(_mm512_sub_ps(magnitude, SPLAT(87.0f)), _mm512_setzero_ps(), _CMP_LT_OQ) == 0xFFFF;
}

/* Two vectors at a time, so that their independent chains overlap; a pair with a lane out of
   range, and the last count % 32 values, run in the AVX2 loop. `IN_RANGE(x, s)` tests one vector,
   `SOFTPLUS_ARGUMENT(s)` is the exponent's argument and `OUTPUT(x, s, softplus)` the result. */
#define SWOOSH_LOOP(avx2_loop, ...)                                                          \
    long i = 0;                                                                              \
    for (; i + 32 <= count; i += 32) {                                                       \
        __m512 a = _mm512_loadu_ps(x + i), b = _mm512_loadu_ps(x + i + 16);                  \
        __m512 sa = _mm512_sub_ps(a, offset_), sb = _mm512_sub_ps(b, offset_);               \
        __m512 ta = ARGUMENT(sa), tb = ARGUMENT(sb);                                         \
        if (!all_below_87(magnitude(ta)) || !all_below_87(magnitude(tb))) {                  \
            avx2_loop(x + i, y + i, 32, __VA_ARGS__);                                        \
            continue;                                                                        \
        }                                                                                    \
        __m512 ea = exp_in_normal_range(ta), eb = exp_in_normal_range(tb);                  \
        _mm512_storeu_ps(y + i, OUTPUT(a, sa, log_of_normal(SUM_WITH_ONE(ea))));             \
        _mm512_storeu_ps(y + i + 16, OUTPUT(b, sb, log_of_normal(SUM_WITH_ONE(eb))));        \
    }                                                                                        \
    if (i < count) avx2_loop(x + i, y + i, count - i, __VA_ARGS__);

/* Stable: ((max(s, floor) + log(1 + exp(-|floor - s|))) - x·slope) - shift, s = x - offset. */
AVX512_TARGET
void asr_avx512_swoosh_stable(const float *x, float *y, long count, float offset, float floor, float slope, float shift) {
    __m512 offset_ = SPLAT(offset), floor_ = SPLAT(floor), slope_ = SPLAT(slope), shift_ = SPLAT(shift), one = SPLAT(1.0f);
    __m512i sign_bit = SPLAT_BITS(0x80000000u);
#define ARGUMENT(s) _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(magnitude(_mm512_sub_ps(floor_, s))), sign_bit))
#define SUM_WITH_ONE(e) _mm512_add_ps(one, e)
#define OUTPUT(x, s, softplus) \
    _mm512_sub_ps(_mm512_sub_ps(_mm512_add_ps(_mm512_max_ps(s, floor_), softplus), _mm512_mul_ps(x, slope_)), shift_)
    SWOOSH_LOOP(asr_avx2_swoosh_stable, offset, floor, slope, shift)
#undef ARGUMENT
#undef SUM_WITH_ONE
#undef OUTPUT
}

/* Clamped: (log(exp(s) + 1) - x·slope) - shift, s = x - offset. */
AVX512_TARGET
void asr_avx512_swoosh_clamped(const float *x, float *y, long count, float offset, float slope, float shift) {
    __m512 offset_ = SPLAT(offset), slope_ = SPLAT(slope), shift_ = SPLAT(shift), one = SPLAT(1.0f);
#define ARGUMENT(s) (s)
#define SUM_WITH_ONE(e) _mm512_add_ps(e, one)
#define OUTPUT(x, s, softplus) _mm512_sub_ps(_mm512_sub_ps(softplus, _mm512_mul_ps(x, slope_)), shift_)
    SWOOSH_LOOP(asr_avx2_swoosh_clamped, offset, slope, shift)
#undef ARGUMENT
#undef SUM_WITH_ONE
#undef OUTPUT
}
#else
void asr_avx512_swoosh_stable(const float *x, float *y, long count, float offset, float floor, float slope, float shift) {
    (void)x; (void)y; (void)count; (void)offset; (void)floor; (void)slope; (void)shift;
}
void asr_avx512_swoosh_clamped(const float *x, float *y, long count, float offset, float slope, float shift) {
    (void)x; (void)y; (void)count; (void)offset; (void)slope; (void)shift;
}
#endif
