/* The inner loops of ChannelBlockedConvKernel (NCHWc rounding: one FMA chain from zero per channel
   block, block sums added in order) and of DepthwiseConvolution. */
#include "avx2_kernels.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
/* Every multiply and add rounds as written, as in the Swift loops: no contraction into FMAs. */
#pragma clang fp contract(off)
#include <immintrin.h>

static inline long min_long(long a, long b) { return a < b ? a : b; }

static void tile16(const float *const *inputs, long first_row, long end_row, long kernel_width, long row_step,
                   long column_step, long cs, long channels, long block, const float *weights, float *sums) {
    for (long start = 0; start < channels;) {
        long count = min_long(channels - start, block);
        __m256 a[12];
        for (int i = 0; i < 12; i++) a[i] = _mm256_setzero_ps();
        for (long kh = first_row; kh < end_row; kh++) {
            for (long kw = 0; kw < kernel_width; kw++) {
                long offset = (kh - first_row) * row_step + kw * column_step + start * cs;
                /* One moving pointer and the other positions at fixed distances from it: one
                   address update per channel instead of six. */
                const float *q = inputs[0] + offset;
                long d1 = inputs[1] - inputs[0], d2 = inputs[2] - inputs[0], d3 = inputs[3] - inputs[0];
                long d4 = inputs[4] - inputs[0], d5 = inputs[5] - inputs[0];
                const float *w = weights + ((kh * kernel_width + kw) * channels + start) * 16;
                for (long c = 0; c < count; c++, w += 16, q += cs) {
                    __m256 w0 = _mm256_loadu_ps(w), w1 = _mm256_loadu_ps(w + 8);
                    __m256 x0 = _mm256_set1_ps(q[0]);
                    a[0] = _mm256_fmadd_ps(x0, w0, a[0]); a[1] = _mm256_fmadd_ps(x0, w1, a[1]);
                    __m256 x1 = _mm256_set1_ps(q[d1]);
                    a[2] = _mm256_fmadd_ps(x1, w0, a[2]); a[3] = _mm256_fmadd_ps(x1, w1, a[3]);
                    __m256 x2 = _mm256_set1_ps(q[d2]);
                    a[4] = _mm256_fmadd_ps(x2, w0, a[4]); a[5] = _mm256_fmadd_ps(x2, w1, a[5]);
                    __m256 x3 = _mm256_set1_ps(q[d3]);
                    a[6] = _mm256_fmadd_ps(x3, w0, a[6]); a[7] = _mm256_fmadd_ps(x3, w1, a[7]);
                    __m256 x4 = _mm256_set1_ps(q[d4]);
                    a[8] = _mm256_fmadd_ps(x4, w0, a[8]); a[9] = _mm256_fmadd_ps(x4, w1, a[9]);
                    __m256 x5 = _mm256_set1_ps(q[d5]);
                    a[10] = _mm256_fmadd_ps(x5, w0, a[10]); a[11] = _mm256_fmadd_ps(x5, w1, a[11]);
                }
            }
        }
        for (int i = 0; i < 12; i++) {
            __m256 sum = start == 0 ? a[i] : _mm256_add_ps(_mm256_loadu_ps(sums + 8 * i), a[i]);
            _mm256_storeu_ps(sums + 8 * i, sum);
        }
        start += count;
    }
}

