import AudioIO
import Foundation
import Testing
import TestSupport

/// Capture through real ALSA with no sound card: a `type file` PCM over the `null` device reads a
/// raw fixture as if it came from a microphone.
@Suite(.serialized) struct MicrophoneTests {
    /// The fixture as 16-bit samples and the ALSA configuration naming the test devices. ALSA reads
    /// its configuration once per process, so every test shares this one.
    static let setup: (samples: [Float], configured: Bool) = {
        guard let samples = try? AudioFileReader(path: Fixtures.audio("weather-16k.wav")).readAll() else { return ([], false) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asr-alsa-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let raw = directory.appendingPathComponent("weather.s16")
        let pcm = samples.map { Int16(($0 * 32_768).rounded()) }
        try? pcm.withUnsafeBytes { Data($0) }.write(to: raw)
        let configuration = """
        pcm.asrfixture {
            type file
            slave.pcm "null"
            file "/dev/null"
            infile "\(raw.path)"
            format "raw"
        }
        pcm.asrmulaw {
            type mulaw
            slave { pcm "null" format S16_LE }
        }
        """
        let configurationFile = directory.appendingPathComponent("asoundrc")
        try? configuration.write(to: configurationFile, atomically: true, encoding: .utf8)
        setenv("ALSA_CONFIG_PATH", "/usr/share/alsa/alsa.conf:\(configurationFile.path)", 1)
        return (samples, true)
    }()

    @Test func capturesTheFixtureSampleForSample() throws {
        let fixture = Self.setup.samples
        try #require(Self.setup.configured)
        let microphone = try Microphone(device: "asrfixture")
        #expect(microphone.sampleRate == 16_000)
        #expect(microphone.channelCount == 1)
        #expect(microphone.formatName == "S16_LE")
        microphone.start(maximumFrames: fixture.count)
        var captured: [Float] = []
        while let block = try microphone.read() { captured += block.samples }
        #expect(captured == fixture)
        #expect(microphone.overrunCount == 0)
    }

    @Test func stopsAfterTheRequestedFrames() throws {
        try #require(Self.setup.configured)
        let microphone = try Microphone(device: "asrfixture")
        microphone.start(maximumFrames: 8_000)
        var count = 0
        while let block = try microphone.read() { count += block.samples.count }
        #expect(count == 8_000)
    }

    @Test func deviceThatDoesNotExist() throws {
        try #require(Self.setup.configured)
        #expect {
            _ = try Microphone(device: "asr-no-such-device")
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("ALSA device 'asr-no-such-device': no such capture device") && !message.contains("\n")
        }
    }

    @Test func deviceThatRefusesEveryFormat() throws {
        try #require(Self.setup.configured)
        #expect {
            _ = try Microphone(device: "asrmulaw")
        } throws: { error in
            "\(error)".hasPrefix("ALSA device 'asrmulaw': device offers no usable capture format")
        }
    }
}

@Suite struct SampleRingBufferTests {
    /// A producer thread writes a ramp in odd-sized pieces through a small ring; the consumer must
    /// see every value once, in order.
    @Test func deliversEverySampleInOrderAcrossThreads() {
        let ring = SampleRingBuffer(capacity: 257)
        let total = 200_000
        let producer = Thread {
            var next = 0
            var piece = [Float](repeating: 0, count: 97)
            while next < total {
                let count = min(piece.count, total - next)
                for i in 0..<count { piece[i] = Float(next + i) }
                var offset = 0
                while offset < count {
                    offset += piece.withUnsafeBufferPointer {
                        ring.write(UnsafeBufferPointer(rebasing: $0[offset..<count]), arrival: UInt64(next))
                    }
                }
                next += count
            }
        }
        producer.start()
        var expected = 0
        var buffer = [Float](repeating: 0, count: 61)
        var ordered = true
        while expected < total {
            let (count, _) = buffer.withUnsafeMutableBufferPointer { ring.read(into: $0) }
            for i in 0..<count where buffer[i] != Float(expected + i) { ordered = false }
            expected += count
        }
        #expect(ordered)
        #expect(ring.available == 0)
    }
}
