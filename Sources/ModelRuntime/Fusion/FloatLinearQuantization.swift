/// Quantizes fp32 linear layers with constant weights at load: a `Gemm` (transB either way, alpha 1,
/// no C or a constant bias row with beta 1) or a `MatMul` whose B is a constant 2-D matrix becomes
/// one int8 linear in its per-row scheme (op type "QuantizedLinear").
///
/// Weights are symmetric int8 per output column: scale = max|w| / 127, q = round-half-even(w / scale),
/// zero point 0. Activations are quantized per row at run time (see `FastInt8LinearKernel`).
/// The results are close to the fp32 graph, not equal, so this runs only on request
/// (`CompileOptions.quantizesFloatLinears`).
enum FloatLinearQuantization {
    /// Smallest K * N worth quantizing. Below it the fp32 product is a few hundred multiply-adds, the
    /// per-row quantization pass costs about as much as it saves, and the int8 weights save < 12 KB.
    static let minimumWeightCount = 4096

    static let opType = "QuantizedLinear"

    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        var result = graph
        for (index, step) in graph.steps.enumerated() {
            guard case .node(let operation) = step.kind, let replacement = quantized(step, operation, graph) else { continue }
            result.steps[index] = replacement
        }
        return DeadStepElimination.apply(result)
    }

    /// The quantized step replacing `step`, or nil where it does not apply.
    private static func quantized(_ step: PlannedStep, _ operation: NodeOperation, _ graph: SpecializedGraph) -> PlannedStep? {
        guard step.inputs.count >= 2, let x = graph.values[step.inputs[0]], x.constant == nil, x.type.element == .float32,
              let b = graph.values[step.inputs[1]]?.constant, b.type.element == .float32, b.type.rank == 2,
              let output = step.outputs.first else { return nil }
        let k: Int, n: Int, transposed: Bool
        var bias: Tensor?
        switch operation {
        case .gemm(let gemm):
            guard !gemm.transA, gemm.alpha == 1, gemm.constantB != nil else { return nil }
            k = gemm.k; n = gemm.n; transposed = gemm.transB
            if let strides = gemm.cStrides {
                // C must be one bias row added once: [N] or [1, N], broadcast over the rows.
                guard gemm.beta == 1, step.inputs.count > 2, let c = graph.values[step.inputs[2]]?.constant,
                      c.type.element == .float32, c.type.count == n, strides.row == 0 || gemm.m == 1,
                      strides.column == 1 || n == 1
                else { return nil }
                bias = c
            }
        case .matMul:
            k = b.type.shape[0]; n = b.type.shape[1]; transposed = false
        default:
            return nil
        }
        guard k * n >= minimumWeightCount, x.type.shape.last == k, x.type.count % k == 0 else { return nil }

        let (weights, scales) = quantizeColumns(b.pointer.assumingMemoryBound(to: Float.self), k: k, n: n, transposed: transposed)
        let quantized = weights.withUnsafeBytes { Tensor(type: TensorType(.int8, [k, n]), copying: $0) }
        let linear = Int8LinearOperation(rows: x.type.count / k, k: k, n: n, weights: quantized, scales: .perRow(scales),
                                         bias: bias, products: .exact)
        return PlannedStep(kind: .fused(.int8Linear(linear)), opType: opType, inputs: [step.inputs[0]], outputs: [output])
    }

    /// W [K, N] (or its transpose [N, K] stored) as int8 [K, N] row-major with one scale per column.
    static func quantizeColumns(_ b: UnsafePointer<Float>, k: Int, n: Int, transposed: Bool) -> (weights: [Int8], scales: [Float]) {
        func value(_ inner: Int, _ column: Int) -> Float { transposed ? b[column * k + inner] : b[inner * n + column] }
        var weights = [Int8](repeating: 0, count: k * n)
        var scales = [Float](repeating: 1, count: n)
        for column in 0..<n {
            var largest: Float = 0
            for inner in 0..<k where value(inner, column).isFinite { largest = max(largest, abs(value(inner, column))) }
            // An all-zero column keeps scale 1: its weights quantize to 0 either way.
            let scale = largest > 0 ? largest / 127 : 1
            scales[column] = scale
            for inner in 0..<k {
                let q = (value(inner, column) / scale).rounded(.toNearestOrEven)
                // NaN weights become 0; out-of-range ones (infinities) clamp.
                weights[inner * n + column] = q.isNaN ? 0 : Int8(max(-127, min(127, q)))
            }
        }
        return (weights, scales)
    }
}
