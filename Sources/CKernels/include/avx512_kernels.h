#ifndef ASR_AVX512_KERNELS_H
#define ASR_AVX512_KERNELS_H

/* Kernels with 16-lane registers for CPUs with AVX512F, each giving the bits of its AVX2 twin in
   avx2_kernels.h. Call only when asr_cpu_has_avx512f() is 1. */

/// `asr_avx2_conv_tile` for two neighbouring groups of 16 output channels at once, one 16-lane
/// register per position and group: the same FMA chains and block sums, so the same bits as two
/// 16-wide AVX2 tiles. `weights` and `next_weights` are the two groups' packed weights; `sums`
/// receives the first group's tile (6 positions x 16) and then the second's.
void asr_avx512_conv_tile_pair(const float *const *inputs, long first_row, long end_row, long kernel_width,
                               long row_step, long column_step, long channel_stride, long channels, long block,
                               const float *weights, const float *next_weights, float *sums);

/// `asr_avx2_packed_matrix_product` and `asr_avx2_packed_rows_matrix_product`, the same layouts
/// and bits: tiles of 6 rows x 32 columns.
void asr_avx512_packed_matrix_product(const float *a, const float *panels, float *y, long m, long k, long n, long slice);
void asr_avx512_packed_rows_matrix_product(const float *panels, const float *b, float *y, long m, long k, long n, long slice);

/// `asr_avx2_swoosh_stable` and `asr_avx2_swoosh_clamped`, the same bits: 16 lanes at a time
/// where all exponent arguments are in range, the AVX2 loop for the rest.
void asr_avx512_swoosh_stable(const float *x, float *y, long count, float offset, float floor, float slope, float shift);
void asr_avx512_swoosh_clamped(const float *x, float *y, long count, float offset, float slope, float shift);

#endif
