#include "u8s8_vnni.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define VNNI_TARGET __attribute__((target("avx2,avx512f,avx512vl,avx512vnni,evex512")))

/* `ROWS` rows (a constant at each call: the loops unroll and the accumulators stay in registers)
   against one pair of blocks, 16 columns: each quad of K is one 64-byte load, and the weights are
   read as one sequential stream (a large model's weights come from memory, not cache, every chunk). */
VNNI_TARGET static inline __attribute__((always_inline))
void tile(const int ROWS, const uint8_t *a, int padded_k, const int8_t *pair, int32_t *out, int stride) {
    __m512i acc[8];
    for (int r = 0; r < ROWS; r++) acc[r] = _mm512_setzero_si512();
    int quads = padded_k / 4;
    for (int q = 0; q < quads; q++) {
        __m512i weights = _mm512_loadu_si512((const void *)(pair + q * 64));
        for (int r = 0; r < ROWS; r++) {
            int32_t quad;
            __builtin_memcpy(&quad, a + r * padded_k + q * 4, 4);
            acc[r] = _mm512_dpbusd_epi32(acc[r], _mm512_set1_epi32(quad), weights);
        }
    }
    for (int r = 0; r < ROWS; r++) _mm512_storeu_si512((void *)(out + r * stride), acc[r]);
}

VNNI_TARGET
void asr_u8s8_product_vnni(int rows, int padded_k, int blocks, const uint8_t *a, const int8_t *w, int32_t *out) {
    int stride = blocks * 8;
    /* Weight pairs outside, rows inside: each pair comes from memory once and serves every row
       while it is in cache. */
    for (int block = 0; block < blocks; block += 2) {
        const int8_t *pair = w + (long)block * padded_k * 8;
        for (int row = 0; row < rows; row += 8) {
            const uint8_t *x = a + (long)row * padded_k;
            int32_t *y = out + (long)row * stride + block * 8;
            switch (rows - row < 8 ? rows - row : 8) {
            case 8: tile(8, x, padded_k, pair, y, stride); break;
            case 7: tile(7, x, padded_k, pair, y, stride); break;
            case 6: tile(6, x, padded_k, pair, y, stride); break;
            case 5: tile(5, x, padded_k, pair, y, stride); break;
            case 4: tile(4, x, padded_k, pair, y, stride); break;
            case 3: tile(3, x, padded_k, pair, y, stride); break;
            case 2: tile(2, x, padded_k, pair, y, stride); break;
            default: tile(1, x, padded_k, pair, y, stride); break;
            }
        }
    }
}
#else
void asr_u8s8_product_vnni(int rows, int padded_k, int blocks, const uint8_t *a, const int8_t *w, int32_t *out) {
    (void)rows; (void)padded_k; (void)blocks; (void)a; (void)w; (void)out;
}
#endif
