#ifndef ASR_AVX512_CONVOLUTIONS_H
#define ASR_AVX512_CONVOLUTIONS_H

/// `asr_avx2_conv_tile` for two neighbouring groups of 16 output channels at once, one 16-lane
/// register per position and group: the same FMA chains and block sums, so the same bits as two
/// 16-wide AVX2 tiles. `weights` and `next_weights` are the two groups' packed weights; `sums`
/// receives the first group's tile (6 positions x 16) and then the second's. Call only when
/// asr_cpu_has_avx512f() is 1.
void asr_avx512_conv_tile_pair(const float *const *inputs, long first_row, long end_row, long kernel_width,
                               long row_step, long column_step, long channel_stride, long channels, long block,
                               const float *weights, const float *next_weights, float *sums);

#endif
