#if arch(x86_64)
import CKernels
#endif

/// fp32 matrix product with the accumulators in registers: tiles of 4 rows x 16 columns, then
/// 4 rows x 8 and 4 rows x the last few columns (a vector with unused lanes), so narrow products
/// (attention values, 12 columns) keep four independent chains in flight; leftover rows go one at
/// a time (1 x 16, 1 x 8, single columns).
///
/// Every output element sees exactly the arithmetic of MLAS's SGEMM that `MatMulKernel.multiply`
/// documents: fused multiply-adds from zero in K order within each K slice, each slice's sum added
/// to the output with one rounding. Only where the partial sums live changes, so results are
/// bit-identical to the row-at-a-time loop.
package enum BlockedMatrixProduct {
    package static func multiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                         m: Int, k: Int, n: Int, sliceK: Int, kernels: KernelSet = .active) {
        #if arch(x86_64)
        if kernels == .avx2 {
            asr_avx2_matrix_product(a, b, y, m, k, n, sliceK)
            return
        }
        #endif
        let slice = Swift.max(sliceK, 1)
        var row = 0
        while row + 4 <= m {
            var column = 0
            while column + 16 <= n {
                tile4x16(a + row * k, b + column, y + row * n + column, k: k, n: n, slice: slice)
                column += 16
            }
            if column + 8 <= n {
                tile4x8(a + row * k, b + column, y + row * n + column, k: k, n: n, width: 8, slice: slice)
                column += 8
            }
            if column < n {
                tile4x8(a + row * k, b + column, y + row * n + column, k: k, n: n, width: n - column, slice: slice)
            }
            row += 4
        }
        while row < m {
            edge(a + row * k, b, y + row * n, from: 0, k: k, n: n, slice: slice)
            row += 1
        }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

    @inline(__always)
    static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let value = accumulate ? load(p) + v : v
        UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD8<Float>.self)
    }

    /// 4 rows of A (stride k) times 16 columns of B (stride n) into y (stride n).
    static func tile4x16(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                         k: Int, n: Int, slice: Int) {
        var start = 0
        repeat {
            let end = Swift.min(k, start + slice)
            var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
            var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
            // Row pointers hoisted and wrapping index math: no overflow checks in the hot loop.
            let r1 = a + k, r2 = a + 2 * k, r3 = a + 3 * k
            for inner in start..<end {
                let row = b + inner &* n
                let b0 = load(row), b1 = load(row + 8)
                let a0 = SIMD8(repeating: a[inner]), a1 = SIMD8(repeating: r1[inner])
                let a2 = SIMD8(repeating: r2[inner]), a3 = SIMD8(repeating: r3[inner])
                c00 = c00.addingProduct(a0, b0); c01 = c01.addingProduct(a0, b1)
                c10 = c10.addingProduct(a1, b0); c11 = c11.addingProduct(a1, b1)
                c20 = c20.addingProduct(a2, b0); c21 = c21.addingProduct(a2, b1)
                c30 = c30.addingProduct(a3, b0); c31 = c31.addingProduct(a3, b1)
            }
            let accumulate = start > 0
            store(c00, y, accumulate: accumulate); store(c01, y + 8, accumulate: accumulate)
            store(c10, y + n, accumulate: accumulate); store(c11, y + n + 8, accumulate: accumulate)
            store(c20, y + 2 * n, accumulate: accumulate); store(c21, y + 2 * n + 8, accumulate: accumulate)
            store(c30, y + 3 * n, accumulate: accumulate); store(c31, y + 3 * n + 8, accumulate: accumulate)
            start = end
        } while start < k
    }

    @inline(__always)
    static func storeLanes(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, width: Int, accumulate: Bool) {
        for lane in 0..<width { p[lane] = accumulate ? p[lane] + v[lane] : v[lane] }
    }

    /// 4 rows of A times `width` (at most 8) columns of B: one vector per row; lanes past `width`
    /// multiply zeros and are not stored, so each stored lane is its own chain as in `edge`.
    static func tile4x8(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                        k: Int, n: Int, width: Int, slice: Int) {
        var start = 0
        repeat {
            let end = Swift.min(k, start + slice)
            var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
            let r1 = a + k, r2 = a + 2 * k, r3 = a + 3 * k
            for inner in start..<end {
                let row = b + inner &* n
                var b0 = SIMD8<Float>()
                if width == 8 {
                    b0 = load(row)
                } else {
                    for lane in 0..<width { b0[lane] = row[lane] }
                }
                c0 = c0.addingProduct(SIMD8(repeating: a[inner]), b0)
                c1 = c1.addingProduct(SIMD8(repeating: r1[inner]), b0)
                c2 = c2.addingProduct(SIMD8(repeating: r2[inner]), b0)
                c3 = c3.addingProduct(SIMD8(repeating: r3[inner]), b0)
            }
            let accumulate = start > 0
            if width == 8 {
                store(c0, y, accumulate: accumulate); store(c1, y + n, accumulate: accumulate)
                store(c2, y + 2 * n, accumulate: accumulate); store(c3, y + 3 * n, accumulate: accumulate)
            } else {
                storeLanes(c0, y, width: width, accumulate: accumulate)
                storeLanes(c1, y + n, width: width, accumulate: accumulate)
                storeLanes(c2, y + 2 * n, width: width, accumulate: accumulate)
                storeLanes(c3, y + 3 * n, width: width, accumulate: accumulate)
            }
            start = end
        } while start < k
    }

    /// One row of A times columns `from..<n` of B.
    static func edge(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                     from first: Int, k: Int, n: Int, slice: Int) {
        var column = first
        while column + 16 <= n {
            var start = 0
            repeat {
                let end = Swift.min(k, start + slice)
                var c0 = SIMD8<Float>(), c1 = SIMD8<Float>()
                for inner in start..<end {
                    let a0 = SIMD8(repeating: a[inner])
                    c0 = c0.addingProduct(a0, load(b + inner * n + column))
                    c1 = c1.addingProduct(a0, load(b + inner * n + column + 8))
                }
                store(c0, y + column, accumulate: start > 0); store(c1, y + column + 8, accumulate: start > 0)
                start = end
            } while start < k
            column += 16
        }
        while column + 8 <= n {
            var start = 0
            repeat {
                let end = Swift.min(k, start + slice)
                var c0 = SIMD8<Float>()
                for inner in start..<end { c0 = c0.addingProduct(SIMD8(repeating: a[inner]), load(b + inner * n + column)) }
                store(c0, y + column, accumulate: start > 0)
                start = end
            } while start < k
            column += 8
        }
        if column < n {
            // The last few columns as lanes of one vector (unused lanes multiply zeros).
            let width = n - column
            var start = 0
            repeat {
                let end = Swift.min(k, start + slice)
                var c0 = SIMD8<Float>()
                for inner in start..<end {
                    let row = b + inner * n + column
                    var b0 = SIMD8<Float>()
                    for lane in 0..<width { b0[lane] = row[lane] }
                    c0 = c0.addingProduct(SIMD8(repeating: a[inner]), b0)
                }
                storeLanes(c0, y + column, width: width, accumulate: start > 0)
                start = end
            } while start < k
        }
    }
}
