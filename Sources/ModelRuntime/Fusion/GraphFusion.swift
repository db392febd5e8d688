/// The rewrite passes run on a specialized graph for the fast kernels, in order. They replace
/// steps by `FusedOperation`s (data); lowering picks the kernels afterwards.
enum GraphFusion {
    /// `options.quantizesFloatLinears` adds `FloatLinearQuantization`; `options.arithmetic` is the
    /// onnxruntime CPU profile the fused operations round as; `options.kernelSet` decides which
    /// packed kernels exist.
    static func apply(_ graph: SpecializedGraph, options: CompileOptions) -> SpecializedGraph {
        // Quantized linears first: their Cast/Mul/Add steps are elementwise too.
        var result = QuantizedLinearFusion.apply(graph, products: options.arithmetic.int8Products)
        if options.quantizesFloatLinears { result = FloatLinearQuantization.apply(result) }
        result = AttentionFusion.apply(result)
        result = PackedMatMulSelection.apply(result, kernelSet: options.kernelSet)
        result = PointwiseConvSelection.apply(result, options: options)
        result = ReplaceEqualSelection.apply(result)
        // A Swoosh that only a convolution's output feeds joins that convolution.
        return ConvActivationFusion.apply(SwooshSelection.apply(ElementwiseFusion.apply(result)), options: options)
    }
}
