// Unaligned SIMD loads and stores plus the lane shuffles the FFT kernels need, written with AVX
// shuffle instructions: the lane-by-lane forms compile to long insert/extract sequences.
import _Builtin_intrinsics.intel

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

// `__m256` is imported as `SIMD8<Float>` (= `Vector8`), so the intrinsics take and return vectors directly.
@inline(__always) private func permute(_ value: Vector8, _ order: SIMD8<Int32>) -> Vector8 {
    _mm256_permutevar8x32_ps(value, unsafeBitCast(order, to: __m256i.self))
}

extension SIMD8 where Scalar == Float {
    /// Lanes in reverse order (lane 0 becomes lane 7).
    @inline(__always)
    var reversedLanes: Vector8 { permute(self, SIMD8<Int32>(7, 6, 5, 4, 3, 2, 1, 0)) }
}

/// Stores `(a0, b0, a1, b1, ... a7, b7)` at `pointer`: split real/imaginary lanes as interleaved complex numbers.
@inline(__always)
func storeInterleaved(_ a: Vector8, _ b: Vector8, _ pointer: UnsafeMutablePointer<Float>) {
    // (a0 b0 a1 b1 | a4 b4 a5 b5) and (a2 b2 a3 b3 | a6 b6 a7 b7).
    let low = _mm256_unpacklo_ps(a, b), high = _mm256_unpackhi_ps(a, b)
    storeVector(Vector8(lowHalf: low.lowHalf, highHalf: high.lowHalf), pointer)
    storeVector(Vector8(lowHalf: low.highHalf, highHalf: high.highHalf), pointer + 8)
}

/// Two vectors of interleaved pairs, (a0 b0 ... a3 b3) and (a4 b4 ... a7 b7), split into (a0 ... a7) and (b0 ... b7).
@inline(__always)
func deinterleave(_ first: Vector8, _ second: Vector8) -> (even: Vector8, odd: Vector8) {
    let order = SIMD8<Int32>(0, 2, 4, 6, 1, 3, 5, 7)
    let f = permute(first, order), s = permute(second, order)
    return (Vector8(lowHalf: f.lowHalf, highHalf: s.lowHalf), Vector8(lowHalf: f.highHalf, highHalf: s.highHalf))
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

/// Eight Floats in one AVX register whose add, subtract and multiply are single instructions,
/// each rounded on its own (never fused). The FFT's butterflies use it rather than SIMD8 arithmetic,
/// which the optimizer may split into 4- and 2-lane pieces.
struct Lanes8 {
    var value: __m256

    @inline(__always) init(_ value: Vector8) { self.value = value }
    @inline(__always) init(repeating scalar: Float) { value = _mm256_set1_ps(scalar) }
    @inline(__always) init(_ pointer: UnsafeMutablePointer<Float>) { value = _mm256_loadu_ps(pointer) }

    @inline(__always) var vector: Vector8 { value }
    @inline(__always) var first: Float { _mm256_cvtss_f32(value) }
    @inline(__always) func store(_ pointer: UnsafeMutablePointer<Float>) { _mm256_storeu_ps(pointer, value) }

    @inline(__always) static func + (lhs: Lanes8, rhs: Lanes8) -> Lanes8 { Lanes8(_mm256_add_ps(lhs.value, rhs.value)) }
    @inline(__always) static func - (lhs: Lanes8, rhs: Lanes8) -> Lanes8 { Lanes8(_mm256_sub_ps(lhs.value, rhs.value)) }
    @inline(__always) static func * (lhs: Lanes8, rhs: Lanes8) -> Lanes8 { Lanes8(_mm256_mul_ps(lhs.value, rhs.value)) }
}
