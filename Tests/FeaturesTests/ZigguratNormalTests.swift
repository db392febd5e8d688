import Features
import Foundation
import Testing

/// The dither's normal samples against the normal distribution itself: moments, tail masses on
/// both sides of the base layer's edge (3.4426) and the largest gap between the empirical and the
/// true CDF (Kolmogorov-Smirnov). A wrong layer table or a skewed wedge test moves these far past
/// their bounds, which are several standard errors of 2 million samples wide.
@Suite struct ZigguratNormalTests {
    static let count = 2_000_000
    /// The noise dither adds, drawn onto zeros.
    static let samples: [Double] = {
        var state: UInt64 = 12_345
        var noise = [Float](repeating: 0, count: count)
        noise.withUnsafeMutableBufferPointer { ZigguratNormal.addNoise(1, to: $0.baseAddress!, count: count, state: &state) }
        return noise.map(Double.init)
    }()

    @Test func momentsAreThoseOfAStandardNormal() {
        let n = Double(Self.count)
        let mean = Self.samples.reduce(0, +) / n
        let variance = Self.samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let skewness = Self.samples.reduce(0) { $0 + pow($1 - mean, 3) } / n / pow(variance, 1.5)
        let kurtosis = Self.samples.reduce(0) { $0 + pow($1 - mean, 4) } / n / (variance * variance)
        #expect(abs(mean) < 0.003)
        #expect(abs(variance - 1) < 0.005)
        #expect(abs(skewness) < 0.01)
        #expect(abs(kurtosis - 3) < 0.03)
    }

    @Test func tailMassesAreThoseOfAStandardNormal() {
        // Two-sided P(|x| > t): 1 - erf(t / sqrt 2).
        for threshold in [1.0, 2.0, 3.0, 3.4426, 4.0] {
            let expected = erfc(threshold / 2.0.squareRoot())
            let observed = Double(Self.samples.filter { abs($0) > threshold }.count) / Double(Self.count)
            let standardError = (expected * (1 - expected) / Double(Self.count)).squareRoot()
            #expect(abs(observed - expected) < 5 * standardError, "P(|x| > \(threshold)): \(observed) against \(expected)")
        }
        #expect(Self.samples.filter { $0 > 3.4426 }.count > 0 && Self.samples.filter { $0 < -3.4426 }.count > 0, "both tails")
    }

    @Test func empiricalCDFFollowsTheNormalCDF() {
        let sorted = Self.samples.sorted()
        var largestGap = 0.0
        for (index, value) in sorted.enumerated() where index % 97 == 0 {
            let cdf = 0.5 * erfc(-value / 2.0.squareRoot())
            largestGap = max(largestGap, abs(Double(index) / Double(Self.count) - cdf))
        }
        // The 0.1 % critical value of the KS statistic for 2 million samples is 1.95 / sqrt(n) = 0.0014.
        #expect(largestGap < 0.0014)
    }
}
