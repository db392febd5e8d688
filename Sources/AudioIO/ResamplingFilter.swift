import Foundation

/// The polyphase coefficient tables of a Kaiser-windowed sinc low-pass filter for converting
/// `inputRate` to `outputRate`.
///
/// The cutoff sits at half the lower of the two rates, the transition band spans 47.5 % to 52.5 % of
/// that rate, and the stopband is attenuated by 90 dB. For 16 kHz output this keeps 0-7.6 kHz flat and
/// lets only 8.0-8.4 kHz alias, which folds onto 7.6-8.0 kHz: above the highest mel bin (7.6 kHz).
struct ResamplingFilter {
    static let stopbandAttenuation: Double = 90
    static let transitionFraction: Double = 0.05
    /// Phases above this are linearly interpolated between tables instead of stored exactly.
    static let maximumStoredPhases = 512

    /// Upsampling factor L and downsampling factor M (output/input = L/M, reduced).
    let upFactor: Int
    let downFactor: Int
    /// Taps per phase (2 * halfWidth, a multiple of 8 for the SIMD dot product).
    let tapCount: Int
    /// Input samples each side of the output instant the filter reaches.
    let halfWidth: Int
    /// Number of stored phase steps Q; tables hold Q + 1 rows for interpolation.
    let phaseSteps: Int
    /// (phaseSteps + 1) rows of `tapCount` coefficients; row q applies to fractional offset q / Q.
    let coefficients: [Float]

    init(inputRate: Int, outputRate: Int) {
        let divisor = Self.greatestCommonDivisor(inputRate, outputRate)
        upFactor = outputRate / divisor
        downFactor = inputRate / divisor

        let lowerRate = Double(min(inputRate, outputRate))
        let cutoff = 0.5 * lowerRate / Double(inputRate)                 // cycles per input sample
        let transition = Self.transitionFraction * lowerRate / Double(inputRate)   // full width, 0.475 to 0.525
        let beta = 0.1102 * (Self.stopbandAttenuation - 8.7)
        // Kaiser's estimate of the filter length for this attenuation and transition width.
        let length = (Self.stopbandAttenuation - 8) / (2.285 * 2 * Double.pi * transition)
        var width = Int((length / 2).rounded(.up))
        width = (width + 3) / 4 * 4
        halfWidth = width
        tapCount = 2 * width
        phaseSteps = min(upFactor, Self.maximumStoredPhases)

        var table = [Float](repeating: 0, count: (phaseSteps + 1) * tapCount)
        let besselOfBeta = Self.besselI0(beta)
        for q in 0...phaseSteps {
            let fraction = Double(q) / Double(phaseSteps)
            for tap in 0..<tapCount {
                // Tap t multiplies input sample i + (t - width + 1) for an output at i + fraction.
                let offset = Double(tap - width + 1) - fraction
                let ratio = offset / Double(width)
                guard abs(ratio) < 1 else { continue }
                let window = Self.besselI0(beta * (1 - ratio * ratio).squareRoot()) / besselOfBeta
                let argument = 2 * cutoff * offset
                let sinc = argument == 0 ? 1 : sin(Double.pi * argument) / (Double.pi * argument)
                table[q * tapCount + tap] = Float(2 * cutoff * sinc * window)
            }
        }
        coefficients = table
    }

    /// The zeroth-order modified Bessel function of the first kind, by its power series.
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0
        var term = 1.0
        let quarterSquare = x * x / 4
        for k in 1..<64 {
            term *= quarterSquare / Double(k * k)
            sum += term
            if term < sum * 1e-17 { break }
        }
        return sum
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
