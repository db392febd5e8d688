import Features
import Foundation
import Testing
import TestSupport

private let logFloor = Float(log(Double(Float.ulpOfOne)))

@Test func nonFiniteSamplesAreTreatedAsZero() throws {
    var samples = try goldenInput("speech")
    var zeroed = samples
    for index in stride(from: 3, to: samples.count, by: 97) {
        samples[index] = [Float.nan, .infinity, -.infinity][index % 3]
        zeroed[index] = 0
    }
    let dirty = fbank(samples), clean = fbank(zeroed)
    #expect(dirty.values.allSatisfy { $0.isFinite })
    #expect(dirty.values == clean.values)
}

@Test func allNaNInputGivesTheSilenceFloor() {
    let output = fbank([Float](repeating: .nan, count: 4000), pieceSize: 333)
    #expect(output.frames == 25)
    #expect(output.values.allSatisfy { $0 == logFloor })
}

@Test func silenceGivesLogOfFloatEpsilonEverywhere() {
    let output = fbank([Float](repeating: 0, count: 16000))
    #expect(output.frames == 100)
    #expect(output.values.allSatisfy { $0 == logFloor })
}

@Test func fullScaleClippingStaysFiniteAndBounded() {
    // A square wave at ±1: the loudest signal in range.
    let samples = (0..<16000).map { Float(($0 / 40) % 2 == 0 ? 1 : -1) }
    let output = fbank(samples)
    #expect(output.values.allSatisfy { $0.isFinite && $0 >= logFloor && $0 < 30 })
}

@Test func hugeSamplesAreClampedSoTheOutputStaysFinite() {
    let samples = (0..<8000).map { Float($0 % 2 == 0 ? 1e30 : -3e38) }
    let clamped = (0..<8000).map { Float($0 % 2 == 0 ? 32768 : -32768) }
    let output = fbank(samples)
    #expect(output.values.allSatisfy { $0.isFinite })
    #expect(output.values == fbank(clamped).values)
}
