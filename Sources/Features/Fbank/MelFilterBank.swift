import Foundation

/// Kaldi's triangular mel filters over the FFT bins 0 ..< fftSize/2 (the Nyquist bin is not used).
struct MelFilterBank {
    struct Filter {
        /// First FFT bin with a non-zero weight.
        let firstBin: Int
        let weights: [Float]
    }

    let filters: [Filter]

    /// Kaldi's mel scale, evaluated in Float as the reference does.
    static func mel(_ frequency: Float) -> Float { 1127 * logf(1 + frequency / 700) }

    init(options: FbankOptions) {
        let fftBins = options.fftSize / 2
        let nyquist = 0.5 * options.sampleRate
        let upper = options.highFrequency > 0 ? options.highFrequency : nyquist + options.highFrequency
        let binWidth = options.sampleRate / Float(options.fftSize)
        let melLow = Self.mel(options.lowFrequency), melHigh = Self.mel(upper)
        let delta = (melHigh - melLow) / Float(options.numBins + 1)
        filters = (0..<options.numBins).map { bin in
            let left = melLow + Float(bin) * delta
            let center = melLow + Float(bin + 1) * delta
            let right = melLow + Float(bin + 2) * delta
            var first = -1
            var weights: [Float] = []
            for i in 0..<fftBins {
                let mel = Self.mel(binWidth * Float(i))
                guard mel > left && mel < right else { continue }
                if first < 0 { first = i }
                // Bins between two active ones are always active: the triangle is convex.
                weights.append(mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center))
            }
            return Filter(firstBin: max(first, 0), weights: weights)
        }
    }

    /// Writes one energy per filter: the weighted sum of `spectrum` under its triangle.
    func apply(to spectrum: UnsafePointer<Float>, into energies: UnsafeMutablePointer<Float>) {
        for (index, filter) in filters.enumerated() {
            var sum: Float = 0
            filter.weights.withUnsafeBufferPointer { weights in
                let bins = spectrum + filter.firstBin
                for k in 0..<weights.count { sum += weights[k] * bins[k] }
            }
            energies[index] = sum
        }
    }
}
