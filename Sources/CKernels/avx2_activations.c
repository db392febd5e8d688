/* VectorMath's elementwise functions, softmax's exponentials and the Swoosh activations on
   arrays (the Swift loops of FusedElementwiseKernel, SoftmaxKernel and SwooshKernel). */
#include "avx2_kernels.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
/* Every multiply and add rounds as written, as in the Swift loops: no contraction into FMAs. */
#pragma clang fp contract(off)
#include "avx2_vector_math.h"

/* One loop per function: the function is a constant inside each. Two vectors per iteration, so
   that two independent polynomial chains overlap. */
#define VECTOR_LOOP(function)                                                                   \
    long i = 0;                                                                                 \
    for (; i + 16 <= count; i += 16) {                                                          \
        __m256 a = function(_mm256_loadu_ps(x + i)), b = function(_mm256_loadu_ps(x + i + 8));  \
        _mm256_storeu_ps(y + i, a);                                                             \
        _mm256_storeu_ps(y + i + 8, b);                                                         \
    }                                                                                           \
    if (i + 8 <= count) _mm256_storeu_ps(y + i, function(_mm256_loadu_ps(x + i)));

void asr_avx2_vector_function(int function, const float *x, float *y, long count) {
    switch (function) {
    case ASR_EXP: { VECTOR_LOOP(asr_exp) break; }
    case ASR_LOG: { VECTOR_LOOP(asr_log) break; }
    case ASR_LOGISTIC: { VECTOR_LOOP(asr_logistic) break; }
    default: { VECTOR_LOOP(asr_tanh) break; }
    }
}

void asr_avx2_shifted_exp(const float *x, float *y, long count, float negative_maximum) {
    __m256 shift = ASR_SPLAT(negative_maximum);
    for (long i = 0; i + 8 <= count; i += 8) {
        __m256 v = asr_maximum(_mm256_add_ps(_mm256_loadu_ps(x + i), shift), ASR_SPLAT(-88.3762626647949f));
        _mm256_storeu_ps(y + i, asr_exp_in_normal_range(v));
    }
}

/* Sign bits set in every lane of |v| - 87 exactly when every |v| < 87 (never for NaN). */
static inline int all_below_87(__m256 magnitude) {
    return _mm256_movemask_ps(_mm256_sub_ps(magnitude, ASR_SPLAT(87.0f))) == 0xFF;
}

typedef struct { __m256 offset, floor, slope, shift; } swoosh_parameters;

/* ((max(floor, s) + log(1 + exp(-|floor - s|))) - x·slope) - shift, s = x - offset. */
static inline __m256 stable(__m256 x, const swoosh_parameters *p) {
    __m256 sign_bit = ASR_SPLAT(-0.0f), one = ASR_SPLAT(1.0f);
    __m256 s = _mm256_sub_ps(x, p->offset);
    __m256 d = _mm256_andnot_ps(sign_bit, _mm256_sub_ps(p->floor, s));
    __m256 softplus = all_below_87(d)
        ? asr_log_of_normal(_mm256_add_ps(one, asr_exp_in_normal_range(_mm256_xor_ps(d, sign_bit))))
        : asr_log(_mm256_add_ps(one, asr_exp(_mm256_xor_ps(d, sign_bit))));
    return _mm256_sub_ps(_mm256_sub_ps(_mm256_add_ps(_mm256_max_ps(s, p->floor), softplus), _mm256_mul_ps(x, p->slope)), p->shift);
}

/* ((log(exp(s) + 1) where finite, else s) - x·slope) - shift, s = x - offset. */
static inline __m256 clamped(__m256 x, const swoosh_parameters *p) {
    __m256 sign_bit = ASR_SPLAT(-0.0f), one = ASR_SPLAT(1.0f);
    __m256 s = _mm256_sub_ps(x, p->offset);
    __m256 softplus;
    if (all_below_87(_mm256_andnot_ps(sign_bit, s))) {
        softplus = asr_log_of_normal(_mm256_add_ps(asr_exp_in_normal_range(s), one));
    } else {
        __m256 log = asr_log(_mm256_add_ps(asr_exp(s), one));
        softplus = _mm256_blendv_ps(log, s, _mm256_cmp_ps(log, ASR_SPLAT(__builtin_inff()), _CMP_EQ_OQ));
    }
    return _mm256_sub_ps(_mm256_sub_ps(softplus, _mm256_mul_ps(x, p->slope)), p->shift);
}

