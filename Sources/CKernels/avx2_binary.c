/* BinaryKernel's float operations over contiguous or broadcast operands. */
#include "avx2_kernels.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
/* Every multiply and add rounds as written, as in the Swift loops: no contraction into FMAs. */
#pragma clang fp contract(off)
#include "avx2_vector_math.h"

static inline __m256 operate(int operation, __m256 x, __m256 y) {
    switch (operation) {
    case ASR_ADD: return _mm256_add_ps(x, y);
    case ASR_SUB: return _mm256_sub_ps(x, y);
    case ASR_MUL: return _mm256_mul_ps(x, y);
    case ASR_DIV: return _mm256_div_ps(x, y);
    case ASR_MAX: return asr_maximum(x, y);
    case ASR_MIN: return asr_minimum(x, y);
    default: return _mm256_mul_ps(x, x);
    }
}

static inline float operate_scalar(int operation, float x, float y) {
    switch (operation) {
    case ASR_ADD: return x + y;
    case ASR_SUB: return x - y;
    case ASR_MUL: return x * y;
    case ASR_DIV: return x / y;
    case ASR_MAX: return y >= x ? y : x;
    case ASR_MIN: return y < x ? y : x;
    default: return x * x;
    }
}

/* The operation and the operand kinds are constants in each loop: one specialized loop per
   operation and per pair of strides. */
static inline __attribute__((always_inline)) void loop(int operation, const float *a, long sa, const float *b, long sb,
                                                       float *y, long n) {
    long i = 0;
    __m256 va = _mm256_set1_ps(a[0]), vb = _mm256_set1_ps(b[0]);
    if (sa && sb) {
        for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, operate(operation, _mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
    } else if (sa) {
        for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, operate(operation, _mm256_loadu_ps(a + i), vb));
    } else if (sb) {
        for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, operate(operation, va, _mm256_loadu_ps(b + i)));
    } else {
        __m256 value = operate(operation, va, vb);
        for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, value);
    }
    for (; i < n; i++) y[i] = operate_scalar(operation, a[i * sa], b[i * sb]);
}

void asr_avx2_binary(int operation, const float *a, long sa, const float *b, long sb, float *y, long n) {
    if (n <= 0) return;
    switch (operation) {
    case ASR_ADD: loop(ASR_ADD, a, sa, b, sb, y, n); break;
    case ASR_SUB: loop(ASR_SUB, a, sa, b, sb, y, n); break;
    case ASR_MUL: loop(ASR_MUL, a, sa, b, sb, y, n); break;
    case ASR_DIV: loop(ASR_DIV, a, sa, b, sb, y, n); break;
    case ASR_MAX: loop(ASR_MAX, a, sa, b, sb, y, n); break;
    case ASR_MIN: loop(ASR_MIN, a, sa, b, sb, y, n); break;
    default: loop(ASR_SQUARE, a, sa, b, sb, y, n); break;
    }
}

#pragma clang attribute pop
#endif
