import Foundation

/// Per-frame time-domain processing before the FFT: DC removal, pre-emphasis and the window taper,
/// in Kaldi's order, written into a zero-padded FFT input.
struct FrameWindow {
    let length: Int
    let removeDCOffset: Bool
    let preemphasisCoefficient: Float
    /// Window coefficients, padded with zeros to a multiple of 8 lanes.
    let coefficients: [Float]

    init(options: FbankOptions) {
        length = options.frameLength
        removeDCOffset = options.removeDCOffset
        preemphasisCoefficient = options.preemphasisCoefficient
        coefficients = Self.makeWindow(kind: options.window, length: length)
            + [Float](repeating: 0, count: (8 - length % 8) % 8)
    }

    /// The window, computed in Double as Kaldi does and stored as Float.
    static func makeWindow(kind: FbankOptions.WindowKind, length: Int) -> [Float] {
        let a = 2 * Double.pi / Double(length - 1)
        return (0..<length).map { i in
            let phase = a * Double(i)
            switch kind {
            case .povey: return Float(pow(0.5 - 0.5 * cos(phase), 0.85))
            case .hanning: return Float(0.5 - 0.5 * cos(phase))
            case .hamming: return Float(0.54 - 0.46 * cos(phase))
            case .rectangular: return 1
            }
        }
    }

    /// Turns `length` raw samples into the FFT input `output` (at least `length` rounded up to 8 floats;
    /// the caller zeroes the padding once). `frame` is left unchanged. Each step rounds as the
    /// reference does: the mean is a running Float sum, and pre-emphasis multiplies and then
    /// subtracts (no fused multiply-add), so the output equals kaldi-native-fbank's bit for bit.
    func process(_ frame: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        var mean: Float = 0
        if removeDCOffset {
            var total: Float = 0
            for i in 0..<length { total += frame[i] }
            mean = total / Float(length)
        }
        let coefficient = preemphasisCoefficient
        coefficients.withUnsafeBufferPointer { window in
            guard let w = window.baseAddress else { return }
            // y[i] = (x[i] - mean) - c (x[i-1] - mean) for i >= 1, y[0] = (x[0] - mean) - c (x[0] - mean); then times the window.
            let meanVector = Vector8(repeating: mean), coefficientVector = Vector8(repeating: coefficient)
            var i = 1
            while i + 8 <= length {
                let current = loadVector(frame + i) - meanVector
                let previous = loadVector(frame + i - 1) - meanVector
                storeVector((current - coefficientVector * previous) * loadVector(w + i), output + i)
                i += 8
            }
            while i < length {
                let current = frame[i] - mean, previous = frame[i - 1] - mean
                output[i] = (current - coefficient * previous) * w[i]
                i += 1
            }
            let first = frame[0] - mean
            output[0] = (first - coefficient * first) * w[0]
        }
    }
}
