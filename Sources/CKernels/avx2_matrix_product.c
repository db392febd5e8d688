/* BlockedMatrixProduct (fp32 matrix product in MLAS SGEMM's rounding): fused multiply-adds from
   zero in K order within each K slice, each slice's sum added to the output with one rounding. */
#include "avx2_kernels.h"

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
/* Every multiply and add rounds as written, as in the Swift loops: no contraction into FMAs. */
#pragma clang fp contract(off)
#include <immintrin.h>

static inline long min_long(long a, long b) { return a < b ? a : b; }

static inline void store(__m256 v, float *p, int accumulate) {
    _mm256_storeu_ps(p, accumulate ? _mm256_add_ps(_mm256_loadu_ps(p), v) : v);
}

static inline void store_lanes(__m256 v, float *p, long width, int accumulate) {
    float lanes[8];
    _mm256_storeu_ps(lanes, v);
    for (long lane = 0; lane < width; lane++) p[lane] = accumulate ? p[lane] + lanes[lane] : lanes[lane];
}

/* The first `width` floats of `p` in a vector, the other lanes zero. */
static inline __m256 load_lanes(const float *p, long width) {
    float lanes[8] = {0};
    for (long lane = 0; lane < width; lane++) lanes[lane] = p[lane];
    return _mm256_loadu_ps(lanes);
}

static void tile4x16(const float *a, const float *b, float *y, long k, long n, long slice) {
    long start = 0;
    do {
        long end = min_long(k, start + slice);
        __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        const float *r1 = a + k, *r2 = a + 2 * k, *r3 = a + 3 * k;
        for (long inner = start; inner < end; inner++) {
            const float *row = b + inner * n;
            __m256 b0 = _mm256_loadu_ps(row), b1 = _mm256_loadu_ps(row + 8);
            __m256 a0 = _mm256_set1_ps(a[inner]), a1 = _mm256_set1_ps(r1[inner]);
            __m256 a2 = _mm256_set1_ps(r2[inner]), a3 = _mm256_set1_ps(r3[inner]);
            c00 = _mm256_fmadd_ps(a0, b0, c00); c01 = _mm256_fmadd_ps(a0, b1, c01);
            c10 = _mm256_fmadd_ps(a1, b0, c10); c11 = _mm256_fmadd_ps(a1, b1, c11);
            c20 = _mm256_fmadd_ps(a2, b0, c20); c21 = _mm256_fmadd_ps(a2, b1, c21);
            c30 = _mm256_fmadd_ps(a3, b0, c30); c31 = _mm256_fmadd_ps(a3, b1, c31);
        }
        int accumulate = start > 0;
        store(c00, y, accumulate); store(c01, y + 8, accumulate);
        store(c10, y + n, accumulate); store(c11, y + n + 8, accumulate);
        store(c20, y + 2 * n, accumulate); store(c21, y + 2 * n + 8, accumulate);
        store(c30, y + 3 * n, accumulate); store(c31, y + 3 * n + 8, accumulate);
        start = end;
    } while (start < k);
}

static void tile4x8(const float *a, const float *b, float *y, long k, long n, long width, long slice) {
    long start = 0;
    do {
        long end = min_long(k, start + slice);
        __m256 c0 = _mm256_setzero_ps(), c1 = c0, c2 = c0, c3 = c0;
        const float *r1 = a + k, *r2 = a + 2 * k, *r3 = a + 3 * k;
        for (long inner = start; inner < end; inner++) {
            const float *row = b + inner * n;
            __m256 b0 = width == 8 ? _mm256_loadu_ps(row) : load_lanes(row, width);
            c0 = _mm256_fmadd_ps(_mm256_set1_ps(a[inner]), b0, c0);
            c1 = _mm256_fmadd_ps(_mm256_set1_ps(r1[inner]), b0, c1);
            c2 = _mm256_fmadd_ps(_mm256_set1_ps(r2[inner]), b0, c2);
            c3 = _mm256_fmadd_ps(_mm256_set1_ps(r3[inner]), b0, c3);
        }
        int accumulate = start > 0;
        if (width == 8) {
            store(c0, y, accumulate); store(c1, y + n, accumulate);
            store(c2, y + 2 * n, accumulate); store(c3, y + 3 * n, accumulate);
        } else {
            store_lanes(c0, y, width, accumulate); store_lanes(c1, y + n, width, accumulate);
            store_lanes(c2, y + 2 * n, width, accumulate); store_lanes(c3, y + 3 * n, width, accumulate);
        }
        start = end;
    } while (start < k);
}

