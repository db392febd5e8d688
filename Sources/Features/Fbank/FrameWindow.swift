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
    /// the caller zeroes the padding once). `frame` is left unchanged.
    func process(_ frame: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        var mean: Float = 0
        if removeDCOffset {
            var sums = Vector8()
            var i = 0
            while i + 8 <= length { sums += loadVector(frame + i); i += 8 }
            var total = sums.sum()
            while i < length { total += frame[i]; i += 1 }
            mean = total / Float(length)
        }
        let coefficient = preemphasisCoefficient
        coefficients.withUnsafeBufferPointer { window in
            guard let w = window.baseAddress else { return }
            // y[i] = (x[i] - mean) - c (x[i-1] - mean) for i >= 1, y[0] = (1 - c)(x[0] - mean); then times the window.
            let meanVector = Vector8(repeating: mean), coefficientVector = Vector8(repeating: coefficient)
            var i = 1
            while i + 8 <= length {
                let current = loadVector(frame + i) - meanVector
                let previous = loadVector(frame + i - 1) - meanVector
                storeVector(current.addingProduct(-coefficientVector, previous) * loadVector(w + i), output + i)
                i += 8
            }
            while i < length {
                output[i] = ((frame[i] - mean) - coefficient * (frame[i - 1] - mean)) * w[i]
                i += 1
            }
            let first = frame[0] - mean
            output[0] = (first - coefficient * first) * w[0]
        }
    }
}
