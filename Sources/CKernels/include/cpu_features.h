#ifndef ASR_CPU_FEATURES_H
#define ASR_CPU_FEATURES_H

/// 1 if the CPU has AVX2 and FMA and the OS saves the AVX state (the AVX2 kernel set), 0
/// otherwise or on other architectures.
int asr_cpu_has_avx2_fma(void);

/// 1 if the CPU has AVX512-VNNI or AVX-VNNI (u8 x s8 dot products into int32 without int16
/// saturation) and the OS saves the AVX state, 0 otherwise or on other architectures.
int asr_cpu_has_vnni(void);

/// 1 if the CPU has AVX512F and the OS saves the AVX512 state, 0 otherwise.
int asr_cpu_has_avx512f(void);

/// 1 if the CPU has AVX512-VNNI with AVX512VL (the 256-bit `vpdpbusd` of asr_u8s8_product_vnni)
/// and the OS saves the AVX512 state.
int asr_cpu_has_avx512_vnni(void);

/// 1 if the CPU has AMX-TILE and AMX-INT8, the OS saves the tile state, and Linux grants this
/// process the tile data (the first call asks, once per process), 0 otherwise.
int asr_cpu_enable_amx_int8(void);

#endif
