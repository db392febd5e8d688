import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Which implementation of the hot loops runs. Both compute the same operations in the same order,
/// so they give the same bits; they differ only in speed.
public enum KernelSet: String, Sendable {
    /// The C twins in `CKernels`, compiled for AVX2 + FMA with target attributes (and the
    /// AVX512-VNNI int8 product where the CPU has it, on AMX tiles where it has AMX-INT8).
    case avx2
    /// The Swift SIMD loops: NEON on arm64, SSE2 on x86-64 CPUs without AVX2.
    case portable

    /// Chosen once per process: `avx2` where the CPU has AVX2 and FMA, unless the environment
    /// variable `ASR_CPU_FEATURES=portable` asks for the portable loops.
    public static let active: KernelSet = {
        if let forced = getenv("ASR_CPU_FEATURES"), String(cString: forced) == "portable" { return .portable }
        #if arch(x86_64)
        return asr_cpu_has_avx2_fma() != 0 ? .avx2 : .portable
        #else
        return .portable
        #endif
    }()

    /// The fastest int8 product this process runs: `amx`, `vnni`, or the kernel set's own (smaller
    /// products stay on VNNI where there is AMX). Each gives the same int32 sums.
    public static var int8Products: String {
        Int8Linear.hasAMX ? "amx" : Int8Linear.hasVNNI ? "vnni" : active.rawValue
    }

    /// Whether the AVX2 set also runs its 16-lane twins (`avx512_kernels.h`: the convolution tile,
    /// the packed products, Swoosh): the CPU has AVX512F. Same bits, wider registers.
    static let hasAVX512F: Bool = {
        #if arch(x86_64)
        return active == .avx2 && asr_cpu_has_avx512f() != 0
        #else
        return false
        #endif
    }()
}
