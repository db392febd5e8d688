/* The packed fp32 matrix products of avx2_matrix_product.c with AVX512F: two 16-column panels
   per tile, one 16-lane register per row and panel. Each output keeps its FMA chain from zero
   over each K slice and its one rounded add per slice, so the bits are the AVX2 kernels'. */
#include "avx512_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512_TARGET __attribute__((target("avx2,fma,avx512f,evex512")))
/* Every multiply and add rounds as written: no contraction into FMAs. */
#pragma clang fp contract(off)

static inline long min_long(long a, long b) { return a < b ? a : b; }

/* The first `lanes` lanes (0...16). */
static inline __mmask16 first_lanes(long lanes) {
    return lanes >= 16 ? (__mmask16)0xFFFF : lanes <= 0 ? (__mmask16)0 : (__mmask16)((1u << lanes) - 1);
}

/* `ROWS` rows times `VECTORS` x 16 columns. Row r's value at `inner` is a[r * row_step + inner *
   inner_step]; B's 16 columns at `inner` are at b + inner * b_step (+ `second` for the second
   vector), loaded under `load0` / `load1` (zeros elsewhere); y's rows are n apart, stored under
   `store0` / `store1`, added to what they hold after the first K slice. */
AVX512_TARGET static inline __attribute__((always_inline))
void tile(const int ROWS, const int VECTORS, const float *a, long row_step, long inner_step, const float *b, long b_step,
          long second, __mmask16 load0, __mmask16 load1, float *y, long n, __mmask16 store0, __mmask16 store1,
          long k, long slice) {
    long start = 0;
    do {
        long end = min_long(k, start + slice);
        __m512 c[12];
        for (int i = 0; i < ROWS * VECTORS; i++) c[i] = _mm512_setzero_ps();
        for (long inner = start; inner < end; inner++) {
            const float *row = b + inner * b_step;
            __m512 b0 = _mm512_maskz_loadu_ps(load0, row);
            __m512 b1 = VECTORS == 2 ? _mm512_maskz_loadu_ps(load1, row + second) : b0;
            for (int r = 0; r < ROWS; r++) {
                __m512 x = _mm512_set1_ps(a[r * row_step + inner * inner_step]);
                c[VECTORS * r] = _mm512_fmadd_ps(x, b0, c[VECTORS * r]);
                if (VECTORS == 2) c[2 * r + 1] = _mm512_fmadd_ps(x, b1, c[2 * r + 1]);
            }
        }
        for (int r = 0; r < ROWS; r++) {
            for (int v = 0; v < VECTORS; v++) {
                float *out = y + r * n + 16 * v;
                __mmask16 mask = v == 0 ? store0 : store1;
                __m512 sum = c[VECTORS * r + v];
                if (start > 0) sum = _mm512_add_ps(_mm512_maskz_loadu_ps(mask, out), sum);
                _mm512_mask_storeu_ps(out, mask, sum);
            }
        }
        start = end;
    } while (start < k);
}

/* `tile` with ROWS = rows (1...6) and VECTORS = vectors (1, 2) as constants. */
#define TILE_CASES(...)                                                                            \
    switch (rows * 2 + vectors - 1) {                                                              \
    case 13: tile(6, 2, __VA_ARGS__); break;                                                       \
    case 12: tile(6, 1, __VA_ARGS__); break;                                                       \
    case 11: tile(5, 2, __VA_ARGS__); break;                                                       \
    case 10: tile(5, 1, __VA_ARGS__); break;                                                       \
    case 9: tile(4, 2, __VA_ARGS__); break;                                                        \
    case 8: tile(4, 1, __VA_ARGS__); break;                                                        \
    case 7: tile(3, 2, __VA_ARGS__); break;                                                        \
    case 6: tile(3, 1, __VA_ARGS__); break;                                                        \
    case 5: tile(2, 2, __VA_ARGS__); break;                                                        \
    case 4: tile(2, 1, __VA_ARGS__); break;                                                        \
    case 3: tile(1, 2, __VA_ARGS__); break;                                                        \
    default: tile(1, 1, __VA_ARGS__); break;                                                       \
    }

AVX512_TARGET
void asr_avx512_packed_matrix_product(const float *a, const float *panels, float *y, long m, long k, long n, long slice) {
    if (slice < 1) slice = 1;
    /* Panel pairs outside, rows inside, as the AVX2 kernel runs single panels. */
    for (long column = 0; column < n; column += 32) {
        const float *panel = panels + column * k;
        long width = min_long(32, n - column);
        int vectors = width > 16 ? 2 : 1;
        __mmask16 store0 = first_lanes(width), store1 = first_lanes(width - 16);
        for (long row = 0; row < m; row += 6) {
            long rows = min_long(6, m - row);
            TILE_CASES(a + row * k, k, 1, panel, 16, 16 * k, 0xFFFF, 0xFFFF, y + row * n + column, n, store0, store1, k, slice)
        }
    }
}

AVX512_TARGET
void asr_avx512_packed_rows_matrix_product(const float *panels, const float *b, float *y, long m, long k, long n, long slice) {
    if (slice < 1) slice = 1;
    /* Row panels outside, as the AVX2 kernel runs them. */
    for (long row = 0; row < m; row += 6) {
        const float *panel = panels + row * k;
        long rows = min_long(6, m - row);
        for (long column = 0; column < n; column += 32) {
            long width = min_long(32, n - column);
            int vectors = width > 16 ? 2 : 1;
            __mmask16 lanes0 = first_lanes(width), lanes1 = first_lanes(width - 16);
            TILE_CASES(panel, 1, 6, b + column, n, 16, lanes0, lanes1, y + row * n + column, n, lanes0, lanes1, k, slice)
        }
    }
}
#else
void asr_avx512_packed_matrix_product(const float *a, const float *panels, float *y, long m, long k, long n, long slice) {
    (void)a; (void)panels; (void)y; (void)m; (void)k; (void)n; (void)slice;
}
void asr_avx512_packed_rows_matrix_product(const float *panels, const float *b, float *y, long m, long k, long n, long slice) {
    (void)panels; (void)b; (void)y; (void)m; (void)k; (void)n; (void)slice;
}
#endif
