/// The inner product kernel of the resampler: eight lanes at a time.
enum DotProduct {
    /// `count` must be a multiple of 8.
    @inline(__always)
    static func compute(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator = SIMD8<Float>()
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        var offset = 0
        let stride = MemoryLayout<SIMD8<Float>>.size
        for _ in 0..<(count / 8) {
            let x = rawA.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let y = rawB.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            accumulator.addProduct(x, y)
            offset += stride
        }
        return accumulator.sum()
    }
}
