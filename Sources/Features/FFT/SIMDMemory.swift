// Unaligned SIMD loads and stores plus the few lane shuffles the FFT kernels need.

typealias Vector8 = SIMD8<Float>

@inline(__always)
func loadVector(_ pointer: UnsafePointer<Float>) -> Vector8 {
    UnsafeRawPointer(pointer).loadUnaligned(as: Vector8.self)
}

@inline(__always)
func loadVector(_ pointer: UnsafeMutablePointer<Float>) -> Vector8 {
    UnsafeRawPointer(pointer).loadUnaligned(as: Vector8.self)
}

@inline(__always)
func storeVector(_ value: Vector8, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector8.self)
}

extension SIMD8 where Scalar == Float {
    /// Lanes in reverse order (lane 0 becomes lane 7).
    @inline(__always)
    var reversedLanes: Vector8 {
        Vector8(self[7], self[6], self[5], self[4], self[3], self[2], self[1], self[0])
    }
}

/// `(a0, b0, a1, b1, ... a7, b7)`: turns split real/imaginary lanes into interleaved complex numbers.
@inline(__always)
func interleave(_ a: Vector8, _ b: Vector8) -> SIMD16<Float> {
    SIMD16<Float>(
        a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3],
        a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
}
