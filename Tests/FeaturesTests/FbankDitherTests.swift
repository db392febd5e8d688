import Features
import Foundation
import Testing

/// Dither (Kaldi's, one step of 16-bit audio): digital silence gets a noise floor, and the frames
/// stay reproducible and independent of how the input was split.
@Suite struct FbankDitherTests {
    static var options: FbankOptions {
        var options = FbankOptions()
        options.dither = 1.0 / 32768
        return options
    }

    @Test func silenceGetsANoiseFloor() {
        let silent = fbank([Float](repeating: 0, count: 16_000), options: Self.options).values
        let floor = logf(Float.ulpOfOne)
        #expect(!silent.isEmpty && silent.allSatisfy { $0.isFinite && $0 < -9 })
        // Without dither every value is the floor; with it only the narrow low bins touch it often,
        // and no frame is all floor.
        #expect(fbank([Float](repeating: 0, count: 16_000)).values.allSatisfy { $0 == floor })
        #expect(silent.filter { $0 == floor }.count < silent.count * 6 / 10)
        for frame in stride(from: 0, to: silent.count, by: 80) {
            #expect(silent[frame..<(frame + 80)].contains { $0 > floor }, "frame \(frame / 80)")
        }
        #expect(Set(silent).count > silent.count / 3, "the floor is noise, not a constant")
    }

    @Test func framesDoNotDependOnPieceSizeOrRun() throws {
        let samples = try goldenInput("speech")
        let whole = fbank(samples, options: Self.options)
        #expect(whole.values != fbank(samples).values, "dither changes the features")
        for pieceSize in [1, 160, 1000] {
            #expect(fbank(samples, pieceSize: pieceSize, options: Self.options).values == whole.values, "pieces of \(pieceSize)")
        }
        #expect(fbank(samples, options: Self.options).values == whole.values, "a second run")
    }

    @Test func negativeDitherIsInvalid() {
        var options = FbankOptions()
        options.dither = -1
        #expect(options.invalidityReason != nil)
    }
}