static void tile8(const float *const *inputs, long first_row, long end_row, long kernel_width, long row_step,
                  long column_step, long cs, long channels, long block, const float *weights, float *sums) {
    for (long start = 0; start < channels;) {
        long count = min_long(channels - start, block);
        __m256 a[6];
        for (int i = 0; i < 6; i++) a[i] = _mm256_setzero_ps();
        for (long kh = first_row; kh < end_row; kh++) {
            for (long kw = 0; kw < kernel_width; kw++) {
                long offset = (kh - first_row) * row_step + kw * column_step + start * cs;
                const float *q = inputs[0] + offset;
                long d1 = inputs[1] - inputs[0], d2 = inputs[2] - inputs[0], d3 = inputs[3] - inputs[0];
                long d4 = inputs[4] - inputs[0], d5 = inputs[5] - inputs[0];
                const float *w = weights + ((kh * kernel_width + kw) * channels + start) * 8;
                for (long c = 0; c < count; c++, w += 8, q += cs) {
                    __m256 w0 = _mm256_loadu_ps(w);
                    a[0] = _mm256_fmadd_ps(_mm256_set1_ps(q[0]), w0, a[0]);
                    a[1] = _mm256_fmadd_ps(_mm256_set1_ps(q[d1]), w0, a[1]);
                    a[2] = _mm256_fmadd_ps(_mm256_set1_ps(q[d2]), w0, a[2]);
                    a[3] = _mm256_fmadd_ps(_mm256_set1_ps(q[d3]), w0, a[3]);
                    a[4] = _mm256_fmadd_ps(_mm256_set1_ps(q[d4]), w0, a[4]);
                    a[5] = _mm256_fmadd_ps(_mm256_set1_ps(q[d5]), w0, a[5]);
                }
            }
        }
        for (int i = 0; i < 6; i++) {
            __m256 sum = start == 0 ? a[i] : _mm256_add_ps(_mm256_loadu_ps(sums + 16 * i), a[i]);
            _mm256_storeu_ps(sums + 16 * i, sum);
        }
        start += count;
    }
}

void asr_avx2_conv_tile(int width, const float *const *inputs, long first_row, long end_row, long kernel_width,
                        long row_step, long column_step, long channel_stride, long channels, long block,
                        const float *weights, float *sums) {
    if (width == 16) {
        tile16(inputs, first_row, end_row, kernel_width, row_step, column_step, channel_stride, channels, block, weights, sums);
    } else {
        tile8(inputs, first_row, end_row, kernel_width, row_step, column_step, channel_stride, channels, block, weights, sums);
    }
}

void asr_avx2_conv_position(const float *image, long top, long left, long height, long width, long kernel_height,
                            long kernel_width, long dilation_h, long dilation_w, long channels, long block,
                            const float *weights, long group_width, float *out) {
    long cs = height * width;
    __m256 sum = _mm256_setzero_ps();
    for (long start = 0; start < channels;) {
        long end = min_long(channels, start + block);
        __m256 acc = _mm256_setzero_ps();
        for (long kh = 0; kh < kernel_height; kh++) {
            long ih = top + kh * dilation_h;
            if (ih < 0 || ih >= height) continue;
            for (long kw = 0; kw < kernel_width; kw++) {
                long iw = left + kw * dilation_w;
                if (iw < 0 || iw >= width) continue;
                const float *pixel = image + ih * width + iw;
                const float *tap_weights = weights + (kh * kernel_width + kw) * channels * group_width;
                for (long c = start; c < end; c++) {
                    acc = _mm256_fmadd_ps(_mm256_set1_ps(pixel[c * cs]), _mm256_loadu_ps(tap_weights + c * group_width), acc);
                }
            }
        }
        sum = start == 0 ? acc : _mm256_add_ps(sum, acc);
        start = end;
    }
    _mm256_storeu_ps(out, sum);
}

static inline void store_row(__m256 sum, float *out, long columns) {
    if (columns >= 8) {
        _mm256_storeu_ps(out, sum);
    } else {
        float lanes[8];
        _mm256_storeu_ps(lanes, sum);
        for (long lane = 0; lane < columns; lane++) out[lane] = lanes[lane];
    }
}

void asr_avx2_depthwise_channel(const float *plane, long padded_width, const float *weights, const long *tap_offsets,
                                long taps, long out_height, long out_width, int has_bias, float bias, float *y) {
    for (long oh = 0; oh < out_height; oh++) {
        for (long ow = 0; ow < out_width; ow += 8) {
            const float *origin = plane + oh * padded_width + ow;
#define PRODUCT(tap) _mm256_mul_ps(_mm256_set1_ps(weights[tap]), _mm256_loadu_ps(origin + tap_offsets[tap]))
            __m256 acc = _mm256_setzero_ps();
            long tap = 0;
            for (; taps - tap >= 4; tap += 4) {
                __m256 partial = PRODUCT(tap);
                partial = _mm256_add_ps(partial, PRODUCT(tap + 1));
                partial = _mm256_add_ps(partial, PRODUCT(tap + 2));
                partial = _mm256_add_ps(partial, PRODUCT(tap + 3));
                acc = _mm256_add_ps(partial, acc);
            }
            if (taps - tap >= 2) {
                acc = _mm256_add_ps(_mm256_add_ps(PRODUCT(tap), PRODUCT(tap + 1)), acc);
                tap += 2;
            }
            if (taps - tap == 1) acc = _mm256_add_ps(PRODUCT(tap), acc);
#undef PRODUCT
            if (has_bias) acc = _mm256_add_ps(acc, _mm256_set1_ps(bias));
            store_row(acc, y + oh * out_width + ow, out_width - ow);
        }
    }
}

