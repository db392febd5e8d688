/// Every operator the runtime can specialize, by ONNX op type (default domain).
enum OperatorRegistry {
    typealias Builder = (NodeContext) throws -> KernelPlan

    static let builders: [String: Builder] = [
        // Elementwise.
        "Add": BinaryBuilders.make(.add),
        "Sub": BinaryBuilders.make(.sub),
        "Mul": BinaryBuilders.make(.mul),
        "Div": BinaryBuilders.make(.div),
        "Pow": BinaryBuilders.make(.pow),
        "Max": BinaryBuilders.variadic(.max),
        "Min": BinaryBuilders.variadic(.min),
        "Equal": BinaryBuilders.make(.equal),
        "Less": BinaryBuilders.make(.less),
        "LessOrEqual": BinaryBuilders.make(.lessOrEqual),
        "Greater": BinaryBuilders.make(.greater),
        "GreaterOrEqual": BinaryBuilders.make(.greaterOrEqual),
        "And": BinaryBuilders.make(.and),
        "Or": BinaryBuilders.make(.or),
        "Where": WhereKernel.build,
        "Abs": UnaryBuilders.float(.abs),
        "Neg": UnaryBuilders.neg,
        "Exp": UnaryBuilders.float(.exp),
        "Log": UnaryBuilders.float(.log),
        "Tanh": UnaryBuilders.float(.tanh),
        "Sigmoid": UnaryBuilders.float(.sigmoid),
        "Relu": UnaryBuilders.float(.relu),
        "Sqrt": UnaryBuilders.float(.sqrt),
        "Reciprocal": UnaryBuilders.float(.reciprocal),
        "Erf": UnaryBuilders.float(.erf),
        "Clip": UnaryBuilders.clip,
        "Cast": CastKernel.build,
        // Layout.
        "Transpose": CopyBuilders.transpose,
        "Slice": CopyBuilders.slice,
        "Expand": CopyBuilders.expand,
        "Tile": CopyBuilders.tile,
        "Split": SplitKernel.build,
        "ScatterND": ScatterNDKernel.build,
        "Concat": ConcatKernel.build,
        "Gather": GatherKernel.build,
        "GatherElements": GatherElementsKernel.build,
        "Reshape": ShapeBuilders.reshape,
        "Squeeze": ShapeBuilders.squeeze,
        "Unsqueeze": ShapeBuilders.unsqueeze,
        "Flatten": ShapeBuilders.flatten,
        "Identity": ShapeBuilders.identity,
        "Constant": ShapeBuilders.constant,
        "Shape": ShapeBuilders.shape,
        "ConstantOfShape": ShapeBuilders.constantOfShape,
        "Range": ShapeBuilders.range,
        // Reductions and normalization.
        "ReduceMean": ReduceKernel.build(mean: true),
        "ReduceSum": ReduceKernel.build(mean: false),
        "ReduceMax": ReduceMaxKernel.build,
        "CumSum": CumSumKernel.build,
        "Softmax": SoftmaxKernel.build,
        // Linear algebra.
        "MatMul": MatMulKernel.build,
        "Gemm": GemmKernel.build,
        "Conv": ConvKernel.build,
        "MatMulInteger": MatMulIntegerKernel.build,
        "DynamicQuantizeLinear": DynamicQuantizeLinearKernel.build,
        "DequantizeLinear": DequantizeLinearKernel.build,
    ]

    static func isSupported(_ node: Node) -> Bool {
        (node.domain.isEmpty || node.domain == "ai.onnx") && builders[node.opType] != nil
    }
}
