/* The vector math of the Swift kernels (VectorMath.swift) on AVX2 + FMA registers: the same
   operations in the same order, so every lane has the same bits. Included by the AVX2 kernel files,
   inside their `target("avx2,fma")` region. */
#ifndef ASR_AVX2_VECTOR_MATH_H
#define ASR_AVX2_VECTOR_MATH_H

#include <immintrin.h>

#define ASR_SPLAT(value) _mm256_set1_ps(value)
#define ASR_SPLAT_BITS(value) _mm256_set1_epi32((int)(value))

/* Swift.max(x, y) lane by lane: y >= x ? y : x. */
static inline __m256 asr_maximum(__m256 x, __m256 y) { return _mm256_blendv_ps(x, y, _mm256_cmp_ps(y, x, _CMP_GE_OQ)); }

/* Swift.min(x, y) lane by lane: y < x ? y : x. */
static inline __m256 asr_minimum(__m256 x, __m256 y) { return _mm256_blendv_ps(x, y, _mm256_cmp_ps(y, x, _CMP_LT_OQ)); }

static inline __m256 asr_exp(__m256 x) {
    __m256 v = asr_minimum(asr_maximum(x, ASR_SPLAT(-103.9720840454f)), ASR_SPLAT(88.7762626647950f));
    __m256 rounding_bias = ASR_SPLAT(12582912.0f);
    __m256 biased = _mm256_fmadd_ps(v, ASR_SPLAT(1.44269504088896341f), rounding_bias);
    __m256 m = _mm256_sub_ps(biased, rounding_bias);
    v = _mm256_fmadd_ps(m, ASR_SPLAT(-6.93145752e-1f), v);
    v = _mm256_fmadd_ps(m, ASR_SPLAT(-1.42860677e-6f), v);
    __m256i overflow = _mm256_slli_epi32(_mm256_castps_si256(biased), 23);
    __m256i normal = _mm256_min_epi32(_mm256_max_epi32(overflow, ASR_SPLAT_BITS(0xC1000000u)), ASR_SPLAT_BITS(0x3F800000));
    overflow = _mm256_add_epi32(_mm256_sub_epi32(overflow, normal), ASR_SPLAT_BITS(0x3F800000));
    normal = _mm256_add_epi32(normal, ASR_SPLAT_BITS(0x3F800000));
    __m256 p = ASR_SPLAT(0x1.694000p-10f);
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(0x1.125edcp-7f));
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(0x1.555b5ap-5f));
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(0x1.555450p-3f));
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(0x1.fffff6p-2f));
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(1.0f));
    __m256 overflow_scale = _mm256_castsi256_ps(overflow);
    v = _mm256_mul_ps(v, overflow_scale);
    p = _mm256_fmadd_ps(p, v, overflow_scale);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(normal));
}

/* asr_exp without its clamps and overflow split, for lanes in [-87, 87]. */
static inline __m256 asr_exp_in_normal_range(__m256 x) {
    __m256 rounding_bias = ASR_SPLAT(12582912.0f);
    __m256 biased = _mm256_fmadd_ps(x, ASR_SPLAT(1.44269504088896341f), rounding_bias);
    __m256 m = _mm256_sub_ps(biased, rounding_bias);
    __m256 v = _mm256_fmadd_ps(m, ASR_SPLAT(-6.93145752e-1f), x);
    v = _mm256_fmadd_ps(m, ASR_SPLAT(-1.42860677e-6f), v);
    __m256i normal = _mm256_add_epi32(_mm256_slli_epi32(_mm256_castps_si256(biased), 23), ASR_SPLAT_BITS(0x3F800000));
    __m256 p = ASR_SPLAT(0x1.694000p-10f);
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(0x1.125edcp-7f));
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(0x1.555b5ap-5f));
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(0x1.555450p-3f));
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(0x1.fffff6p-2f));
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(1.0f));
    p = _mm256_fmadd_ps(p, v, ASR_SPLAT(1.0f));
    return _mm256_mul_ps(p, _mm256_castsi256_ps(normal));
}

