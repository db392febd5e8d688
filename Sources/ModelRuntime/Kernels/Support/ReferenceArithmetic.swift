import CKernels

/// How uint8 x int8 matrix products sum their products.
public enum Int8Products: Sendable, Equatable {
    /// Every product summed in int32, as the ONNX specification says (VNNI's `vpdpbusd`, ARM).
    case exact
    /// Products of K pairs (2i, 2i+1) first added with int16 saturation (AVX2's `vpmaddubsw`).
    case saturatingPairs
}

/// The rounding of onnxruntime's CPU kernels (MLAS), which depends on the processor they run on:
/// the NCHWc convolutions block 8 channels with AVX2 and 16 with AVX512F, softmax sums its
/// exponentials in 8 or 16 lanes, and uint8 x int8 products saturate in pairs without VNNI. The
/// runtime reproduces one such profile, by default the one onnxruntime would use on this CPU
/// (`host`), so that its results equal onnxruntime's and sherpa-onnx's on the same machine.
public struct ReferenceArithmetic: Sendable, Equatable, CustomStringConvertible {
    public var int8Products: Int8Products
    /// Channels per NCHWc block (MLAS `NchwcBlockSize`).
    public var channelBlock: Int
    /// Lanes of softmax's running sum of exponentials.
    public var softmaxLanes: Int

    public init(int8Products: Int8Products, channelBlock: Int, softmaxLanes: Int) {
        self.int8Products = int8Products
        self.channelBlock = channelBlock
        self.softmaxLanes = softmaxLanes
    }

    /// AVX2 + FMA without AVX512F or VNNI.
    public static let avx2 = ReferenceArithmetic(int8Products: .saturatingPairs, channelBlock: 8, softmaxLanes: 8)
    /// AVX512F (and BW) without VNNI.
    public static let avx512 = ReferenceArithmetic(int8Products: .saturatingPairs, channelBlock: 16, softmaxLanes: 16)
    /// AVX512F with AVX512-VNNI.
    public static let avx512VNNI = ReferenceArithmetic(int8Products: .exact, channelBlock: 16, softmaxLanes: 16)
    /// AVX2 with AVX-VNNI (no AVX512F).
    public static let avx2VNNI = ReferenceArithmetic(int8Products: .exact, channelBlock: 8, softmaxLanes: 8)

    /// What onnxruntime computes on this CPU. Other architectures get the AVX2 orders with exact
    /// integer products (their own MLAS kernels are not reproduced).
    public static let host: ReferenceArithmetic = {
        #if arch(x86_64)
        let vnni = asr_cpu_has_vnni() != 0
        if asr_cpu_has_avx512f() != 0 { return vnni ? .avx512VNNI : .avx512 }
        return vnni ? .avx2VNNI : .avx2
        #else
        return .avx2VNNI
        #endif
    }()

    /// The profile's name, as fixtures and reports record it: avx2, avx2-vnni, avx512, avx512-vnni.
    public var description: String {
        (channelBlock == 16 ? "avx512" : "avx2") + (int8Products == .exact ? "-vnni" : "")
    }

    /// The profile a name from `description` stands for.
    public init?(name: String) {
        guard let match = [Self.avx2, .avx2VNNI, .avx512, .avx512VNNI].first(where: { $0.description == name }) else { return nil }
        self = match
    }
}
