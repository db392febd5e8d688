/// A Gemm's shape and scalars, as the passes read it.
struct GemmAttributes {
    let m: Int, k: Int, n: Int
    let transA: Bool, transB: Bool
    let alpha: Float, beta: Float
    /// C's strides over [M, N], nil without C.
    let cStrides: (row: Int, column: Int)?
    /// B's tensor when it is known at load.
    let constantB: Tensor?
    /// onnxruntime packs B at load (an initializer).
    let packedB: Bool
}
