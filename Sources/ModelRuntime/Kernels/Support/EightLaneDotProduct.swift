/// Dot products rounded as MLAS's one-row SGEMM kernel for a transposed B (AVX, no FMA), which
/// onnxruntime also uses for a product with a single output column (B and A swapped).
///
/// Each dot product keeps 8 lane sums (lane l adds the rounded products of elements l, l+8, ...,
/// in order); the kernel then reduces them in a pattern that depends on whether the row is one of
/// 4, 2 or 1 rows computed together: rows go in fours, then a pair, then a single row. Last it adds
/// the output's old value, or +0 where it overwrites it, which turns a sum of -0 into +0.
enum EightLaneDotProduct {
    /// y[r] = x . rows[r] (+ y[r] when `accumulates`) for r in 0..<rowCount; each row holds `count`
    /// values, `stride` apart.
    static func products(_ x: UnsafePointer<Float>, rows: UnsafePointer<Float>, stride: Int, count: Int,
                         rowCount: Int, into y: UnsafeMutablePointer<Float>, accumulates: Bool = false) {
        let inFours = rowCount / 4 * 4
        for r in 0..<rowCount {
            let lanes = laneSums(x, rows + r * stride, count: count)
            let sum: Float
            if r < inFours {
                sum = (((lanes[0] + lanes[1]) + lanes[2]) + lanes[3]) + (((lanes[4] + lanes[5]) + lanes[6]) + lanes[7])
            } else if rowCount - inFours >= 2 && r < inFours + 2 {
                sum = ((lanes[0] + lanes[2]) + (lanes[4] + lanes[6])) + ((lanes[1] + lanes[3]) + (lanes[5] + lanes[7]))
            } else {
                sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
            }
            y[r] = sum + (accumulates ? y[r] : 0)
        }
    }

    /// Lane l: sum of x[i] * row[i] for i = l, l + 8, ... (each product rounded, then added).
    @inline(__always)
    static func laneSums(_ x: UnsafePointer<Float>, _ row: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let product = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(row + i).loadUnaligned(as: SIMD8<Float>.self)
            lanes = lanes + product
            i += 8
        }
        if i < count {
            var tail = SIMD8<Float>()
            for lane in 0..<(count - i) { tail[lane] = x[i + lane] * row[i + lane] }
            lanes = lanes + tail
        }
        return lanes
    }
}
