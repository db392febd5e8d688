/// The optimizing passes run on a specialized graph in `.optimized` mode, in order.
enum GraphFusion {
    /// `quantizesFloatWeights` adds `FloatLinearQuantization` (fp32 linears with constant weights to int8).
    /// `convolutionsInOnnxRuntimeOrder` adds `ChannelBlockedConvSelection` (onnxruntime's NCHWc order).
    /// `arithmetic` is the onnxruntime CPU profile the fused kernels round as.
    /// `requantizesInt8Weights` gives the fused int8 linears per-channel weight scales (see `QuantizedLinearFusion`).
    static func apply(_ graph: SpecializedGraph, quantizesFloatWeights: Bool, convolutionsInOnnxRuntimeOrder: Bool,
                      requantizesInt8Weights: Bool = false, arithmetic: ReferenceArithmetic) -> SpecializedGraph {
        // Quantized linears first: their Cast/Mul/Add steps are elementwise too.
        var result = QuantizedLinearFusion.apply(graph, requantizesPerChannel: requantizesInt8Weights, products: arithmetic.int8Products)
        if quantizesFloatWeights { result = FloatLinearQuantization.apply(result) }
        result = AttentionFusion.apply(result)
        result = PackedMatMulSelection.apply(result)
        result = DepthwiseConvSelection.apply(result)
        if convolutionsInOnnxRuntimeOrder { result = ChannelBlockedConvSelection.apply(result, channelBlock: arithmetic.channelBlock) }
        result = PointwiseConvSelection.apply(result)
        result = ReplaceEqualSelection.apply(result)
        // A Swoosh that only a convolution's output feeds joins that convolution.
        return ConvActivationFusion.apply(SwooshSelection.apply(ElementwiseFusion.apply(result)))
    }
}
