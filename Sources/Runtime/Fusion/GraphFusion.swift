/// The optimizing passes run on a specialized graph in `.optimized` mode, in order.
enum GraphFusion {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        DepthwiseConvSelection.apply(QuantizedLinearFusion.apply(graph))
    }
}
