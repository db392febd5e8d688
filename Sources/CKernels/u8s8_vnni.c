#include "u8s8_vnni.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define VNNI_TARGET __attribute__((target("avx2,avx512f,avx512vl,avx512vnni")))

/* `ROWS` rows (a constant at each call: the loops unroll and the 2 x ROWS accumulators stay in
   registers; AVX-512VL gives 32 of them) against two blocks of 8 columns. */
VNNI_TARGET static inline __attribute__((always_inline))
void tile(const int ROWS, const uint8_t *a, int padded_k, const int8_t *w0, const int8_t *w1, int32_t *out, int stride) {
    __m256i acc[16];
    for (int i = 0; i < 2 * ROWS; i++) acc[i] = _mm256_setzero_si256();
    int quads = padded_k / 4;
    for (int q = 0; q < quads; q++) {
        __m256i first = _mm256_loadu_si256((const __m256i *)(w0 + q * 32));
        __m256i second = _mm256_loadu_si256((const __m256i *)(w1 + q * 32));
        for (int r = 0; r < ROWS; r++) {
            int32_t quad;
            __builtin_memcpy(&quad, a + r * padded_k + q * 4, 4);
            __m256i x = _mm256_set1_epi32(quad);
            acc[2 * r] = _mm256_dpbusd_epi32(acc[2 * r], x, first);
            acc[2 * r + 1] = _mm256_dpbusd_epi32(acc[2 * r + 1], x, second);
        }
    }
    for (int r = 0; r < ROWS; r++) {
        _mm256_storeu_si256((__m256i *)(out + r * stride), acc[2 * r]);
        _mm256_storeu_si256((__m256i *)(out + r * stride + 8), acc[2 * r + 1]);
    }
}

VNNI_TARGET
void asr_u8s8_product_vnni(int rows, int padded_k, int blocks, const uint8_t *a, const int8_t *w, int32_t *out) {
    int stride = blocks * 8;
    /* Weight blocks outside, rows inside: each pair of blocks comes from memory once and serves
       every row while it is in cache (the weights of a large layer do not fit in it). */
    for (int block = 0; block < blocks; block += 2) {
        const int8_t *w0 = w + (long)block * padded_k * 8, *w1 = w0 + (long)padded_k * 8;
        for (int row = 0; row < rows; row += 8) {
            const uint8_t *x = a + (long)row * padded_k;
            int32_t *y = out + (long)row * stride + block * 8;
            switch (rows - row < 8 ? rows - row : 8) {
            case 8: tile(8, x, padded_k, w0, w1, y, stride); break;
            case 7: tile(7, x, padded_k, w0, w1, y, stride); break;
            case 6: tile(6, x, padded_k, w0, w1, y, stride); break;
            case 5: tile(5, x, padded_k, w0, w1, y, stride); break;
            case 4: tile(4, x, padded_k, w0, w1, y, stride); break;
            case 3: tile(3, x, padded_k, w0, w1, y, stride); break;
            case 2: tile(2, x, padded_k, w0, w1, y, stride); break;
            default: tile(1, x, padded_k, w0, w1, y, stride); break;
            }
        }
    }
}
#else
void asr_u8s8_product_vnni(int rows, int padded_k, int blocks, const uint8_t *a, const int8_t *w, int32_t *out) {
    (void)rows; (void)padded_k; (void)blocks; (void)a; (void)w; (void)out;
}
#endif
