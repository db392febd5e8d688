/// Gives pointwise Conv steps with constant weights that no earlier pass took `PointwiseConvKernel`,
/// which packs the weights at load; the weights are then no longer an input of the step. Run after
/// `ChannelBlockedConvSelection`, whose NCHWc order onnxruntime uses for 2-D convolutions.
enum PointwiseConvSelection {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        var result = graph
        for (index, step) in graph.steps.enumerated() where step.opType == "Conv" {
            guard case .compute(let conv as ConvKernel) = step.kind, step.inputs.count >= 2,
                  let weights = graph.values[step.inputs[1]]?.constant,
                  let pointwise = PointwiseConvKernel(geometry: conv.g, weights: weights.pointer.assumingMemoryBound(to: Float.self),
                                                      hasBias: conv.hasBias) else { continue }
            result.steps[index].kind = .compute(pointwise)
            result.steps[index].inputs = [step.inputs[0]] + (conv.hasBias ? [step.inputs[2]] : [])
        }
        return result
    }
}
