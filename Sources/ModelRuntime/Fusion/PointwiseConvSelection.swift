/// Rewrites pointwise Conv steps with constant weights that get no other fast kernel
/// (`ConvolutionAlgorithm` keeps the reference one: onnxruntime's NCHWc order goes first) into
/// packed pointwise steps (`PointwiseConvOperation`, weights packed at load by its kernel), where
/// that kernel is available in the kernel set compiled for; the weights are then no longer an
/// input of the step.
enum PointwiseConvSelection {
    static func apply(_ graph: SpecializedGraph, options: CompileOptions) -> SpecializedGraph {
        var result = graph
        for (index, step) in graph.steps.enumerated() where step.opType == "Conv" {
            guard case .node(.convolution(let geometry, let hasBias)) = step.kind,
                  PointwiseConvKernel.supports(geometry, kernelSet: options.kernelSet), step.inputs.count >= 2,
                  let weights = graph.values[step.inputs[1]]?.constant,
                  ConvolutionAlgorithm.choose(for: step, geometry, in: graph, options: options) == .reference else { continue }
            let operation = PointwiseConvOperation(geometry: geometry, weights: weights, hasBias: hasBias)
            result.steps[index].kind = .fused(.pointwiseConv(operation))
            result.steps[index].inputs = [step.inputs[0]] + (hasBias ? [step.inputs[2]] : [])
        }
        return result
    }
}
