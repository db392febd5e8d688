import AudioIO
import Foundation
import Testing

/// Broken input yields one `AudioFileError` naming the file and the cause, never a crash.
@Suite struct BadAudioFileTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("asr-bad-audio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A canonical PCM16 WAV header followed by `frames` frames of silence.
    static func wav(channels: UInt16, rate: UInt32, frames: Int) -> [UInt8] {
        func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
        func le16(_ value: UInt16) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
        let dataBytes = UInt32(frames * Int(max(channels, 1)) * 2)
        let blockAlign = channels &* 2
        var bytes = Array("RIFF".utf8) + le32(36 + dataBytes) + Array("WAVE".utf8)
        bytes += Array("fmt ".utf8) + le32(16) + le16(1) + le16(channels) + le32(rate)
        bytes += le32(rate &* UInt32(blockAlign)) + le16(blockAlign) + le16(16)
        bytes += Array("data".utf8) + le32(dataBytes) + [UInt8](repeating: 0, count: Int(dataBytes))
        return bytes
    }

    func expectFailure(_ path: String, mentioning phrase: String) {
        do {
            _ = try AudioFileReader(path: path).readAll()
            Issue.record("\(path) was accepted")
        } catch let error as AudioFileError {
            #expect(error.description.hasPrefix(path + ": "), "\(error)")
            #expect(error.description.contains(phrase), "\(error)")
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test func missingFile() {
        expectFailure(directory.appendingPathComponent("absent.wav").path, mentioning: "no such file")
    }

    @Test func directoryInsteadOfFile() {
        expectFailure(directory.path, mentioning: "is a directory")
    }

    @Test func emptyFile() throws {
        expectFailure(try write("empty.wav", []), mentioning: "empty file")
    }

    @Test func truncatedHeader() throws {
        let header = Array(Self.wav(channels: 1, rate: 16000, frames: 100).prefix(20))
        expectFailure(try write("truncated.wav", header), mentioning: "not a readable audio file")
    }

    @Test func unsupportedContainer() throws {
        expectFailure(try write("notes.wav", Array("just some text, not audio at all\n".utf8)),
                      mentioning: "not a readable audio file")
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        expectFailure(try write("noise.flac", noise), mentioning: "not a readable audio file")
    }

    @Test func zeroChannels() throws {
        expectFailure(try write("zero-channels.wav", Self.wav(channels: 0, rate: 16000, frames: 100)),
                      mentioning: "channel")
    }

    @Test func zeroSampleRate() throws {
        expectFailure(try write("zero-rate.wav", Self.wav(channels: 1, rate: 0, frames: 100)), mentioning: "rate")
    }

    @Test func absurdSampleRate() throws {
        expectFailure(try write("absurd-rate.wav", Self.wav(channels: 1, rate: 2_000_000_000, frames: 100)), mentioning: "rate")
        expectFailure(try write("tiny-rate.wav", Self.wav(channels: 1, rate: 3, frames: 100)), mentioning: "rate")
    }

    /// Found by the audio-files fuzzer (its input is tools/fuzz/corpus/audio-files/odd-rate-timeout.au):
    /// a header declaring 546,338 Hz made the resampler compute 3.3 million filter weights.
    @Test func rateWithoutACommonFactorIsRefused() throws {
        expectFailure(try write("odd-rate.wav", Self.wav(channels: 1, rate: 546_338, frames: 100)), mentioning: "cannot be resampled")
        // Rates recorders use stay readable, odd ones included.
        for rate: UInt32 in [8_000, 11_025, 22_050, 44_100, 47_952, 48_000, 96_000, 192_000, 352_800, 768_000] {
            let path = try write("rate-\(rate).wav", Self.wav(channels: 1, rate: rate, frames: 100))
            #expect(throws: Never.self) { _ = try AudioFileReader(path: path).readAll() }
        }
    }

    @Test func headerWithoutSamples() throws {
        expectFailure(try write("no-frames.wav", Self.wav(channels: 1, rate: 16000, frames: 0)), mentioning: "no audio")
    }

    @Test func truncatedDataStillReadsWhatIsThere() throws {
        // The header promises 16000 frames; only 8000 are present. Reading must end, not hang.
        let whole = Self.wav(channels: 1, rate: 16000, frames: 16000)
        let path = try write("short-data.wav", Array(whole.prefix(44 + 16000)))
        let samples = try AudioFileReader(path: path).readAll()
        #expect(samples.count == 8000)
    }
}
