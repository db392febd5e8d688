import AudioIO
import Foundation
import Testing
import TestSupport

/// Every container and rate decodes to the samples sox produces for the same file.
@Suite struct AudioFileReaderTests {
    struct Case: CustomStringConvertible, Sendable {
        let file: String
        let rate: Int
        let channels: Int
        /// Largest sample difference allowed against sox, full scale 1.0.
        let maximumDifference: Float
        /// Smallest signal-to-difference ratio allowed against sox, in dB.
        let minimumAgreement: Double
        var description: String { file }
    }

    // Same-rate files differ from sox by 16-bit rounding only. Resampled ones also differ by the two
    // resamplers' filters: sox's very-high-quality one against the reference recognizer's short
    // windowed sinc, which `Resampler` reproduces bit for bit (ResamplerTests); measured 2026-11-24:
    // 22.05 kHz 0.014 / 42.5 dB, 44.1 kHz 0.025 / 38.7 dB, 48 kHz 0.018 / 42.9 dB, Opus 0.025 / 38.8 dB,
    // 8 kHz 0.060 / 33.7 dB. A wrong decode, channel mix or rate gives an agreement near 0 dB.
    static let cases: [Case] = [
        Case(file: "weather-16k.wav", rate: 16000, channels: 1, maximumDifference: 1e-4, minimumAgreement: 80),
        Case(file: "callback-16k-float.wav", rate: 16000, channels: 1, maximumDifference: 1e-4, minimumAgreement: 80),
        Case(file: "callback-16k.sph", rate: 16000, channels: 1, maximumDifference: 1e-4, minimumAgreement: 80),
        Case(file: "weather-22k-stereo.wav", rate: 22050, channels: 2, maximumDifference: 0.03, minimumAgreement: 36),
        Case(file: "callback-44k.flac", rate: 44100, channels: 1, maximumDifference: 0.03, minimumAgreement: 36),
        Case(file: "weather-48k.ogg", rate: 48000, channels: 1, maximumDifference: 0.03, minimumAgreement: 36),
        Case(file: "callback-48k.opus", rate: 48000, channels: 1, maximumDifference: 0.03, minimumAgreement: 36),
        // Upsampling: the reference filter's transition band (from 3.96 kHz) holds audible speech energy.
        Case(file: "callback-8k-ulaw.wav", rate: 8000, channels: 1, maximumDifference: 0.08, minimumAgreement: 30),
    ]

    @Test(arguments: cases)
    func decodesLikeSox(_ testCase: Case) throws {
        let reader = try AudioFileReader(path: Fixtures.audio(testCase.file), targetSampleRate: 16000)
        #expect(reader.sourceSampleRate == testCase.rate)
        #expect(reader.channelCount == testCase.channels)
        let ours = try reader.readAll()
        let reference = try Self.referenceSamples(testCase.file)
        // Same length up to one sample of rounding in the rate conversion.
        #expect(abs(ours.count - reference.count) <= 1, "\(ours.count) samples vs sox \(reference.count)")
        let count = min(ours.count, reference.count)
        var maximum: Float = 0
        var signal = 0.0, difference = 0.0
        for i in 0..<count {
            let d = ours[i] - reference[i]
            maximum = max(maximum, abs(d))
            signal += Double(reference[i] * reference[i])
            difference += Double(d * d)
        }
        let agreement = 10 * log10(signal / max(difference, 1e-20))
        print("\(testCase.file): max diff \(maximum), agreement \(String(format: "%.1f", agreement)) dB")
        #expect(maximum <= testCase.maximumDifference)
        #expect(agreement >= testCase.minimumAgreement)
    }

    @Test func blockSizeDoesNotChangeTheSamples() throws {
        let path = Fixtures.audio("weather-22k-stereo.wav")
        let whole = try AudioFileReader(path: path).readAll()
        for blockSize in [1, 7, 441, 10_000] {
            let reader = try AudioFileReader(path: path)
            var pieces: [Float] = []
            while let block = try reader.read(maxFrames: blockSize) { pieces += block }
            #expect(pieces == whole, "block size \(blockSize)")
        }
    }

    @Test func reportsDuration() throws {
        let reader = try AudioFileReader(path: Fixtures.audio("weather-22k-stereo.wav"))
        #expect(abs(reader.duration - 2.895) < 0.01)
        #expect(reader.formatName.contains("WAV"))
    }

    static func referenceSamples(_ file: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("AudioIOTests", file + ".s16")))
        return data.withUnsafeBytes { raw in
            raw.bindMemory(to: Int16.self).map { Float(Int16(littleEndian: $0)) / 32768 }
        }
    }
}
