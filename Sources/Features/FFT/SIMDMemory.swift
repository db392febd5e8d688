// Unaligned SIMD loads and stores plus the lane shuffles the FFT kernels need, in Swift SIMD
// operations that LLVM lowers to the target's shuffles (SSE on x86-64, NEON on arm64).

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
    var reversedLanes: Vector8 { Vector8(self[7], self[6], self[5], self[4], self[3], self[2], self[1], self[0]) }
}

/// Stores `(a0, b0, a1, b1, ... a7, b7)` at `pointer`: split real/imaginary lanes as interleaved complex numbers.
@inline(__always)
func storeInterleaved(_ a: Vector8, _ b: Vector8, _ pointer: UnsafeMutablePointer<Float>) {
    storeVector(Vector8(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3]), pointer)
    storeVector(Vector8(a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7]), pointer + 8)
}

/// Two vectors of interleaved pairs, (a0 b0 ... a3 b3) and (a4 b4 ... a7 b7), split into (a0 ... a7) and (b0 ... b7).
@inline(__always)
func deinterleave(_ first: Vector8, _ second: Vector8) -> (even: Vector8, odd: Vector8) {
    (Vector8(lowHalf: first.evenHalf, highHalf: second.evenHalf), Vector8(lowHalf: first.oddHalf, highHalf: second.oddHalf))
}

/// The 16 floats at `pointer` split into even-indexed and odd-indexed lanes.
@inline(__always)
func loadDeinterleaved(_ pointer: UnsafePointer<Float>) -> (even: Vector8, odd: Vector8) {
    deinterleave(loadVector(pointer), loadVector(pointer + 8))
}

@inline(__always)
func loadDeinterleaved(_ pointer: UnsafeMutablePointer<Float>) -> (even: Vector8, odd: Vector8) {
    loadDeinterleaved(UnsafePointer(pointer))
}

/// The 32 floats at `pointer` split by index modulo 4: lane j of result q is pointer[4j + q].
@inline(__always)
func loadDeinterleavedByFour(_ pointer: UnsafeMutablePointer<Float>) -> (Vector8, Vector8, Vector8, Vector8) {
    let (even01, odd01) = deinterleave(loadVector(pointer), loadVector(pointer + 8))
    let (even23, odd23) = deinterleave(loadVector(pointer + 16), loadVector(pointer + 24))
    let (q0, q2) = deinterleave(even01, even23), (q1, q3) = deinterleave(odd01, odd23)
    return (q0, q1, q2, q3)
}

/// Eight Floats whose add, subtract and multiply each round on their own (never fused), as the
/// FFT's butterflies need.
struct Lanes8 {
    var value: Vector8

    @inline(__always) init(_ value: Vector8) { self.value = value }
    @inline(__always) init(repeating scalar: Float) { value = Vector8(repeating: scalar) }
    @inline(__always) init(_ pointer: UnsafeMutablePointer<Float>) { value = loadVector(pointer) }

    @inline(__always) var vector: Vector8 { value }
    @inline(__always) var first: Float { value[0] }
    @inline(__always) func store(_ pointer: UnsafeMutablePointer<Float>) { storeVector(value, pointer) }

    @inline(__always) static func + (lhs: Lanes8, rhs: Lanes8) -> Lanes8 { Lanes8(lhs.value + rhs.value) }
    @inline(__always) static func - (lhs: Lanes8, rhs: Lanes8) -> Lanes8 { Lanes8(lhs.value - rhs.value) }
    @inline(__always) static func * (lhs: Lanes8, rhs: Lanes8) -> Lanes8 { Lanes8(lhs.value * rhs.value) }
}
