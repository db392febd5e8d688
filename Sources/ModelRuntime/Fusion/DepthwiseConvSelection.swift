/// Gives depthwise Conv steps the SIMD kernel (`FastDepthwiseConvKernel`) where its geometry fits.
enum DepthwiseConvSelection {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        var result = graph
        for (index, step) in graph.steps.enumerated() where step.opType == "Conv" {
            guard case .compute(let kernel) = step.kind, let conv = kernel as? ConvKernel,
                  let fast = FastDepthwiseConvKernel(geometry: conv.g, hasBias: conv.hasBias) else { continue }
            result.steps[index].kind = .compute(fast)
        }
        return result
    }
}