/* One row of A times all columns of B. */
static void edge(const float *a, const float *b, float *y, long k, long n, long slice) {
    long column = 0;
    for (; column + 16 <= n; column += 16) {
        long start = 0;
        do {
            long end = min_long(k, start + slice);
            __m256 c0 = _mm256_setzero_ps(), c1 = c0;
            for (long inner = start; inner < end; inner++) {
                __m256 a0 = _mm256_set1_ps(a[inner]);
                c0 = _mm256_fmadd_ps(a0, _mm256_loadu_ps(b + inner * n + column), c0);
                c1 = _mm256_fmadd_ps(a0, _mm256_loadu_ps(b + inner * n + column + 8), c1);
            }
            store(c0, y + column, start > 0); store(c1, y + column + 8, start > 0);
            start = end;
        } while (start < k);
    }
    for (; column + 8 <= n; column += 8) {
        long start = 0;
        do {
            long end = min_long(k, start + slice);
            __m256 c0 = _mm256_setzero_ps();
            for (long inner = start; inner < end; inner++) {
                c0 = _mm256_fmadd_ps(_mm256_set1_ps(a[inner]), _mm256_loadu_ps(b + inner * n + column), c0);
            }
            store(c0, y + column, start > 0);
            start = end;
        } while (start < k);
    }
    if (column < n) {
        long width = n - column, start = 0;
        do {
            long end = min_long(k, start + slice);
            __m256 c0 = _mm256_setzero_ps();
            for (long inner = start; inner < end; inner++) {
                c0 = _mm256_fmadd_ps(_mm256_set1_ps(a[inner]), load_lanes(b + inner * n + column, width), c0);
            }
            store_lanes(c0, y + column, width, start > 0);
            start = end;
        } while (start < k);
    }
}

void asr_avx2_matrix_product(const float *a, const float *b, float *y, long m, long k, long n, long slice) {
    if (slice < 1) slice = 1;
    long row = 0;
    for (; row + 4 <= m; row += 4) {
        long column = 0;
        for (; column + 16 <= n; column += 16) tile4x16(a + row * k, b + column, y + row * n + column, k, n, slice);
        if (column + 8 <= n) {
            tile4x8(a + row * k, b + column, y + row * n + column, k, n, 8, slice);
            column += 8;
        }
        if (column < n) tile4x8(a + row * k, b + column, y + row * n + column, k, n, n - column, slice);
    }
    for (; row < m; row++) edge(a + row * k, b, y + row * n, k, n, slice);
}

/* `ROWS` rows of A (a constant at each call, so the 2 x ROWS accumulators stay in registers)
   times one packed panel of B: [k][16], zero past the matrix's last column. */
static inline __attribute__((always_inline))
void panel_tile(const int ROWS, const float *a, const float *panel, float *y, long k, long n, long width, long slice) {
    long start = 0;
    do {
        long end = min_long(k, start + slice);
        __m256 c[12];
        for (int r = 0; r < 2 * ROWS; r++) c[r] = _mm256_setzero_ps();
        for (long inner = start; inner < end; inner++) {
            __m256 b0 = _mm256_loadu_ps(panel + inner * 16), b1 = _mm256_loadu_ps(panel + inner * 16 + 8);
            for (int r = 0; r < ROWS; r++) {
                __m256 x = _mm256_set1_ps(a[r * k + inner]);
                c[2 * r] = _mm256_fmadd_ps(x, b0, c[2 * r]);
                c[2 * r + 1] = _mm256_fmadd_ps(x, b1, c[2 * r + 1]);
            }
        }
        int accumulate = start > 0;
        for (int r = 0; r < ROWS; r++) {
            float *out = y + r * n;
            if (width == 16) {
                store(c[2 * r], out, accumulate); store(c[2 * r + 1], out + 8, accumulate);
            } else if (width > 8) {
                store(c[2 * r], out, accumulate); store_lanes(c[2 * r + 1], out + 8, width - 8, accumulate);
            } else {
                store_lanes(c[2 * r], out, width, accumulate);
            }
        }
        start = end;
    } while (start < k);
}