/* Four vectors at a time: when all four are in range, their exponentials, then their logarithms,
   run side by side so that the independent chains overlap; otherwise each vector takes its own
   path. A vector's result does not depend on its neighbours. The tail runs as one zero-padded vector. */
#define SWOOSH_LOOP(function, four_in_range)                                                 \
    long whole = count / 8, v = 0;                                                           \
    for (; v + 4 <= whole; v += 4) {                                                         \
        __m256 in[4];                                                                        \
        for (int j = 0; j < 4; j++) in[j] = _mm256_loadu_ps(x + 8 * (v + j));                \
        if (!four_in_range(in, &p)) {                                                        \
            for (int j = 0; j < 4; j++) in[j] = function(in[j], &p);                         \
        }                                                                                    \
        for (int j = 0; j < 4; j++) _mm256_storeu_ps(y + 8 * (v + j), in[j]);                \
    }                                                                                        \
    for (; v < whole; v++) _mm256_storeu_ps(y + 8 * v, function(_mm256_loadu_ps(x + 8 * v), &p)); \
    long rest = count - whole * 8;                                                           \
    if (rest > 0) {                                                                          \
        float tail[8] = {0};                                                                 \
        for (long i = 0; i < rest; i++) tail[i] = x[whole * 8 + i];                          \
        _mm256_storeu_ps(tail, function(_mm256_loadu_ps(tail), &p));                         \
        for (long i = 0; i < rest; i++) y[whole * 8 + i] = tail[i];                          \
    }

/* If every lane of the four vectors is in the fast range, replaces them by their results and
   returns 1; otherwise leaves them and returns 0. */
static inline int stable_four(__m256 *x, const swoosh_parameters *p) {
    __m256 sign_bit = ASR_SPLAT(-0.0f), one = ASR_SPLAT(1.0f), s[4], d[4], e[4];
    int in_range = 1;
    for (int j = 0; j < 4; j++) {
        s[j] = _mm256_sub_ps(x[j], p->offset);
        d[j] = _mm256_andnot_ps(sign_bit, _mm256_sub_ps(p->floor, s[j]));
        in_range &= all_below_87(d[j]);
    }
    if (!in_range) return 0;
    for (int j = 0; j < 4; j++) e[j] = asr_exp_in_normal_range(_mm256_xor_ps(d[j], sign_bit));
    for (int j = 0; j < 4; j++) {
        __m256 softplus = asr_log_of_normal(_mm256_add_ps(one, e[j]));
        x[j] = _mm256_sub_ps(_mm256_sub_ps(_mm256_add_ps(_mm256_max_ps(s[j], p->floor), softplus), _mm256_mul_ps(x[j], p->slope)), p->shift);
    }
    return 1;
}

static inline int clamped_four(__m256 *x, const swoosh_parameters *p) {
    __m256 sign_bit = ASR_SPLAT(-0.0f), one = ASR_SPLAT(1.0f), s[4], e[4];
    int in_range = 1;
    for (int j = 0; j < 4; j++) {
        s[j] = _mm256_sub_ps(x[j], p->offset);
        in_range &= all_below_87(_mm256_andnot_ps(sign_bit, s[j]));
    }
    if (!in_range) return 0;
    for (int j = 0; j < 4; j++) e[j] = asr_exp_in_normal_range(s[j]);
    for (int j = 0; j < 4; j++) {
        __m256 softplus = asr_log_of_normal(_mm256_add_ps(e[j], one));
        x[j] = _mm256_sub_ps(_mm256_sub_ps(softplus, _mm256_mul_ps(x[j], p->slope)), p->shift);
    }
    return 1;
}

void asr_avx2_swoosh_stable(const float *x, float *y, long count, float offset, float floor, float slope, float shift) {
    swoosh_parameters p = { ASR_SPLAT(offset), ASR_SPLAT(floor), ASR_SPLAT(slope), ASR_SPLAT(shift) };
    SWOOSH_LOOP(stable, stable_four)
}

void asr_avx2_swoosh_clamped(const float *x, float *y, long count, float offset, float slope, float shift) {
    swoosh_parameters p = { ASR_SPLAT(offset), _mm256_setzero_ps(), ASR_SPLAT(slope), ASR_SPLAT(shift) };
    SWOOSH_LOOP(clamped, clamped_four)
}

#pragma clang attribute pop
#endif
