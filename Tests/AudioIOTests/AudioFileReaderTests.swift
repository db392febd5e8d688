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

    // Same-rate files differ from sox by 16-bit rounding only; resampled ones also by the two
    // resamplers' different filters, whose transition bands sit near 8 kHz where speech is weak.
    static let cases: [Case] = [
        Case(file: "weather-16k.wav", rate: 16000, channels: 1, maximumDifference: 1e-4, minimumAgreement: 80),
        Case(file: "callback-16k-float.wav", rate: 16000, channels: 1, maximumDifference: 1e-4, minimumAgreement: 80),
        Case(file: "callback-16k.sph", rate: 16000, channels: 1, maximumDifference: 1e-4, minimumAgreement: 80),
        Case(file: "weather-22k-stereo.wav", rate: 22050, channels: 2, maximumDifference: 5e-4, minimumAgreement: 75),
        Case(file: "callback-44k.flac", rate: 44100, channels: 1, maximumDifference: 5e-4, minimumAgreement: 75),
        Case(file: "weather-48k.ogg", rate: 48000, channels: 1, maximumDifference: 5e-4, minimumAgreement: 75),
        // The reference decodes Opus with another libsndfile build; the decoders differ slightly.
        Case(file: "callback-48k.opus", rate: 48000, channels: 1, maximumDifference: 3e-3, minimumAgreement: 60),
        // Upsampling: the two filters' transition bands (3.8-4.2 kHz) hold audible speech energy.
        Case(file: "callback-8k-ulaw.wav", rate: 8000, channels: 1, maximumDifference: 1e-2, minimumAgreement: 45),
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
