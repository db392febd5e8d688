/// How a graph is compiled: as written (for bit-level parity with onnxruntime) or with fused,
/// re-quantized kernels (for speed, within the accuracy tolerances of the parity tests).
public enum ExecutionMode: Sendable {
    /// Every node runs its own kernel with the graph's arithmetic.
    case reference
    /// Quantized matrix-product chains become one int8 linear kernel with per-channel weight
    /// scales and per-row activation scales.
    case optimized
}
