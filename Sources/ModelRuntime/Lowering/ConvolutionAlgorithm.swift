/// Which kernel runs a Conv step: lowering builds it, and `ConvActivationFusion` asks first whether
/// it can apply an activation.
enum ConvolutionAlgorithm: Equatable {
    /// `ConvKernel`, the graph's node-by-node order.
    case reference
    /// `FastDepthwiseConvKernel`: with `chainsTaps`, onnxruntime's NCHWc order (one FMA chain over
    /// the taps per output), else the reference kernel's order.
    case depthwise(chainsTaps: Bool)
    /// `ChannelBlockedConvKernel`: onnxruntime's NCHWc order with input channels in blocks.
    case channelBlocked(block: Int)

    /// Whether the kernel can apply a Swoosh to its output blocks itself.
    var appliesActivations: Bool { self != .reference }

    /// The algorithm for Conv `step` of geometry `g` under `options`. The fast kernels
    /// take the depthwise convolutions they can; with `.fast` kernels, the convolutions that
    /// onnxruntime's optimized graph runs in its NCHWc layout get that layout's rounding order:
    /// ungrouped 2-D ones are channel-blocked, depthwise 2-D ones and ungrouped ones over a single
    /// input channel with stride and dilation 1 (the same order: one FMA chain over the taps per
    /// output, then the bias) are tap-chained.
    static func choose(for step: PlannedStep, _ g: ConvGeometry, in graph: SpecializedGraph,
                       options: CompileOptions) -> ConvolutionAlgorithm {
        guard options.kernels != .reference else { return .reference }
        let plain: ConvolutionAlgorithm = FastDepthwiseConvKernel.supports(g, chainsTaps: false) ? .depthwise(chainsTaps: false) : .reference
        guard options.kernels == .fast, isNchwcCandidate(step, in: graph) else { return plain }
        let block = options.arithmetic.channelBlock
        if g.groups == 1, g.channels == 1, g.strideH == 1, g.strideW == 1, g.dilationH == 1, g.dilationW == 1,
           FastDepthwiseConvKernel.supports(g, chainsTaps: true) {
            return .depthwise(chainsTaps: true)
        }
        if g.groups == 1 {
            return ChannelBlockedConvKernel.supports(g, block: block) ? .channelBlocked(block: block) : plain
        }
        if g.groups == g.channels, g.outChannels == g.groups, g.outChannels % block == 0,
           FastDepthwiseConvKernel.supports(g, chainsTaps: true) {
            return .depthwise(chainsTaps: true)
        }
        return plain
    }

    /// onnxruntime's NCHWc transformer only rewrites 2-D convolutions (4-D input) whose weights and
    /// bias are constants.
    private static func isNchwcCandidate(_ step: PlannedStep, in graph: SpecializedGraph) -> Bool {
        guard step.inputs.count >= 2, graph.values[step.inputs[0]]?.type.rank == 4,
              graph.values[step.inputs[1]]?.constant != nil else { return false }
        if step.inputs.count > 2, !step.inputs[2].isOmitted, graph.values[step.inputs[2]]?.constant == nil { return false }
        return true
    }
}