/* + bias and store of the 8-column vector `column` of output row `row`. */
static inline void store_chained(__m256 sum, float *y, long row, long column, long out_width, int has_bias, float bias) {
    if (has_bias) sum = _mm256_add_ps(sum, _mm256_set1_ps(bias));
    store_row(sum, y + row * out_width + column * 8, out_width - column * 8);
}

void asr_avx2_depthwise_chained_channel(const float *plane, long padded_width, const float *weights, const long *tap_offsets,
                                        long taps, long out_height, long out_width, int has_bias, float bias, float *y) {
    long per_row = (out_width + 7) / 8, count = out_height * per_row;
#define ORIGIN(vector) (plane + ((vector) / per_row) * padded_width + ((vector) % per_row) * 8)
    if (count < 6) {
        for (long vector = 0; vector < count; vector++) {
            const float *o = ORIGIN(vector);
            __m256 acc = _mm256_setzero_ps();
            for (long tap = 0; tap < taps; tap++) {
                acc = _mm256_fmadd_ps(_mm256_set1_ps(weights[tap]), _mm256_loadu_ps(o + tap_offsets[tap]), acc);
            }
            store_chained(acc, y, vector / per_row, vector % per_row, out_width, has_bias, bias);
        }
        return;
    }
    if (per_row == 3 && out_height >= 4) {
        /* Four rows of three vectors: twelve independent chains. */
        for (long next = 0; next < out_height;) {
            long row = min_long(next, out_height - 4);
            const float *r[4];
            for (int i = 0; i < 4; i++) r[i] = plane + (row + i) * padded_width;
            __m256 a[12];
            for (int i = 0; i < 12; i++) a[i] = _mm256_setzero_ps();
            for (long tap = 0; tap < taps; tap++) {
                __m256 w = _mm256_set1_ps(weights[tap]);
                long offset = tap_offsets[tap];
                for (int i = 0; i < 4; i++) {
                    a[3 * i] = _mm256_fmadd_ps(w, _mm256_loadu_ps(r[i] + offset), a[3 * i]);
                    a[3 * i + 1] = _mm256_fmadd_ps(w, _mm256_loadu_ps(r[i] + offset + 8), a[3 * i + 1]);
                    a[3 * i + 2] = _mm256_fmadd_ps(w, _mm256_loadu_ps(r[i] + offset + 16), a[3 * i + 2]);
                }
            }
            for (int i = 0; i < 12; i++) store_chained(a[i], y, row + i / 3, i % 3, out_width, has_bias, bias);
            next = row + 4;
        }
        return;
    }
    for (long next = 0; next < count;) {
        long first = min_long(next, count - 6);
        const float *o[6];
        for (int i = 0; i < 6; i++) o[i] = ORIGIN(first + i);
        __m256 a[6];
        for (int i = 0; i < 6; i++) a[i] = _mm256_setzero_ps();
        for (long tap = 0; tap < taps; tap++) {
            __m256 w = _mm256_set1_ps(weights[tap]);
            long offset = tap_offsets[tap];
            for (int i = 0; i < 6; i++) a[i] = _mm256_fmadd_ps(w, _mm256_loadu_ps(o[i] + offset), a[i]);
        }
        for (int i = 0; i < 6; i++) store_chained(a[i], y, (first + i) / per_row, (first + i) % per_row, out_width, has_bias, bias);
        next = first + 6;
    }
#undef ORIGIN
}

#pragma clang attribute pop
#endif