/* log for lanes known to be positive, finite and normal. */
static inline __m256 asr_log_of_normal(__m256 input) {
    __m256i bits = _mm256_castps_si256(input);
    __m256i biased_exponent = _mm256_and_si256(_mm256_srli_epi32(bits, 23), ASR_SPLAT_BITS(0xff));
    __m256 e = _mm256_cvtepi32_ps(_mm256_sub_epi32(biased_exponent, ASR_SPLAT_BITS(126)));
    __m256i mantissa_bits = _mm256_or_si256(_mm256_and_si256(bits, ASR_SPLAT_BITS(~0x7f800000u)), ASR_SPLAT_BITS(0x3f000000));
    __m256 x = _mm256_castsi256_ps(mantissa_bits);
    union { float f; int i; } half_root = { 0.707106781186547524f };
    __m256 small = _mm256_castsi256_ps(_mm256_cmpgt_epi32(ASR_SPLAT_BITS(half_root.i), mantissa_bits));
    __m256 twice = _mm256_and_ps(small, x);
    x = _mm256_sub_ps(x, ASR_SPLAT(1.0f));
    e = _mm256_sub_ps(e, _mm256_and_ps(small, ASR_SPLAT(1.0f)));
    x = _mm256_add_ps(x, twice);
    __m256 p = _mm256_add_ps(_mm256_mul_ps(x, ASR_SPLAT(0.18256296349849254f)), ASR_SPLAT(1.0000000190281063f));
    p = _mm256_add_ps(_mm256_mul_ps(x, p), ASR_SPLAT(1.0000000190281136f));
    p = _mm256_mul_ps(x, p);
    __m256 q = _mm256_add_ps(_mm256_mul_ps(x, ASR_SPLAT(0.049616247954120038f)), ASR_SPLAT(0.59923249590823520f));
    q = _mm256_add_ps(_mm256_mul_ps(x, q), ASR_SPLAT(1.4999999999999927f));
    q = _mm256_add_ps(_mm256_mul_ps(x, q), ASR_SPLAT(1.0f));
    return _mm256_add_ps(_mm256_mul_ps(e, ASR_SPLAT(0.693147180559945309f)), _mm256_div_ps(p, q));
}

static inline __m256 asr_log(__m256 input) {
    union { int i; float f; } smallest_normal = { 0x00800000 };
    __m256 result = asr_log_of_normal(asr_maximum(input, ASR_SPLAT(smallest_normal.f)));
    result = _mm256_blendv_ps(result, ASR_SPLAT(__builtin_inff()), _mm256_cmp_ps(input, ASR_SPLAT(__builtin_inff()), _CMP_EQ_OQ));
    result = _mm256_blendv_ps(result, ASR_SPLAT(__builtin_nanf("")), _mm256_cmp_ps(input, _mm256_setzero_ps(), _CMP_NGE_UQ));
    return _mm256_blendv_ps(result, ASR_SPLAT(-__builtin_inff()), _mm256_cmp_ps(input, _mm256_setzero_ps(), _CMP_EQ_OQ));
}

static inline __m256 asr_logistic(__m256 x) {
    __m256 v = asr_minimum(asr_maximum(x, ASR_SPLAT(-18.0f)), ASR_SPLAT(18.0f));
    __m256 x2 = _mm256_mul_ps(v, v);
    __m256 p = _mm256_fmadd_ps(x2, ASR_SPLAT(4.37031012579801e-11f), ASR_SPLAT(1.15627324459942e-07f));
    p = _mm256_fmadd_ps(x2, p, ASR_SPLAT(6.08574864600143e-05f));
    p = _mm256_fmadd_ps(x2, p, ASR_SPLAT(8.51377133304701e-03f));
    p = _mm256_fmadd_ps(x2, p, ASR_SPLAT(2.48287947061529e-01f));
    __m256 q = _mm256_fmadd_ps(x2, ASR_SPLAT(6.10247389755681e-13f), ASR_SPLAT(5.76102136993427e-09f));
    q = _mm256_fmadd_ps(x2, q, ASR_SPLAT(6.29106785017040e-06f));
    q = _mm256_fmadd_ps(x2, q, ASR_SPLAT(1.70198817374094e-03f));
    q = _mm256_fmadd_ps(x2, q, ASR_SPLAT(1.16817656904453e-01f));
    q = _mm256_fmadd_ps(x2, q, ASR_SPLAT(9.93151921023180e-01f));
    return asr_maximum(_mm256_add_ps(_mm256_div_ps(_mm256_mul_ps(v, p), q), ASR_SPLAT(0.5f)), _mm256_setzero_ps());
}

static inline __m256 asr_tanh(__m256 x) {
    __m256 v = asr_minimum(asr_maximum(x, ASR_SPLAT(-9.0f)), ASR_SPLAT(9.0f));
    __m256 x2 = _mm256_mul_ps(v, v);
    __m256 p = _mm256_fmadd_ps(x2, ASR_SPLAT(-2.76076847742355e-16f), ASR_SPLAT(2.00018790482477e-13f));
    p = _mm256_fmadd_ps(x2, p, ASR_SPLAT(-8.60467152213735e-11f));
    p = _mm256_fmadd_ps(x2, p, ASR_SPLAT(5.12229709037114e-08f));
    p = _mm256_fmadd_ps(x2, p, ASR_SPLAT(1.48572235717979e-05f));
    p = _mm256_fmadd_ps(x2, p, ASR_SPLAT(6.37261928875436e-04f));
    p = _mm256_fmadd_ps(x2, p, ASR_SPLAT(4.89352455891786e-03f));
    __m256 q = _mm256_fmadd_ps(x2, ASR_SPLAT(1.19825839466702e-06f), ASR_SPLAT(1.18534705686654e-04f));
    q = _mm256_fmadd_ps(x2, q, ASR_SPLAT(2.26843463243900e-03f));
    q = _mm256_fmadd_ps(x2, q, ASR_SPLAT(4.89352518554385e-03f));
    return _mm256_div_ps(_mm256_mul_ps(v, p), q);
}

#endif
