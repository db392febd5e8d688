/// Gives the Conv steps onnxruntime's optimized graph runs in its NCHWc layout their NCHWc rounding
/// order: ungrouped 2-D ones get `ChannelBlockedConvKernel`, depthwise 2-D ones a tap-chained
/// `FastDepthwiseConvKernel`, and so do ungrouped ones over a single input channel with stride and
/// dilation 1 (the same order: one FMA chain over the taps per output, then the bias), which it
/// runs eight output columns per register. Run after `DepthwiseConvSelection`, which it overrides.
enum ChannelBlockedConvSelection {
    static func apply(_ graph: SpecializedGraph, channelBlock: Int) -> SpecializedGraph {
        var result = graph
        for (index, step) in graph.steps.enumerated() where step.opType == "Conv" {
            let g: ConvKernel.Geometry, hasBias: Bool
            switch step.kind {
            case .compute(let kernel as ConvKernel): (g, hasBias) = (kernel.g, kernel.hasBias)
            case .compute(let kernel as FastDepthwiseConvKernel): (g, hasBias) = (kernel.g, kernel.hasBias)
            default: continue
            }
            guard isNchwcCandidate(step, in: graph) else { continue }
            if g.groups == 1, g.channels == 1, g.strideH == 1, g.strideW == 1, g.dilationH == 1, g.dilationW == 1,
               let chained = FastDepthwiseConvKernel(geometry: g, hasBias: hasBias, chainsTaps: true) {
                result.steps[index].kind = .compute(chained)
            } else if g.groups == 1 {
                let weights = graph.values[step.inputs[1]]?.constant, bias = hasBias ? graph.values[step.inputs[2]]?.constant : nil
                if let weights, let blocked = ChannelBlockedConvKernel(
                    geometry: g, weights: weights.pointer.assumingMemoryBound(to: Float.self),
                    bias: bias.map { UnsafePointer($0.pointer.assumingMemoryBound(to: Float.self)) }, block: channelBlock) {
                    result.steps[index].kind = .compute(blocked)
                }
            } else if g.groups == g.channels, g.outChannels == g.groups, g.outChannels % channelBlock == 0,
                      let chained = FastDepthwiseConvKernel(geometry: g, hasBias: hasBias, chainsTaps: true) {
                result.steps[index].kind = .compute(chained)
            }
        }
        return result
    }

    /// onnxruntime's NCHWc transformer only rewrites 2-D convolutions (4-D input) whose weights and
    /// bias are constants.
    private static func isNchwcCandidate(_ step: PlannedStep, in graph: SpecializedGraph) -> Bool {
        guard step.inputs.count >= 2, graph.values[step.inputs[0]]?.type.rank == 4,
              graph.values[step.inputs[1]]?.constant != nil else { return false }
        if step.inputs.count > 2, !step.inputs[2].isEmpty, graph.values[step.inputs[2]]?.constant == nil { return false }
        return true
    }
}
