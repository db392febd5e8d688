#include "cpu_features.h"

#if defined(__x86_64__)
#include <cpuid.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* XCR0: which register states the OS saves across context switches. */
static unsigned int os_saved_state(void) {
    unsigned int eax, ebx, ecx, edx;
    __cpuid(1, eax, ebx, ecx, edx);
    if (!((ecx >> 27) & 1)) return 0; /* no OSXSAVE */
    unsigned int low, high;
    __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return low;
}

int asr_cpu_has_avx2_fma(void) {
    unsigned int eax, ebx, ecx, edx;
    if (__get_cpuid_max(0, 0) < 7 || (os_saved_state() & 6) != 6) return 0;
    __cpuid(1, eax, ebx, ecx, edx);
    if (!((ecx >> 12) & 1) || !((ecx >> 28) & 1)) return 0; /* FMA, AVX */
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    return (ebx >> 5) & 1;
}

int asr_cpu_has_vnni(void) {
    unsigned int eax, ebx, ecx, edx;
    if (__get_cpuid_max(0, 0) < 7 || (os_saved_state() & 6) != 6) return 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    int avx512vnni = (ecx >> 11) & 1, avxvnni = 0;
    if (eax >= 1) {
        __cpuid_count(7, 1, eax, ebx, ecx, edx);
        avxvnni = (eax >> 4) & 1;
    }
    return avx512vnni || avxvnni;
}

int asr_cpu_has_avx512f(void) {
    unsigned int eax, ebx, ecx, edx;
    if (__get_cpuid_max(0, 0) < 7 || (os_saved_state() & 0xE6) != 0xE6) return 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    return (ebx >> 16) & 1;
}

int asr_cpu_has_avx512_vnni(void) {
    if (!asr_cpu_has_avx512f()) return 0;
    unsigned int eax, ebx, ecx, edx;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    return ((ebx >> 31) & 1) && ((ecx >> 11) & 1); /* AVX512VL and AVX512-VNNI */
}

int asr_cpu_enable_amx_int8(void) {
#if defined(__linux__)
    unsigned int eax, ebx, ecx, edx;
    if (__get_cpuid_max(0, 0) < 7 || (os_saved_state() & 0x60000) != 0x60000) return 0; /* XTILECFG, XTILEDATA */
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    if (!((edx >> 24) & 1) || !((edx >> 25) & 1)) return 0; /* AMX-TILE, AMX-INT8 */
    /* Linux hands out the 8 KiB tile state only to processes that ask (ARCH_REQ_XCOMP_PERM for
       XFEATURE_XTILEDATA); without it the first tile instruction is fatal. */
    return syscall(SYS_arch_prctl, 0x1023, 18) == 0;
#else
    return 0;
#endif
}
#else
int asr_cpu_has_avx2_fma(void) { return 0; }
int asr_cpu_has_vnni(void) { return 0; }
int asr_cpu_has_avx512f(void) { return 0; }
int asr_cpu_has_avx512_vnni(void) { return 0; }
int asr_cpu_enable_amx_int8(void) { return 0; }
#endif
