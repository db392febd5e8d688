import Features
import Foundation
import Testing
import TestSupport

/// The golden signals made by tools/make-fbank-golden.py with kaldi-native-fbank.
let goldenSignals = ["speech", "silence", "tone", "noise", "clipped", "short-50", "short-100", "short-600"]

func goldenInput(_ name: String) throws -> [Float] {
    try NPYArray(path: Fixtures.data("FeaturesTests", "\(name).input.npy")).floats
}

/// Feeds `samples` in pieces of `pieceSize` (all at once when nil), finishes, and returns every frame.
func fbank(_ samples: [Float], pieceSize: Int? = nil, options: FbankOptions = FbankOptions()) -> (frames: Int, values: [Float]) {
    let extractor = FbankExtractor(options: options)
    let step = max(pieceSize ?? samples.count, 1)
    samples.withUnsafeBufferPointer { all in
        var start = 0
        while start < all.count {
            let end = min(start + step, all.count)
            extractor.accept(UnsafeBufferPointer(rebasing: all[start..<end]))
            start = end
        }
    }
    extractor.inputFinished()
    return (extractor.framesReady, extractor.frames(from: 0, count: extractor.framesReady))
}

/// Max and mean |ours - kaldi-native-fbank| over the entries whose reference value is above `level`.
private func differences(_ ours: [Float], _ reference: [Double], above level: Double = -.infinity) -> (max: Double, mean: Double) {
    var maxDifference = 0.0, total = 0.0, count = 0
    for (value, expected) in zip(ours, reference) where expected > level {
        let difference = abs(Double(value) - expected)
        maxDifference = max(maxDifference, difference)
        total += difference
        count += 1
    }
    return (maxDifference, count == 0 ? 0 : total / Double(count))
}

@Test(arguments: goldenSignals.filter { $0 != "tone" })
func fbankMatchesKaldiNativeFbank(signal: String) throws {
    let samples = try goldenInput(signal)
    let reference = try NPYArray(path: Fixtures.data("FeaturesTests", "\(signal).fbank.npy"))
    let (frames, values) = fbank(samples)
    #expect(reference.shape == [frames, 80], "\(signal): \(frames) frames, reference \(reference.shape)")
    guard reference.values.count == values.count else { return }
    let (maxDifference, meanDifference) = differences(values, reference.values)
    #expect(maxDifference <= 1e-3, "\(signal): max |diff| \(maxDifference)")
    #expect(meanDifference <= 1e-5, "\(signal): mean |diff| \(meanDifference)")
}

/// A pure full-scale sine leaves most mel bins 80-90 dB below the peak, at the rounding floor of a
/// float32 FFT. kaldi-native-fbank computes its FFT in float32 too, so there both results are rounding
/// noise: a 1-ulp change of the windowed input alone moves those bins by up to 2e-3. The bins above
/// that floor meet the 1e-3 bound; the whole matrix is held to the looser bound the noise allows.
@Test func fbankMatchesKaldiNativeFbankOnAPureFullScaleTone() throws {
    let samples = try goldenInput("tone")
    let reference = try NPYArray(path: Fixtures.data("FeaturesTests", "tone.fbank.npy"))
    let (frames, values) = fbank(samples)
    #expect(reference.shape == [frames, 80])
    guard reference.values.count == values.count else { return }
    let all = differences(values, reference.values)
    #expect(all.max <= 5e-3 && all.mean <= 2e-4, "tone: max |diff| \(all.max), mean \(all.mean)")
    let aboveFloor = differences(values, reference.values, above: -8)
    #expect(aboveFloor.max <= 1e-3 && aboveFloor.mean <= 1e-5, "tone above -8: max |diff| \(aboveFloor.max), mean \(aboveFloor.mean)")
}

/// Non-default options (snip_edges, Hamming window, 40 bins up to 7 kHz, magnitude spectrum) against
/// kaldi-native-fbank with the same options.
@Test func fbankHonoursNonDefaultOptions() throws {
    var options = FbankOptions()
    options.snipEdges = true
    options.window = .hamming
    options.numBins = 40
    options.highFrequency = 7000
    options.usePower = false
    let reference = try NPYArray(path: Fixtures.data("FeaturesTests", "speech.variant.fbank.npy"))
    let (frames, values) = fbank(try goldenInput("speech"), pieceSize: 333, options: options)
    #expect(reference.shape == [frames, 40], "\(frames) frames, reference \(reference.shape)")
    guard reference.values.count == values.count else { return }
    let (maxDifference, meanDifference) = differences(values, reference.values)
    #expect(maxDifference <= 1e-3 && meanDifference <= 1e-5, "max |diff| \(maxDifference), mean \(meanDifference)")
}
