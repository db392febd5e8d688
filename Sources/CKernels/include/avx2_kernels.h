#ifndef ASR_AVX2_KERNELS_H
#define ASR_AVX2_KERNELS_H

#include <stdint.h>

/* AVX2 + FMA twins of the Swift kernels' inner loops (compiled per function with target
   attributes, so the package needs no build flags). Each computes the same operations in the same
   order as its Swift counterpart, which is the portable path: the results have the same bits.
   x86-64 only; call only when asr_cpu_has_avx2_fma() is 1. */

/* Elementwise functions of VectorMath over `count` floats (a multiple of 8); y may be x. */
enum asr_vector_function { ASR_EXP = 0, ASR_LOG = 1, ASR_LOGISTIC = 2, ASR_TANH = 3 };
void asr_avx2_vector_function(int function, const float *x, float *y, long count);

/* BinaryKernel's float operations: y[i] = a[i * sa] op b[i * sb] with strides 0 or 1. */
enum asr_binary_operation { ASR_ADD = 0, ASR_SUB = 1, ASR_MUL = 2, ASR_DIV = 3, ASR_MAX = 4, ASR_MIN = 5, ASR_SQUARE = 6 };
void asr_avx2_binary(int operation, const float *a, long sa, const float *b, long sb, float *y, long n);

/* The smallest and largest of 0 and the first multiple of 32 floats of x (NaN ignored); returns
   how many floats it scanned (0 when count < 32). */
long asr_avx2_range(const float *x, long count, float *low, float *high);

/* Int8Linear.quantize's whole vectors: q = clamp(round-half-even(x / scale)) + zero point, into
   0...levels; returns how many values it quantized (a multiple of 8). */
long asr_avx2_quantize(const float *x, long count, float scale, int zero_point, int levels, uint8_t *q);

/* Softmax's exponentials exp(x - maximum) of `count` floats (a multiple of 8) into y. */
void asr_avx2_shifted_exp(const float *x, float *y, long count, float negative_maximum);

/* SwooshKernel's two forms over `count` floats; y may be x. */
void asr_avx2_swoosh_stable(const float *x, float *y, long count, float offset, float floor, float slope, float shift);
void asr_avx2_swoosh_clamped(const float *x, float *y, long count, float offset, float slope, float shift);

/* BlockedMatrixProduct.multiply: y[m][n] = a[m][k] * b[k][n], K summed in slices. */
void asr_avx2_matrix_product(const float *a, const float *b, float *y, long m, long k, long n, long slice);
/* y[c * y_stride + r] = x[r * x_stride + c] for r < rows, c < columns (a transposed copy). */
void asr_avx2_transpose(const float *x, long x_stride, long rows, long columns, float *y, long y_stride);
/* The same product and rounding with B packed in panels of 16 columns, [ceil(n / 16)][k][16], zero
   past column n: every step of the inner loop reads B contiguously. */
void asr_avx2_packed_matrix_product(const float *a, const float *panels, float *y, long m, long k, long n, long slice);
/* The same product and rounding with A packed in panels of 6 rows, [ceil(m / 6)][k][6], zero past
   row m: for a constant A (a pointwise convolution's weights) times a small B. */
void asr_avx2_packed_rows_matrix_product(const float *panels, const float *b, float *y, long m, long k, long n, long slice);

/* GemmKernel's packed rows: y[column] = fma(a[inner * a_stride], b[inner][column], y[column]) for
   inner in 0..<count, in order. */
void asr_avx2_accumulate_row_product(const float *a, long a_stride, const float *b, long count, long n, float *y);

/* ChannelBlockedConvKernel's register tile: six output positions (input origins `inputs`) times
   `width` (16 or 8) output channels, block sums into `sums` (float[96], vector 2j + half). */
void asr_avx2_conv_tile(int width, const float *const *inputs, long first_row, long end_row, long kernel_width,
                        long row_step, long column_step, long channel_stride, long channels, long block,
                        const float *weights, float *sums);

/* ChannelBlockedConvKernel's single position: 8 output channels of a group `group_width` wide;
   taps outside the image are skipped. Writes 8 sums (without bias) to `out`. */
void asr_avx2_conv_position(const float *image, long top, long left, long height, long width, long kernel_height,
                            long kernel_width, long dilation_h, long dilation_w, long channels, long block,
                            const float *weights, long group_width, float *out);

/* DepthwiseConvolution.channel and .chainedChannel over one zero-bordered plane. */
void asr_avx2_depthwise_channel(const float *plane, long padded_width, const float *weights, const long *tap_offsets,
                                long taps, long out_height, long out_width, int has_bias, float bias, float *y);
void asr_avx2_depthwise_chained_channel(const float *plane, long padded_width, const float *weights, const long *tap_offsets,
                                        long taps, long out_height, long out_width, int has_bias, float bias, float *y);

/* uint8 x int8 matrix product in the sums of Int8Linear.multiplyRows: int16-saturating pairs
   (`high` NULL) or exact sums of split activations (low 7 bits in `a`, top bits in `high`). Layouts
   as asr_u8s8_product_vnni's: `a` (and `high`) hold `rows` rows of `padded_k` bytes; `w` holds
   `blocks` (even) blocks of 8 columns packed in pairs, [block / 2][padded_k / 4][2][8][4]; `out` receives
   [rows][blocks * 8] int32 sums. */
void asr_avx2_u8s8_product(int rows, int padded_k, int blocks, const uint8_t *a, const uint8_t *high, const int8_t *w,
                           int32_t *out);

/* Int8Linear.pack: W [k][n] into that layout (`packed` zeroed, [n / 16 rounded up][padded_k / 4][16][4]). */
void asr_avx2_pack_int8_pairs(const int8_t *w, long k, long n, long padded_k, int8_t *packed);

/* Int8Linear.store over [rows][stride] int32 sums: y[row][column] = float(sum - zero_points[row] *
   column_sums[column]) * (row_scales[row] (* column_scales[column])) (+ bias[column]); the column
   arrays hold a multiple of 8 values. */
void asr_avx2_dequantize(const int32_t *sums, long rows, long stride, long n, const int32_t *column_sums,
                         const int32_t *zero_points, const float *row_scales, const float *column_scales, const float *bias,
                         float *y);

#endif
