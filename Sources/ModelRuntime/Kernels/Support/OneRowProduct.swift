/// A product with one output row rounded as MLAS's SGEMM kernel for that case (AVX, no fused
/// multiply-adds), which onnxruntime runs when it did not pack B at load, and with A and B swapped
/// for a transposed A with one output column.
///
/// Each column keeps one running sum: K goes in groups of four products, each group summed in order
/// (every product and every addition rounded) and then added to the running sum; a last pair and a
/// last single product are added the same way. The running sum starts at +0, or at the output's
/// values when the product accumulates into them (a Gemm adding C).
enum OneRowProduct {
    /// y[j] (+)= sum over i of x[i] * b[i * rowStride + j], for j in 0..<n and i in 0..<k.
    static func multiply(_ x: UnsafePointer<Float>, _ b: UnsafePointer<Float>, rowStride: Int, k: Int, n: Int,
                         into y: UnsafeMutablePointer<Float>, accumulates: Bool) {
        // Eight columns at a time: lanes are columns, so each lane's arithmetic is the scalar chain;
        // the last few columns take the lanes they need.
        var column = 0
        while column < n {
            let width = Swift.min(8, n - column)
            let first = b + column
            var sum = SIMD8<Float>()
            if accumulates { for lane in 0..<width { sum[lane] = y[column + lane] } }
            @inline(__always) func product(_ i: Int) -> SIMD8<Float> {
                if width == 8 { return UnsafeRawPointer(first + i * rowStride).loadUnaligned(as: SIMD8<Float>.self) * x[i] }
                var row = SIMD8<Float>()
                for lane in 0..<width { row[lane] = first[i * rowStride + lane] }
                return row * x[i]
            }
            var i = 0
            while i + 4 <= k {
                sum = (((product(i) + product(i + 1)) + product(i + 2)) + product(i + 3)) + sum
                i += 4
            }
            if i + 2 <= k {
                sum = (product(i) + product(i + 1)) + sum
                i += 2
            }
            if i < k { sum = product(i) + sum }
            for lane in 0..<width { y[column + lane] = sum[lane] }
            column += width
        }
    }
}