void asr_avx2_packed_matrix_product(const float *a, const float *panels, float *y, long m, long k, long n, long slice) {
    if (slice < 1) slice = 1;
    /* Panels outside, rows inside: a panel (k x 64 bytes) stays in L1 while every row passes it. */
    for (long column = 0; column < n; column += 16) {
        const float *panel = panels + column * k;
        long width = min_long(16, n - column);
        for (long row = 0; row < m; row += 6) {
            const float *x = a + row * k;
            float *out = y + row * n + column;
            switch (min_long(6, m - row)) {
            case 6: panel_tile(6, x, panel, out, k, n, width, slice); break;
            case 5: panel_tile(5, x, panel, out, k, n, width, slice); break;
            case 4: panel_tile(4, x, panel, out, k, n, width, slice); break;
            case 3: panel_tile(3, x, panel, out, k, n, width, slice); break;
            case 2: panel_tile(2, x, panel, out, k, n, width, slice); break;
            default: panel_tile(1, x, panel, out, k, n, width, slice); break;
            }
        }
    }
}

/* `ROWS` rows of a packed row panel of A ([k][6], zero past the matrix's last row) times 16
   columns of B (`width` of them real): the broadcasts read the panel contiguously. */
static inline __attribute__((always_inline))
void row_panel_tile(const int ROWS, const float *panel, const float *b, float *y, long k, long n, long width, long slice) {
    long start = 0;
    do {
        long end = min_long(k, start + slice);
        __m256 c[12];
        for (int r = 0; r < 2 * ROWS; r++) c[r] = _mm256_setzero_ps();
        for (long inner = start; inner < end; inner++) {
            const float *row = b + inner * n;
            __m256 b0 = width >= 8 ? _mm256_loadu_ps(row) : load_lanes(row, width);
            __m256 b1 = width == 16 ? _mm256_loadu_ps(row + 8) : width > 8 ? load_lanes(row + 8, width - 8) : _mm256_setzero_ps();
            for (int r = 0; r < ROWS; r++) {
                __m256 x = _mm256_set1_ps(panel[inner * 6 + r]);
                c[2 * r] = _mm256_fmadd_ps(x, b0, c[2 * r]);
                c[2 * r + 1] = _mm256_fmadd_ps(x, b1, c[2 * r + 1]);
            }
        }
        int accumulate = start > 0;
        for (int r = 0; r < ROWS; r++) {
            float *out = y + r * n;
            if (width == 16) {
                store(c[2 * r], out, accumulate); store(c[2 * r + 1], out + 8, accumulate);
            } else if (width > 8) {
                store(c[2 * r], out, accumulate); store_lanes(c[2 * r + 1], out + 8, width - 8, accumulate);
            } else {
                store_lanes(c[2 * r], out, width, accumulate);
            }
        }
        start = end;
    } while (start < k);
}

void asr_avx2_packed_rows_matrix_product(const float *panels, const float *b, float *y, long m, long k, long n, long slice) {
    if (slice < 1) slice = 1;
    /* Row panels outside: each panel of A streams from memory once; B (the activations) stays in cache. */
    for (long row = 0; row < m; row += 6) {
        const float *panel = panels + row * k;
        for (long column = 0; column < n; column += 16) {
            long width = min_long(16, n - column);
            float *out = y + row * n + column;
            switch (min_long(6, m - row)) {
            case 6: row_panel_tile(6, panel, b + column, out, k, n, width, slice); break;
            case 5: row_panel_tile(5, panel, b + column, out, k, n, width, slice); break;
            case 4: row_panel_tile(4, panel, b + column, out, k, n, width, slice); break;
            case 3: row_panel_tile(3, panel, b + column, out, k, n, width, slice); break;
            case 2: row_panel_tile(2, panel, b + column, out, k, n, width, slice); break;
            default: row_panel_tile(1, panel, b + column, out, k, n, width, slice); break;
            }
        }
    }
}

