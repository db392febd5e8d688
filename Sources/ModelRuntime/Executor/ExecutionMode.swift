/// How a graph is compiled: node by node as written, or with fused and vectorized kernels.
public enum ExecutionMode: Sendable {
    /// Every node runs its own kernel with the graph's arithmetic (for parity checks).
    case reference
    /// Quantized matrix-product chains run as one int8 linear kernel with weights packed at load,
    /// depthwise convolutions as a SIMD kernel. Both keep the graph's integers and roundings, so
    /// results equal `.reference` (OptimizedModeTests); only the speed differs. fp32 linears with
    /// constant weights are also quantized to int8 at load unless `CompiledGraph` is told to keep
    /// them fp32 (`quantizesFloatWeights: false`): those results are close to `.reference`, not equal.
    case optimized
    /// `.optimized`, with the embedding's 2-D convolutions in onnxruntime's NCHWc rounding order
    /// (input channels in blocks, one FMA chain per block): results equal onnxruntime's default
    /// optimized graph, the one sherpa-onnx runs, bit for bit. Its convolution kernels are register-
    /// tiled, so it is no slower than `.optimized` (about 0.3 ms per encoder chunk faster). The
    /// recognizer's default.
    case onnxRuntimeOptimized
}
