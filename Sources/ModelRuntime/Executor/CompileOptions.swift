/// How `GraphProgram` compiles a graph: the one set of choices that travels from a recognizer's
/// configuration to the kernels.
///
/// The default runs a graph's own arithmetic with the fused fast kernels, rounding as onnxruntime's
/// optimized graph (the one sherpa-onnx runs) does on this CPU, so results equal sherpa-onnx's bit for bit.
public struct CompileOptions: Sendable, Equatable {
    /// Quantize fp32 linear layers with constant weights (`Gemm`, `MatMul`; at least
    /// `FloatLinearQuantization.minimumWeightCount` weights) to int8 at load, activations per row
    /// at run time: faster, results close to the graph's but not equal. Off by default: quantizing
    /// is an explicit opt-in (`--quantize-fp32`). Graphs that are int8 already are unaffected.
    public var quantizesFloatLinears: Bool
    /// The onnxruntime CPU profile whose rounding the kernels reproduce: by default this CPU's
    /// (`ReferenceArithmetic.host`); a fixture made on another kind of CPU names its own.
    public var arithmetic: ReferenceArithmetic
    /// Which kernels run the graph. Not a user's choice: the others exist to check the fast kernels.
    package var kernels: KernelSelection
    /// The kernel set compiled for: the fast kernels that exist only as AVX2 code (packed products,
    /// block transposes) are chosen only for `.avx2`. By default the process's (`KernelSet.active`);
    /// `.avx2` only where the CPU has AVX2 and FMA.
    package var kernelSet: KernelSet

    public init(quantizesFloatLinears: Bool = false, arithmetic: ReferenceArithmetic = .host) {
        self.init(kernels: .fast, quantizesFloatLinears: quantizesFloatLinears, arithmetic: arithmetic)
    }

    package init(kernels: KernelSelection, quantizesFloatLinears: Bool = false, arithmetic: ReferenceArithmetic = .host,
                 kernelSet: KernelSet = .active) {
        self.kernels = kernels
        self.quantizesFloatLinears = quantizesFloatLinears
        self.arithmetic = arithmetic
        self.kernelSet = kernelSet
    }

    /// One reference kernel per node: onnxruntime's unoptimized graph, the test oracle.
    package static let reference = CompileOptions(kernels: .reference)
}

/// Which kernels run a graph, and so which of onnxruntime's two graphs the results equal bit for bit.
package enum KernelSelection: Sendable {
    /// The fused fast kernels, rounding as onnxruntime's optimized graph (NCHWc convolutions, its
    /// constant folding): sherpa-onnx's results. The default.
    case fast
    /// The fused fast kernels, rounding as onnxruntime's unoptimized graph, node by node: checks
    /// them against the reference kernels and the unoptimized graph's fixtures.
    case fastInGraphOrder
    /// One reference kernel per node (the arithmetic of onnxruntime's unoptimized graph): folding
    /// uses them, tests compare against them. Fused kernels and `quantizesFloatLinears` do not apply.
    case reference
}
