/// What a node computes, as its builder worked it out: the family of its reference kernel with that
/// kernel's parameters, as data. The rewrite passes read it; the kernel is made only where it runs
/// (`Lowering.referenceKernel`: folding a constant, or lowering a step that keeps it), so nodes
/// that fusion merges never allocate one.
enum NodeOperation {
    case convolution(ConvGeometry, hasBias: Bool)
    /// fp32 MatMul; `layout` holds each batch's element offsets of the output, A and B.
    case matMul(MatMulAttributes, layout: StridedLayout)
    case gemm(GemmAttributes)
    case matMulInteger(MatMulIntegerAttributes)
    case dynamicQuantizeLinear(count: Int)
    case dequantizeLinear(count: Int, signed: Bool, hasZero: Bool)
    case softmax(rows: Int, width: Int, innerCount: Int, lanes: Int)
    /// Transpose, Slice, Expand, Tile: a strided view of the input copied out.
    case copy(CopyAttributes)
    /// `layout` holds the element offsets of the output and both inputs.
    case binary(BinaryOperation, element: ElementType, layout: StridedLayout)
    case unaryFloat(UnaryFloatFunction, count: Int)
    case clipInt64(low: Int64, high: Int64, count: Int)
    case negateInt64(count: Int)
    /// Where, on elements of `width` bytes.
    case select(width: Int, layout: StridedLayout)
    case cast(from: ElementType, to: ElementType, count: Int)
    case concat(outerCount: Int, blockBytes: [Int])
    case split(outerCount: Int, blockBytes: [Int])
    case gather(outer: Int, axisSize: Int, innerBytes: Int, indexCount: Int, indexIs64: Bool)
    case gatherElements(width: Int, baseOffsets: [Int], axisStride: Int, axisSize: Int, indexIs64: Bool)
    /// ScatterND: the output is input 0 with some slices replaced, and its kernel also runs with both
    /// in the same bytes (then it writes only the slices).
    case scatter(dataBytes: Int, sliceBytes: Int, tupleCount: Int, tupleLength: Int, axisSizes: [Int], axisStrides: [Int],
                 width: Int)
    case cumSum(element: ElementType, outerCount: Int, axisSize: Int, innerCount: Int, exclusive: Bool, reverse: Bool)
    /// ReduceMean (`mean`) or ReduceSum.
    case reduce(mean: Bool, outputBases: [Int], reducedOffsets: [Int], betweenKeptAxes: Bool)
    case reduceMax(element: ElementType, outputBases: [Int], reducedOffsets: [Int])
}
