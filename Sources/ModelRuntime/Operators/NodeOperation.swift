/// What a node computes, as its builder worked it out: the attributes the rewrite passes read, and
/// how to make its reference kernel. The kernel is made only where it runs (folding a constant,
/// or lowering a step that keeps it), so nodes that fusion merges never allocate one.
struct NodeOperation {
    let attributes: NodeAttributes
    let makeKernel: () -> Kernel

    init(_ attributes: NodeAttributes = .opaque, makeKernel: @escaping () -> Kernel) {
        self.attributes = attributes
        self.makeKernel = makeKernel
    }
}

/// The parameters of the nodes the rewrite passes look into; `.opaque` for the others.
enum NodeAttributes {
    case convolution(ConvGeometry, hasBias: Bool)
    case matMul(MatMulAttributes)
    case gemm(GemmAttributes)
    case softmax(width: Int, innerCount: Int, lanes: Int)
    /// Transpose, Slice, Expand, Tile: a strided view of the input copied out.
    case copy(CopyAttributes)
    case binary(BinaryOperation, element: ElementType)
    case unaryFloat(UnaryFloatFunction)
    /// Where, on elements of `width` bytes.
    case select(width: Int)
    /// ScatterND: the output is input 0 with some slices replaced, and its kernel also runs with both
    /// in the same bytes (then it writes only the slices).
    case scatter
    case opaque
}

struct MatMulAttributes {
    let m: Int, k: Int, n: Int
    /// MLAS's K slice for this B (`MatMulKernel.sliceLength`).
    let sliceK: Int
    /// Products in the batch.
    let batches: Int
    /// Every batch reads the same B, and A's and the output's batches lie back to back.
    let sharesB: Bool
}

struct GemmAttributes {
    let m: Int, k: Int, n: Int
    let transA: Bool, transB: Bool
    let alpha: Float, beta: Float
    /// C's strides over [M, N], nil without C.
    let cStrides: (row: Int, column: Int)?
    let constantB: Bool
}

struct CopyAttributes {
    /// Element bytes.
    let width: Int
    let outputShape: [Int]
    /// One per output dimension, in elements (may be 0 or negative).
    let inputStrides: [Int]
    let baseOffset: Int
    /// Set for Transpose: output axis i is input axis `permutation[i]`.
    let permutation: [Int]?
}
