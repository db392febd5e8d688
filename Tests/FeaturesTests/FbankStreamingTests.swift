import Features
import Foundation
import Testing
import TestSupport

@Test(arguments: ["speech", "noise", "short-600"])
func pieceSizeDoesNotChangeTheFrames(signal: String) throws {
    let samples = try goldenInput(signal)
    let whole = fbank(samples)
    for pieceSize in [1, 160, 1000] {
        let pieces = fbank(samples, pieceSize: pieceSize)
        #expect(pieces.frames == whole.frames, "\(signal), pieces of \(pieceSize)")
        #expect(pieces.values == whole.values, "\(signal), pieces of \(pieceSize): values differ")
    }
}

@Test func framesAppearAsSoonAsTheyAreComplete() {
    // Frame t covers samples 160t - 120 ..< 160t + 280; it is ready once that end has arrived.
    let extractor = FbankExtractor()
    extractor.accept([Float](repeating: 0.1, count: 279))
    #expect(extractor.framesReady == 0)
    extractor.accept([0.1])
    #expect(extractor.framesReady == 1)
    extractor.accept([Float](repeating: 0.1, count: 159))
    #expect(extractor.framesReady == 1)
    extractor.accept([0.1])
    #expect(extractor.framesReady == 2)
    // 440 samples round to 3 frames (440 + 80) / 160 once the input is finished.
    extractor.inputFinished()
    #expect(extractor.framesReady == 3)
    // Input after the end is ignored.
    extractor.accept([Float](repeating: 0.1, count: 1000))
    #expect(extractor.framesReady == 3)
}

@Test func frameCountAfterFinishingRoundsToNearestShift() {
    for (count, expected) in [(0, 0), (79, 0), (80, 1), (239, 1), (240, 2), (16000, 100), (16079, 100), (16080, 101)] {
        #expect(fbank([Float](repeating: 0.2, count: count)).frames == expected, "\(count) samples")
    }
}

@Test func discardingKeepsAbsoluteIndices() throws {
    let samples = try goldenInput("speech")
    let whole = fbank(samples).values
    let extractor = FbankExtractor()
    var collected: [Float] = []
    var next = 0
    samples.withUnsafeBufferPointer { all in
        var start = 0
        while start < all.count {
            let end = min(start + 777, all.count)
            extractor.accept(UnsafeBufferPointer(rebasing: all[start..<end]))
            start = end
            let ready = extractor.framesReady
            collected += extractor.frames(from: next, count: ready - next)
            next = ready
            extractor.discardFrames(before: ready)
            #expect(extractor.firstStoredFrame == ready)
        }
    }
    extractor.inputFinished()
    collected += extractor.frames(from: next, count: extractor.framesReady - next)
    #expect(collected == whole)
}

@Test func copyFramesWritesRowMajor() throws {
    let samples = try goldenInput("noise")
    let extractor = FbankExtractor()
    extractor.accept(samples)
    extractor.inputFinished()
    let all = extractor.frames(from: 0, count: extractor.framesReady)
    var window = [Float](repeating: .nan, count: 3 * 80)
    window.withUnsafeMutableBufferPointer { extractor.copyFrames(from: 10, count: 3, into: $0) }
    #expect(window == Array(all[(10 * 80)..<(13 * 80)]))
}
