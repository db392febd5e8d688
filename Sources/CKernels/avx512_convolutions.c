/* ChannelBlockedConvKernel's register tile with AVX512F: 6 positions x 32 output channels. */
#include "avx512_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512_TARGET __attribute__((target("avx2,fma,avx512f,evex512")))
/* Every multiply and add rounds as written: no contraction into FMAs. */
#pragma clang fp contract(off)

static inline long min_long(long a, long b) { return a < b ? a : b; }

AVX512_TARGET
void asr_avx512_conv_tile_pair(const float *const *inputs, long first_row, long end_row, long kernel_width,
                               long row_step, long column_step, long cs, long channels, long block,
                               const float *weights, const float *next_weights, float *sums) {
    long d1 = inputs[1] - inputs[0], d2 = inputs[2] - inputs[0], d3 = inputs[3] - inputs[0];
    long d4 = inputs[4] - inputs[0], d5 = inputs[5] - inputs[0];
    for (long start = 0; start < channels;) {
        long count = min_long(channels - start, block);
        /* a[2 * position + group] */
        __m512 a[12];
        for (int i = 0; i < 12; i++) a[i] = _mm512_setzero_ps();
        for (long kh = first_row; kh < end_row; kh++) {
            for (long kw = 0; kw < kernel_width; kw++) {
                long offset = (kh - first_row) * row_step + kw * column_step + start * cs;
                const float *q = inputs[0] + offset;
                long tap = ((kh * kernel_width + kw) * channels + start) * 16;
                const float *w = weights + tap, *v = next_weights + tap;
                for (long c = 0; c < count; c++, w += 16, v += 16, q += cs) {
                    __m512 w0 = _mm512_loadu_ps(w), w1 = _mm512_loadu_ps(v);
                    __m512 x0 = _mm512_set1_ps(q[0]);
                    a[0] = _mm512_fmadd_ps(x0, w0, a[0]); a[1] = _mm512_fmadd_ps(x0, w1, a[1]);
                    __m512 x1 = _mm512_set1_ps(q[d1]);
                    a[2] = _mm512_fmadd_ps(x1, w0, a[2]); a[3] = _mm512_fmadd_ps(x1, w1, a[3]);
                    __m512 x2 = _mm512_set1_ps(q[d2]);
                    a[4] = _mm512_fmadd_ps(x2, w0, a[4]); a[5] = _mm512_fmadd_ps(x2, w1, a[5]);
                    __m512 x3 = _mm512_set1_ps(q[d3]);
                    a[6] = _mm512_fmadd_ps(x3, w0, a[6]); a[7] = _mm512_fmadd_ps(x3, w1, a[7]);
                    __m512 x4 = _mm512_set1_ps(q[d4]);
                    a[8] = _mm512_fmadd_ps(x4, w0, a[8]); a[9] = _mm512_fmadd_ps(x4, w1, a[9]);
                    __m512 x5 = _mm512_set1_ps(q[d5]);
                    a[10] = _mm512_fmadd_ps(x5, w0, a[10]); a[11] = _mm512_fmadd_ps(x5, w1, a[11]);
                }
            }
        }
        for (int p = 0; p < 6; p++) {
            for (int group = 0; group < 2; group++) {
                float *target = sums + group * 96 + p * 16;
                __m512 sum = a[2 * p + group];
                if (start != 0) sum = _mm512_add_ps(_mm512_loadu_ps(target), sum);
                _mm512_storeu_ps(target, sum);
            }
        }
        start += count;
    }
}
#else
void asr_avx512_conv_tile_pair(const float *const *inputs, long first_row, long end_row, long kernel_width,
                               long row_step, long column_step, long cs, long channels, long block,
                               const float *weights, const float *next_weights, float *sums) {
    (void)inputs; (void)first_row; (void)end_row; (void)kernel_width; (void)row_step; (void)column_step;
    (void)cs; (void)channels; (void)block; (void)weights; (void)next_weights; (void)sums;
}
#endif
