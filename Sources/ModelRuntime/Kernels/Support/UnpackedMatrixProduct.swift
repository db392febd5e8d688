/// fp32 [m, k] x [k, n], all row-major and contiguous, for a B that onnxruntime does not pack at load
/// (an input, or a constant that is not a 2-D initializer). MLAS then takes its one-row kernels
/// where it can: one output row runs `OneRowProduct`; one output column runs the rows of A as dot
/// products with B's column (`EightLaneDotProduct`, A and B swapped); anything else runs the blocked
/// product with `sliceK`, as for a packed B.
enum UnpackedMatrixProduct {
    static func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                         m: Int, k: Int, n: Int, sliceK: Int) {
        if m == 1 {
            OneRowProduct.multiply(a, b, rowStride: n, k: k, n: n, into: y, accumulates: false)
        } else if n == 1 {
            EightLaneDotProduct.products(b, rows: a, stride: k, count: k, rowCount: m, into: y)
        } else {
            BlockedMatrixProduct.multiply(a, b, y, m: m, k: k, n: n, sliceK: sliceK)
        }
    }
}
