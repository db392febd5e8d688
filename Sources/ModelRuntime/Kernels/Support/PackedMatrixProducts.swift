#if arch(x86_64)
import CKernels

/// The AVX2 kernel set's fp32 products with a packed operand, in 16-lane registers where the CPU
/// has AVX512F (`KernelSet.hasAVX512F`), else in 8-lane ones: the same bits either way.
enum PackedMatrixProducts {
    /// y[m][n] = a[m][k] x B, B packed in panels of 16 columns (`asr_avx2_packed_matrix_product`).
    @inline(__always)
    static func multiply(_ a: UnsafePointer<Float>, columnPanels: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                         m: Int, k: Int, n: Int, slice: Int) {
        if KernelSet.hasAVX512F {
            asr_avx512_packed_matrix_product(a, columnPanels, y, m, k, n, slice)
        } else {
            asr_avx2_packed_matrix_product(a, columnPanels, y, m, k, n, slice)
        }
    }

    /// y[m][n] = A x b[k][n], A packed in panels of 6 rows (`asr_avx2_packed_rows_matrix_product`).
    @inline(__always)
    static func multiply(rowPanels: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                         m: Int, k: Int, n: Int, slice: Int) {
        if KernelSet.hasAVX512F {
            asr_avx512_packed_rows_matrix_product(rowPanels, b, y, m, k, n, slice)
        } else {
            asr_avx2_packed_rows_matrix_product(rowPanels, b, y, m, k, n, slice)
        }
    }
}
#endif
