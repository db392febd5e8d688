/// The optimizing passes run on a specialized graph in `.optimized` mode, in order.
enum GraphFusion {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        // Quantized linears first: their Cast/Mul/Add steps are elementwise too.
        let convolutions = ChannelBlockedConvSelection.apply(DepthwiseConvSelection.apply(QuantizedLinearFusion.apply(graph)))
        return ElementwiseFusion.apply(convolutions)
    }
}
