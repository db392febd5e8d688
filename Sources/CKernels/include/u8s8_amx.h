#ifndef ASR_U8S8_AMX_H
#define ASR_U8S8_AMX_H

#include <stdint.h>

/// The product of asr_u8s8_product_vnni on AMX tiles (`tdpbusd`: every product summed exactly in
/// int32, so the sums are the same): same arguments, same packed layout, whose 64-byte quad lines
/// for 16 columns are the rows of an AMX weight tile. Call only when asr_cpu_enable_amx_int8() is 1.
void asr_u8s8_product_amx(int rows, int padded_k, int blocks, const uint8_t *a, const int8_t *w, int32_t *out);

#endif
