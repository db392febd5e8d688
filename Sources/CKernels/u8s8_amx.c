#include "u8s8_amx.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define AMX_TARGET __attribute__((target("amx-tile,amx-int8")))

/* The 64-byte tile configuration of palette 1. */
typedef struct {
    uint8_t palette, start_row;
    uint8_t reserved[14];
    uint16_t bytes_per_row[16];
    uint8_t rows[16];
} tile_config;

/* Eight tiles: sums, activations and weights for 16 rows and 64 bytes of K, and for the tails
   (the last rows, the last bytes of K) of this product's shape. */
enum { SUMS, SUMS_ROW_TAIL, ROWS, ROWS_K_TAIL, ROW_TAIL, ROW_TAIL_K_TAIL, WEIGHTS, WEIGHTS_K_TAIL };

/* sums += rows x weights over the bytes of K from `offset` on; tile numbers must be constants. */
#define MULTIPLY(SUMS_TILE, ROWS_TILE, WEIGHTS_TILE, offset) do {     \
        _tile_loadd(WEIGHTS_TILE, weights + (offset) * 16, 64);       \
        _tile_loadd(ROWS_TILE, a + (offset), padded_k);               \
        _tile_dpbusd(SUMS_TILE, ROWS_TILE, WEIGHTS_TILE);             \
    } while (0)

/* One band of up to 16 rows against every pair of blocks, in the tiles of a whole band (`full`)
   or of the row tail. */
AMX_TARGET static inline __attribute__((always_inline))
void band(int full, int padded_k, int pairs, const uint8_t *a, const int8_t *w, int32_t *out, int stride) {
    int chunks = padded_k / 64, tail = padded_k % 64;
    for (int pair = 0; pair < pairs; pair++) {
        const int8_t *weights = w + (long)pair * padded_k * 16;
        if (full) _tile_zero(SUMS); else _tile_zero(SUMS_ROW_TAIL);
        for (int chunk = 0; chunk < chunks; chunk++) {
            if (full) MULTIPLY(SUMS, ROWS, WEIGHTS, chunk * 64);
            else MULTIPLY(SUMS_ROW_TAIL, ROW_TAIL, WEIGHTS, chunk * 64);
        }
        if (tail) {
            if (full) MULTIPLY(SUMS, ROWS_K_TAIL, WEIGHTS_K_TAIL, chunks * 64);
            else MULTIPLY(SUMS_ROW_TAIL, ROW_TAIL_K_TAIL, WEIGHTS_K_TAIL, chunks * 64);
        }
        if (full) _tile_stored(SUMS, out + pair * 16, stride * 4);
        else _tile_stored(SUMS_ROW_TAIL, out + pair * 16, stride * 4);
    }
}

AMX_TARGET
void asr_u8s8_product_amx(int rows, int padded_k, int blocks, const uint8_t *a, const int8_t *w, int32_t *out) {
    int stride = blocks * 8, pairs = blocks / 2;
    int k_tail = padded_k % 64, bands = rows / 16, row_tail = rows % 16;
    tile_config config;
    memset(&config, 0, sizeof config);
    config.palette = 1;
    /* A tile left at 0 rows is unconfigured: this shape never uses it. */
    config.rows[SUMS] = 16, config.bytes_per_row[SUMS] = 64;
    config.rows[ROWS] = 16, config.bytes_per_row[ROWS] = 64;
    config.rows[WEIGHTS] = 16, config.bytes_per_row[WEIGHTS] = 64;
    if (k_tail) {
        config.rows[ROWS_K_TAIL] = 16, config.bytes_per_row[ROWS_K_TAIL] = (uint16_t)k_tail;
        config.rows[WEIGHTS_K_TAIL] = (uint8_t)(k_tail / 4), config.bytes_per_row[WEIGHTS_K_TAIL] = 64;
    }
    if (row_tail) {
        config.rows[SUMS_ROW_TAIL] = (uint8_t)row_tail, config.bytes_per_row[SUMS_ROW_TAIL] = 64;
        config.rows[ROW_TAIL] = (uint8_t)row_tail, config.bytes_per_row[ROW_TAIL] = 64;
        if (k_tail) config.rows[ROW_TAIL_K_TAIL] = (uint8_t)row_tail, config.bytes_per_row[ROW_TAIL_K_TAIL] = (uint16_t)k_tail;
    }
    _tile_loadconfig(&config);
    for (int b = 0; b < bands; b++)
        band(1, padded_k, pairs, a + (long)b * 16 * padded_k, w, out + (long)b * 16 * stride, stride);
    if (row_tail)
        band(0, padded_k, pairs, a + (long)bands * 16 * padded_k, w, out + (long)bands * 16 * stride, stride);
    /* Releasing the tiles lets the OS skip saving their 8 KiB at every switch away from this thread. */
    _tile_release();
}
#else
void asr_u8s8_product_amx(int rows, int padded_k, int blocks, const uint8_t *a, const int8_t *w, int32_t *out) {
    (void)rows; (void)padded_k; (void)blocks; (void)a; (void)w; (void)out;
}
#endif
