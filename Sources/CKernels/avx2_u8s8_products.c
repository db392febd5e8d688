/* uint8 x int8 matrix products as Int8Linear.multiplyRows sums them, with AVX2's vpmaddubsw: each quad of activations is broadcast to all
   lanes; vpmaddubsw forms the pair sums of each column (saturating to int16) and vpmaddwd adds
   them into the column's int32 lane. */
#include "avx2_kernels.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
/* Every multiply and add rounds as written, as in the Swift loops: no contraction into FMAs. */
#pragma clang fp contract(off)
#include <immintrin.h>

static inline __m256i broadcast(const uint8_t *p, long offset) {
    int32_t quad;
    __builtin_memcpy(&quad, p + offset, 4);
    return _mm256_set1_epi32(quad);
}

/* `split` is a constant at each call, so the compiler emits one loop without the top-bit terms. */
static inline __attribute__((always_inline)) void multiply(int rows, const uint8_t *const *a, const uint8_t *const *high,
                                                           long quads, const int8_t *w0, const int8_t *w1, int32_t *out,
                                                           int split) {
    const __m256i ones = _mm256_set1_epi16(1), top_weight = _mm256_set1_epi16(128);
    __m256i acc[8];
    for (int i = 0; i < 8; i++) acc[i] = _mm256_setzero_si256();
    for (long quad = 0; quad < quads; quad++) {
        __m256i first = _mm256_loadu_si256((const __m256i *)(w0 + quad * 64));
        __m256i second = _mm256_loadu_si256((const __m256i *)(w1 + quad * 64));
        for (int r = 0; r < 4; r++) {
            if (r >= rows) break;
            __m256i x = broadcast(a[r], quad * 4);
            __m256i t0 = _mm256_madd_epi16(_mm256_maddubs_epi16(x, first), ones);
            __m256i t1 = _mm256_madd_epi16(_mm256_maddubs_epi16(x, second), ones);
            if (split) {
                /* Low 7 bits and top bit apart: neither pair sum can saturate. */
                __m256i top = broadcast(high[r], quad * 4);
                t0 = _mm256_add_epi32(t0, _mm256_madd_epi16(_mm256_maddubs_epi16(top, first), top_weight));
                t1 = _mm256_add_epi32(t1, _mm256_madd_epi16(_mm256_maddubs_epi16(top, second), top_weight));
            }
            acc[2 * r] = _mm256_add_epi32(acc[2 * r], t0);
            acc[2 * r + 1] = _mm256_add_epi32(acc[2 * r + 1], t1);
        }
    }
    for (int i = 0; i < 8; i++) _mm256_storeu_si256((__m256i *)(out + 8 * i), acc[i]);
}

void asr_avx2_u8s8_product(int rows, int padded_k, int blocks, const uint8_t *a, const uint8_t *high, const int8_t *w,
                           int32_t *out) {
    long stride = (long)blocks * 8, quads = padded_k / 4;
    int32_t tile[64];
    /* Weight blocks outside, rows inside: each pair of blocks comes from memory once and serves
       every row while it is in cache. */
    for (int block = 0; block < blocks; block += 2) {
        const int8_t *w0 = w + (long)block * padded_k * 8, *w1 = w0 + 32;
        for (int row = 0; row < rows; row += 4) {
            int count = rows - row < 4 ? rows - row : 4;
            const uint8_t *rows_a[4], *rows_high[4];
            for (int r = 0; r < 4; r++) {
                long offset = (long)(row + (r < count ? r : 0)) * padded_k;
                rows_a[r] = a + offset;
                rows_high[r] = high ? high + offset : 0;
            }
            if (high) {
                multiply(count, rows_a, rows_high, quads, w0, w1, tile, 1);
            } else {
                multiply(count, rows_a, rows_high, quads, w0, w1, tile, 0);
            }
            for (int r = 0; r < count; r++) {
                int32_t *target = out + (row + r) * stride + block * 8;
                __builtin_memcpy(target, tile + 16 * r, 16 * sizeof(int32_t));
            }
        }
    }
}

void asr_avx2_pack_int8_pairs(const int8_t *w, long k, long n, long padded_k, int8_t *packed) {
    for (long pair = 0; pair * 16 < n; pair++) {
        int8_t *target = packed + pair * padded_k * 16;
        long column = pair * 16, width = n - column < 16 ? n - column : 16;
        for (long inner = 0; inner < k; inner += 4) {
            /* Four rows of 16 columns (zero past K and N), transposed to [16][4] by two rounds of
               unpacking: bytes of rows 0-1 and 2-3 side by side, then their 16-bit pairs. */
            __m128i rows[4];
            for (int r = 0; r < 4; r++) {
                if (inner + r < k && width == 16) {
                    rows[r] = _mm_loadu_si128((const __m128i *)(w + (inner + r) * n + column));
                } else {
                    int8_t lanes[16] = {0};
                    if (inner + r < k) __builtin_memcpy(lanes, w + (inner + r) * n + column, (size_t)width);
                    rows[r] = _mm_loadu_si128((const __m128i *)lanes);
                }
            }
            __m128i low01 = _mm_unpacklo_epi8(rows[0], rows[1]), low23 = _mm_unpacklo_epi8(rows[2], rows[3]);
            __m128i high01 = _mm_unpackhi_epi8(rows[0], rows[1]), high23 = _mm_unpackhi_epi8(rows[2], rows[3]);
            __m128i *quad = (__m128i *)(target + (inner / 4) * 64);
            _mm_storeu_si128(quad, _mm_unpacklo_epi16(low01, low23));
            _mm_storeu_si128(quad + 1, _mm_unpackhi_epi16(low01, low23));
            _mm_storeu_si128(quad + 2, _mm_unpacklo_epi16(high01, high23));
            _mm_storeu_si128(quad + 3, _mm_unpackhi_epi16(high01, high23));
        }
    }
}

void asr_avx2_dequantize(const int32_t *sums, long rows, long stride, long n, const int32_t *column_sums,
                         const int32_t *zero_points, const float *row_scales, const float *column_scales, const float *bias,
                         float *y) {
    for (long row = 0; row < rows; row++) {
        __m256i zero_point = _mm256_set1_epi32(zero_points[row]);
        __m256 row_scale = _mm256_set1_ps(row_scales[row]);
        float *out = y + row * n;
        for (long column = 0; column < n; column += 8) {
            __m256i acc = _mm256_loadu_si256((const __m256i *)(sums + row * stride + column));
            __m256i corrected = _mm256_sub_epi32(acc, _mm256_mullo_epi32(zero_point, _mm256_loadu_si256((const __m256i *)(column_sums + column))));
            __m256 scale = column_scales ? _mm256_mul_ps(_mm256_loadu_ps(column_scales + column), row_scale) : row_scale;
            __m256 value = _mm256_mul_ps(_mm256_cvtepi32_ps(corrected), scale);
            if (bias) value = _mm256_add_ps(value, _mm256_loadu_ps(bias + column));
            if (column + 8 <= n) {
                _mm256_storeu_ps(out + column, value);
            } else {
                float lanes[8];
                _mm256_storeu_ps(lanes, value);
                for (long lane = 0; lane < n - column; lane++) out[column + lane] = lanes[lane];
            }
        }
    }
}

#pragma clang attribute pop
#endif
