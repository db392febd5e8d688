// The radix-4 butterfly with the exact rounding of the FFT inside kaldi-native-fbank (kissfft's
// kf_bfly4 as its release build compiles it, which regroups a few sums), so our spectra, and the
// log-mel features after them, equal the reference's bit for bit rather than to within rounding.
// Written once, on 8-lane vectors whose adds, subtracts and multiplies are never fused.

/// Eight complex numbers in split form. Scalar code paths use lane 0, so one formula serves both.
struct SplitComplex {
    var real: Lanes8
    var imaginary: Lanes8
}

/// Decimation-in-time radix-4 butterfly: f0 + W^k f1 + W^2k f2 + W^3k f3 and its three rotations,
/// where w1, w2, w3 are the twiddles W^k, W^2k, W^3k.
@inline(__always)
func radixFourButterfly(
    _ f0: SplitComplex, _ f1: SplitComplex, _ f2: SplitComplex, _ f3: SplitComplex,
    _ w1: SplitComplex, _ w2: SplitComplex, _ w3: SplitComplex
) -> (SplitComplex, SplitComplex, SplitComplex, SplitComplex) {
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
