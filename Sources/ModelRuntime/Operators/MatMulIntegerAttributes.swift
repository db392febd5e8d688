/// A MatMulInteger's shape, operand types and zero points (`MatMulIntegerKernel`).
struct MatMulIntegerAttributes {
    let m: Int, k: Int, n: Int
    /// Per batch: element offsets of the output, A and B.
    let layout: StridedLayout
    let bCount: Int
    let aSigned: Bool, bSigned: Bool
    /// Whether onnxruntime sums uint8 x int8 pairs in int16 on the CPU rounded as.
    let saturatesPairs: Bool
    let hasAZero: Bool, hasBZero: Bool
    let bZeroCount: Int
    /// B and its zero point when both are known at load (prepared once by the kernel).
    let constantB: Tensor?, constantBZero: Tensor?
}
