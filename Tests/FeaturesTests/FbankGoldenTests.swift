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

/// How many values differ from kaldi-native-fbank's at all, and by how much at most.
private func mismatches(_ ours: [Float], _ reference: [Double]) -> (count: Int, largest: Double) {
    var count = 0, largest = 0.0
    for (value, expected) in zip(ours, reference) where Double(value) != expected {
        count += 1
        largest = max(largest, abs(Double(value) - expected))
    }
    return (count, largest)
}

/// Every golden signal, the pure full-scale tone included: its bins 80-90 dB below the peak hold
/// nothing but rounding noise, so only an extractor that rounds exactly like the reference can match
/// them, and ours does, value for value.
@Test(arguments: goldenSignals)
func fbankEqualsKaldiNativeFbankBitForBit(signal: String) throws {
    let samples = try goldenInput(signal)
    let reference = try NPYArray(path: Fixtures.data("FeaturesTests", "\(signal).fbank.npy"))
    let (frames, values) = fbank(samples)
    #expect(reference.shape == [frames, 80], "\(signal): \(frames) frames, reference \(reference.shape)")
    guard reference.values.count == values.count else { return }
    let (count, largest) = mismatches(values, reference.values)
    #expect(count == 0, "\(signal): \(count) of \(values.count) values differ, largest by \(largest)")
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
    let (count, largest) = mismatches(values, reference.values)
    #expect(count == 0, "\(count) of \(values.count) values differ, largest by \(largest)")
}
