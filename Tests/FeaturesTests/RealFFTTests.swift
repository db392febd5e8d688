import Features
import Foundation
import Testing
import TestSupport

/// The spectrum by the O(N^2) definition, in Double: X_k = sum_t x_t e^{-2πikt/N}, k = 0 ... N/2.
private func directDFT(_ x: [Float]) -> [(Double, Double)] {
    let n = x.count
    return (0...(n / 2)).map { k in
        var real = 0.0, imaginary = 0.0
        for t in 0..<n {
            let angle = -2 * Double.pi * Double(k * t % n) / Double(n)
            real += Double(x[t]) * cos(angle)
            imaginary += Double(x[t]) * sin(angle)
        }
        return (real, imaginary)
    }
}

/// Bins of the packed layout [Re X0, Re X(N/2), Re X1, Im X1, ...] as (re, im), k = 0 ... N/2.
private func unpack(_ packed: [Float]) -> [(Double, Double)] {
    let n = packed.count
    var bins = [(Double(packed[0]), 0.0)]
    for k in 1..<(n / 2) { bins.append((Double(packed[2 * k]), Double(packed[2 * k + 1]))) }
    bins.append((Double(packed[1]), 0.0))
    return bins
}

private func randomSignal(count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1
    }
}

private func maxError(_ a: [(Double, Double)], _ b: [(Double, Double)]) -> Double {
    zip(a, b).map { max(abs($0.0 - $1.0), abs($0.1 - $1.1)) }.max() ?? 0
}

@Test(arguments: [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048])
func realFFTMatchesDirectDFT(size: Int) {
    let input = randomSignal(count: size, seed: UInt64(size))
    var data = input
    RealFFT(count: size).forward(&data)
    let error = maxError(unpack(data), directDFT(input))
    // Float rounding grows like sqrt(N) log N for inputs in [-1, 1]; a wrong twiddle or index gives errors of order 1.
    #expect(error < 2e-6 * sqrt(Double(size)) * Double(size.trailingZeroBitCount + 1), "size \(size): max error \(error)")
}

@Test(arguments: [64, 512])
func realFFTMatchesNumpy(size: Int) throws {
    let input = try NPYArray(path: Fixtures.data("FeaturesTests", "fft\(size).input.npy")).floats
    let reference = try NPYArray(path: Fixtures.data("FeaturesTests", "fft\(size).spectrum.npy"))
    #expect(reference.shape == [size / 2 + 1, 2])
    var data = input
    RealFFT(count: size).forward(&data)
    let expected = (0...(size / 2)).map { (reference.values[2 * $0], reference.values[2 * $0 + 1]) }
    let error = maxError(unpack(data), expected)
    #expect(error < 1e-4, "size \(size): max error \(error) against numpy.fft.rfft")
}

/// kaldi-native-fbank's FFT is what the model's training features went through; ours rounds every
/// step the same way, so the spectra are equal, not merely close (tools/make-fbank-golden.py).
@Test(arguments: [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048])
func realFFTEqualsKaldiNativeFbankBitForBit(size: Int) throws {
    let golden = try NPYArray(path: Fixtures.data("FeaturesTests", "knf-rfft\(size).npy"))
    #expect(golden.shape == [2, size])
    let rows = golden.floats
    var data = Array(rows[..<size])
    RealFFT(count: size).forward(&data)
    let expected = Array(rows[size...])
    let mismatches = zip(data, expected).filter { $0.0.bitPattern != $0.1.bitPattern }.count
    let largest = zip(data, expected).map { abs($0.0 - $0.1) }.max() ?? 0
    #expect(mismatches == 0, "size \(size): \(mismatches) of \(size) values differ, largest by \(largest)")
}

@Test func impulseHasFlatSpectrumAndConstantHasOnlyDC() {
    let fft = RealFFT(count: 512)
    var impulse = [Float](repeating: 0, count: 512)
    impulse[0] = 1
    fft.forward(&impulse)
    for (re, im) in unpack(impulse) {
        #expect(abs(re - 1) < 1e-6 && abs(im) < 1e-6)
    }
    var constant = [Float](repeating: 0.5, count: 512)
    fft.forward(&constant)
    let bins = unpack(constant)
    #expect(abs(bins[0].0 - 256) < 1e-4)
    #expect(bins.dropFirst().allSatisfy { abs($0.0) < 1e-4 && abs($0.1) < 1e-4 })
}

@Test(arguments: [8, 64, 512])
func powerSpectrumIsSquaredMagnitudeOfForward(size: Int) {
    let fft = RealFFT(count: size)
    let input = randomSignal(count: size, seed: 7)
    var packed = input
    fft.forward(&packed)
    var power = [Float](repeating: -1, count: size / 2 + 1)
    input.withUnsafeBufferPointer { source in
        power.withUnsafeMutableBufferPointer { fft.powerSpectrum(of: source, into: $0) }
    }
    for (k, bin) in unpack(packed).enumerated() {
        let expected = bin.0 * bin.0 + bin.1 * bin.1
        #expect(abs(Double(power[k]) - expected) <= 1e-5 * max(1, expected), "bin \(k)")
    }
}

@Test func repeatedTransformsGiveIdenticalResults() {
    let fft = RealFFT(count: 512)
    let input = randomSignal(count: 512, seed: 99)
    var first = input, second = input
    fft.forward(&first)
    fft.forward(&second)
    #expect(first == second)
}
