/// Makes any Float input safe to turn into features.
///
/// Non-finite samples (NaN, +inf, -inf) become 0, and finite samples are clamped to
/// ±`SampleSanitizer.limit` (32768, the int16 full scale, so callers passing unnormalised int16
/// values are unaffected) so that the power spectrum cannot overflow Float. Inputs in [-1, 1]
/// pass through unchanged, which keeps the output identical to kaldi-native-fbank.
enum SampleSanitizer {
    static let limit: Float = 32768

    static func copySanitized(_ source: UnsafeBufferPointer<Float>, to destination: UnsafeMutablePointer<Float>) {
        guard let input = source.baseAddress else { return }
        let count = source.count
        let upper = Vector8(repeating: limit), lower = Vector8(repeating: -limit), zero = Vector8()
        var i = 0
        while i + 8 <= count {
            let value = loadVector(input + i)
            // x - x is 0 for finite x and NaN for NaN and ±inf, and NaN fails every comparison.
            let finite = (value - value) .== zero
            storeVector(zero.replacing(with: value.clamped(lowerBound: lower, upperBound: upper), where: finite), destination + i)
            i += 8
        }
        while i < count {
            let value = input[i]
            destination[i] = value.isFinite ? min(max(value, -limit), limit) : 0
            i += 1
        }
    }
}
