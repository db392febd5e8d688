/// The optimizing passes run on a specialized graph for the fast kernels, in order.
enum GraphFusion {
    /// `options.quantizesFloatLinears` adds `FloatLinearQuantization`; `.fast` kernels add
    /// `ChannelBlockedConvSelection` (onnxruntime's NCHWc order); `options.arithmetic` is the
    /// onnxruntime CPU profile the fused kernels round as.
    static func apply(_ graph: SpecializedGraph, options: CompileOptions) -> SpecializedGraph {
        let arithmetic = options.arithmetic
        // Quantized linears first: their Cast/Mul/Add steps are elementwise too.
        var result = QuantizedLinearFusion.apply(graph, products: arithmetic.int8Products)
        if options.quantizesFloatLinears { result = FloatLinearQuantization.apply(result) }
        result = AttentionFusion.apply(result)
        result = PackedMatMulSelection.apply(result)
        result = DepthwiseConvSelection.apply(result)
        if options.kernels == .fast { result = ChannelBlockedConvSelection.apply(result, channelBlock: arithmetic.channelBlock) }
        result = PointwiseConvSelection.apply(result)
        result = ReplaceEqualSelection.apply(result)
        // A Swoosh that only a convolution's output feeds joins that convolution.
        return ConvActivationFusion.apply(SwooshSelection.apply(ElementwiseFusion.apply(result)))
    }
}
