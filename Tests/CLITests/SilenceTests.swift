import Foundation
import Testing
import TestSupport

/// Silence and steady noise must not become words, in `transcribe` (one segment, tail padding) and
/// in `listen` (endpointing, a real ALSA device over a raw file), with both searches. Before the
/// recognizer dithered its features, beam search decoded `AND` in digital silence and in a pure hum
/// (the model had never seen frames without a noise floor), and `listen` printed one `AND` line per
/// 1.2 s of it.
@Suite(.enabled(if: Fixtures.modelDirectory != nil)) struct SilenceTests {
    static let sampleRate = 16_000

    /// 30 s of a generated signal as 16-bit samples.
    static func signal(_ name: String) -> [Int16] {
        let count = 30 * sampleRate
        switch name {
        case "digital silence":
            return [Int16](repeating: 0, count: count)
        case "white noise at -50 dBFS":
            // Gaussian (Box-Muller), RMS 10^(-50/20) of full scale, from a fixed seed.
            var random = SplitMix(seed: 50)
            let rms = 32767 * pow(10, -50.0 / 20)
            return (0..<count).map { _ in
                let u1 = 1 - random.nextUnit(), u2 = random.nextUnit()
                return Int16((rms * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)).rounded())
            }
        case "50 Hz hum at -20 dBFS":
            let peak = 32767 * pow(10, -20.0 / 20) * 2.0.squareRoot()
            return (0..<count).map { Int16((peak * sin(2 * .pi * 50 * Double($0) / Double(sampleRate))).rounded()) }
        default:
            preconditionFailure("no signal named \(name)")
        }
    }

    static let signals = ["digital silence", "white noise at -50 dBFS", "50 Hz hum at -20 dBFS"]

    /// A canonical 16-bit mono WAV file of `samples` in a fresh temporary directory.
    static func wavFile(_ samples: [Int16], name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asr-silence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var data = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        let bytes = UInt32(samples.count * 2)
        data.append(contentsOf: Array("RIFF".utf8)); append(36 + bytes)
        data.append(contentsOf: Array("WAVEfmt ".utf8)); append(UInt32(16)); append(UInt16(1)); append(UInt16(1))
        append(UInt32(sampleRate)); append(UInt32(sampleRate * 2)); append(UInt16(2)); append(UInt16(16))
        data.append(contentsOf: Array("data".utf8)); append(bytes)
        for sample in samples { append(sample) }
        let path = directory.appendingPathComponent(name.replacingOccurrences(of: " ", with: "-") + ".wav").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: ["greedy", "beam"])
    func transcribeFindsNoWords(decoding: String) throws {
        let files = try Self.signals.map { try Self.wavFile(Self.signal($0), name: $0) }
        let result = try CommandRunner.run(["transcribe", "--model", Fixtures.modelDirectory ?? "", "--decoding", decoding] + files)
        #expect(result.status == 0, "\(result.standardError)")
        // One line per file: its path, a tab and the (empty) text.
        #expect(result.standardOutput == files.map { "\($0)\t\n" }.joined(), "\(decoding): \(result.standardOutput)")
    }

    @Test(arguments: SilenceTests.signals, ["greedy", "beam"])
    func listenFindsNoWords(signal: String, decoding: String) throws {
        let wav = try Self.wavFile(Self.signal(signal), name: signal)
        var environment = try ListenCommandTests.fixtureDevice(path: wav)
        environment["ASR_MODEL"] = Fixtures.modelDirectory
        let result = try CommandRunner.run(["listen", "--device", "asrfixture", "--duration", "30", "--decoding", decoding],
                                           environment: environment)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "", "\(signal), \(decoding): \(result.standardOutput)")
    }

    /// The case reported: speech, then 1.5 s of digital silence. Beam search added `AND` to the
    /// sentence in `transcribe`, and `listen` printed a line `AND` after it, then one per endpoint.
    @Test(arguments: ["greedy", "beam"])
    func speechFollowedBySilenceGainsNoWord(decoding: String) throws {
        let sentence = "THE WEATHER TODAY IS SUNNY WITH A LIGHT BREEZE FROM THE WEST"
        let speech = try Data(contentsOf: URL(fileURLWithPath: Fixtures.audio("weather-16k.wav"))).dropFirst(44)
        let samples = speech.withUnsafeBytes { raw in
            (0..<raw.count / 2).map { raw.loadUnaligned(fromByteOffset: 2 * $0, as: Int16.self) }
        } + [Int16](repeating: 0, count: 24_000)
        let wav = try Self.wavFile(samples, name: "weather-then-silence")
        let transcribed = try CommandRunner.run(["transcribe", "--model", Fixtures.modelDirectory ?? "", "--decoding", decoding, wav])
        #expect(transcribed.standardOutput == sentence + "\n")
        var environment = try ListenCommandTests.fixtureDevice(path: wav)
        environment["ASR_MODEL"] = Fixtures.modelDirectory
        // Past the end of its file the device delivers silence: 30 s in all.
        let listened = try CommandRunner.run(["listen", "--device", "asrfixture", "--duration", "30", "--decoding", decoding],
                                             environment: environment)
        #expect(listened.status == 0, "\(listened.standardError)")
        #expect(listened.standardOutput == sentence + "\n")
    }
}
