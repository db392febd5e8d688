#ifndef ASR_U8S8_VNNI_H
#define ASR_U8S8_VNNI_H

#include <stdint.h>

/// uint8 x int8 matrix product with AVX512-VNNI (`vpdpbusd`: every product summed exactly in int32).
/// `a` holds `rows` rows of `padded_k` bytes (a multiple of 4); `w` holds `blocks` (even) blocks of
/// 8 output columns packed in pairs, [block / 2][padded_k / 4][2][8 columns][4], so that each quad
/// of K is one 64-byte line for 16 columns; `out` receives [rows][blocks * 8] int32 sums. Call only
/// when asr_cpu_has_avx512_vnni() is 1.
void asr_u8s8_product_vnni(int rows, int padded_k, int blocks, const uint8_t *a, const int8_t *w, int32_t *out);

#endif
