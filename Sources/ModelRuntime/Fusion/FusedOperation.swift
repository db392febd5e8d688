/// What a fusion pass puts in the graph in place of the steps it merges: an op kind with its
/// attributes and constant operands, as data. Lowering turns each into a kernel; until then
/// nothing is packed or allocated, so a fused step that a later pass rewrites again costs nothing.
enum FusedOperation {
    /// "FusedInt8Linear" (onnxruntime's dynamic-quantization chain) or "QuantizedLinear" (an fp32
    /// linear quantized at load).
    case int8Linear(Int8LinearOperation)
    /// "Attention": scores, bias, mask and softmax of one layer, and the products with values the
    /// schedule allows.
    case attention(AttentionOperation)
    /// "MatMul" whose operands and result are strided views of the copies around it.
    case stridedMatMul(StridedMatMulOperation)
    /// "MatMul" by a constant B shared by every batch, packed at load.
    case packedMatMul(PackedMatMulOperation)
    /// "FusedElementwise": connected float elementwise steps as one loop.
    case elementwise(ElementwiseOperation)
    /// "Swoosh": one of zipformer's two Swoosh spellings.
    case swoosh(SwooshOperation)
    /// "ReplaceEqual": Where(Equal(x, value), replacement, x).
    case replaceEqual(ReplaceEqualOperation)
    /// "Conv" with a 1x1 kernel and constant weights, packed at load (inputs: the image, the bias).
    case pointwiseConv(PointwiseConvOperation)
    /// "ConvSwoosh": a convolution applying a Swoosh to its output blocks.
    case convSwoosh(ConvGeometry, hasBias: Bool, activation: SwooshOperation)
}

/// y = x · W (+ bias) with x quantized at run time, W [K, N] int8 with zero point 0.
struct Int8LinearOperation {
    enum Scales {
        /// onnxruntime's per-tensor scheme: activations over the whole input, one weight scale.
        case perTensor(Float)
        /// onnxruntime's per-channel scheme: activations over the whole input, one scale per column.
        case perColumn([Float])
        /// Activations per row, one weight scale per column (fp32 weights quantized at load).
        case perRow([Float])
    }

    let rows: Int, k: Int, n: Int
    /// The graph's initializer, or weights quantized at load.
    let weights: Tensor
    let scales: Scales
    /// N values, or nil.
    let bias: Tensor?
    let products: Int8Products
}

struct AttentionOperation {
    let rows: Int, depth: Int, keys: Int
    let query: MatrixView, key: MatrixView
    let bias: MatrixView?
    let mask: AttentionMask?
    let values: [AttentionValue]
    let softmaxLanes: Int
}

struct StridedMatMulOperation {
    let m: Int, k: Int, n: Int
    let a: MatrixView, b: MatrixView, y: MatrixView
    let sliceK: Int
    /// onnxruntime packs B at load (see `MatMulAttributes.packedB`).
    let packedB: Bool
    /// onnxruntime multiplies all batches' rows as one product (see `MatMulAttributes.flattensA`).
    let flattensA: Bool
    /// B's tensor when it is a constant (a position-embedding projection folded at load), which the
    /// kernel packs once; B is then not an input of the step.
    let constantB: Tensor?
}

struct PackedMatMulOperation {
    /// All batches' rows as one product: [rows, k] x [k, n].
    let rows: Int, k: Int, n: Int
    /// [k, n].
    let b: Tensor
    let sliceK: Int
    /// A is a Concat of more than one row: rows carried from the last run may be reused (see
    /// `PackedMatMulKernel`), and the output is kept between runs.
    let reusesRows: Bool
}

struct PointwiseConvOperation {
    let geometry: ConvGeometry
    /// [M, C] (the Conv's [M, C, 1(, 1)] weights).
    let weights: Tensor
    let hasBias: Bool
}

struct ElementwiseOperation {
    let count: Int
    let inputCount: Int
    /// The last instruction's result is the output.
    let instructions: [ElementwiseInstruction]
}

struct SwooshOperation {
    let count: Int
    let form: SwooshForm
    let offset: Float, slope: Float, shift: Float
}

struct ReplaceEqualOperation {
    let count: Int
    let value: Float
    let broadcastsReplacement: Bool
}
