// The radix-4 butterfly with the exact rounding of the FFT inside kaldi-native-fbank (kissfft's
// kf_bfly4 as its release build compiles it, which regroups a few sums), so our spectra, and the
// log-mel features after them, equal the reference's bit for bit rather than to within rounding.
// Written once, generic over a scalar or a SIMD vector of lanes.

/// What the butterfly needs of a lane type: IEEE add, subtract and multiply, each rounded on its
/// own (never fused), which both `Float` and Swift's SIMD vectors of `Float` provide.
protocol ButterflyLane {
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static var oneHalf: Self { get }
}

extension Float: ButterflyLane {
    static var oneHalf: Float { 0.5 }
}

extension SIMD8: ButterflyLane where Scalar == Float {
    static var oneHalf: SIMD8<Float> { SIMD8(repeating: 0.5) }
}

struct SplitComplex<Lane: ButterflyLane> {
    var real: Lane
    var imaginary: Lane
}

/// Decimation-in-time radix-4 butterfly: f0 + W^k f1 + W^2k f2 + W^3k f3 and its three rotations,
/// where w1, w2, w3 are the twiddles W^k, W^2k, W^3k.
@inline(__always)
func radixFourButterfly<Lane: ButterflyLane>(
    _ f0: SplitComplex<Lane>, _ f1: SplitComplex<Lane>, _ f2: SplitComplex<Lane>, _ f3: SplitComplex<Lane>,
    _ w1: SplitComplex<Lane>, _ w2: SplitComplex<Lane>, _ w3: SplitComplex<Lane>
) -> (SplitComplex<Lane>, SplitComplex<Lane>, SplitComplex<Lane>, SplitComplex<Lane>) {
    let a1 = f1.real * w1.real, b1 = f1.imaginary * w1.imaginary
    let c1 = f1.imaginary * w1.real, d1 = f1.real * w1.imaginary
    let a2 = f2.real * w2.real, b2 = f2.imaginary * w2.imaginary
    let c2 = f2.imaginary * w2.real, d2 = f2.real * w2.imaginary
    let a3 = f3.real * w3.real, b3 = f3.imaginary * w3.imaginary
    let c3 = f3.imaginary * w3.real, d3 = f3.real * w3.imaginary
    // W^k f1 = (a1 - b1, c1 + d1); the real parts of W^2k f2 and W^3k f3 are never formed:
    // their two products enter the sums below one at a time, in this order.
    let r1 = a1 - b1, i1 = c1 + d1
    let i2 = c2 + d2, i3 = c3 + d3
    let evenSumReal = (f0.real + a2) - b2, evenSumImaginary = f0.imaginary + i2
    let evenDifferenceReal = (f0.real + b2) - a2, evenDifferenceImaginary = f0.imaginary - i2
    let oddSumReal = (r1 - b3) + a3, oddSumImaginary = i3 + i1
    let oddDifferenceReal = (r1 - a3) + b3
    let y0 = SplitComplex(real: evenSumReal + oddSumReal, imaginary: evenSumImaginary + oddSumImaginary)
    let y1 = SplitComplex(real: (evenDifferenceReal + i1) - i3, imaginary: evenDifferenceImaginary - oddDifferenceReal)
    let y2 = SplitComplex(real: evenSumReal - oddSumReal, imaginary: evenSumImaginary - oddSumImaginary)
    let y3 = SplitComplex(real: (evenDifferenceReal + i3) - i1, imaginary: oddDifferenceReal + evenDifferenceImaginary)
    return (y0, y1, y2, y3)
}