void asr_avx2_accumulate_row_product(const float *a, long a_stride, const float *b, long count, long n, float *y) {
    for (long inner = 0; inner < count; inner++) {
        float scale = a[inner * a_stride];
        const float *row = b + inner * n;
        __m256 s = _mm256_set1_ps(scale);
        long column = 0;
        for (; column + 8 <= n; column += 8) {
            _mm256_storeu_ps(y + column, _mm256_fmadd_ps(s, _mm256_loadu_ps(row + column), _mm256_loadu_ps(y + column)));
        }
        for (; column < n; column++) y[column] = __builtin_fmaf(scale, row[column], y[column]);
    }
}

/* A transposed copy through registers, 8 x 8 floats at a time. */
void asr_avx2_transpose(const float *x, long x_stride, long rows, long columns, float *y, long y_stride) {
    long r = 0;
    for (; r + 8 <= rows; r += 8) {
        long c = 0;
        for (; c + 8 <= columns; c += 8) {
            const float *in = x + r * x_stride + c;
            __m256 v0 = _mm256_loadu_ps(in), v1 = _mm256_loadu_ps(in + x_stride);
            __m256 v2 = _mm256_loadu_ps(in + 2 * x_stride), v3 = _mm256_loadu_ps(in + 3 * x_stride);
            __m256 v4 = _mm256_loadu_ps(in + 4 * x_stride), v5 = _mm256_loadu_ps(in + 5 * x_stride);
            __m256 v6 = _mm256_loadu_ps(in + 6 * x_stride), v7 = _mm256_loadu_ps(in + 7 * x_stride);
            __m256 t0 = _mm256_unpacklo_ps(v0, v1), t1 = _mm256_unpackhi_ps(v0, v1);
            __m256 t2 = _mm256_unpacklo_ps(v2, v3), t3 = _mm256_unpackhi_ps(v2, v3);
            __m256 t4 = _mm256_unpacklo_ps(v4, v5), t5 = _mm256_unpackhi_ps(v4, v5);
            __m256 t6 = _mm256_unpacklo_ps(v6, v7), t7 = _mm256_unpackhi_ps(v6, v7);
            __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            float *out = y + c * y_stride + r;
            _mm256_storeu_ps(out, _mm256_permute2f128_ps(u0, u4, 0x20));
            _mm256_storeu_ps(out + y_stride, _mm256_permute2f128_ps(u1, u5, 0x20));
            _mm256_storeu_ps(out + 2 * y_stride, _mm256_permute2f128_ps(u2, u6, 0x20));
            _mm256_storeu_ps(out + 3 * y_stride, _mm256_permute2f128_ps(u3, u7, 0x20));
            _mm256_storeu_ps(out + 4 * y_stride, _mm256_permute2f128_ps(u0, u4, 0x31));
            _mm256_storeu_ps(out + 5 * y_stride, _mm256_permute2f128_ps(u1, u5, 0x31));
            _mm256_storeu_ps(out + 6 * y_stride, _mm256_permute2f128_ps(u2, u6, 0x31));
            _mm256_storeu_ps(out + 7 * y_stride, _mm256_permute2f128_ps(u3, u7, 0x31));
        }
        for (; c < columns; c++) {
            for (long i = 0; i < 8; i++) y[c * y_stride + r + i] = x[(r + i) * x_stride + c];
        }
    }
    for (; r < rows; r++) {
        for (long c = 0; c < columns; c++) y[c * y_stride + r] = x[r * x_stride + c];
    }
}

#pragma clang attribute pop
#endif
