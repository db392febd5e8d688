/// An fp32 MatMul's shape and summation, as the passes read it.
struct MatMulAttributes {
    let m: Int, k: Int, n: Int
    /// MLAS's K slice for this B (`MatMulKernel.sliceLength`).
    let sliceK: Int
    /// onnxruntime packs B at load (a 2-D initializer); otherwise MLAS multiplies a product with one
    /// output row or column with its one-row kernels (`UnpackedMatrixProduct`).
    let packedB: Bool
    /// B is 2-D and A has batches: onnxruntime multiplies all of A's rows as one product, so its
    /// one-row kernels see `batches` x `m` rows, not `m`.
    let flattensA: Bool
    /// Products in the batch.
    let batches: Int
    /// Every batch reads the same B, and A's and the output's batches lie back to back.
    let sharesB: Bool
}
