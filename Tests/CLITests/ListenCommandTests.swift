import Foundation
import Testing
import TestSupport

/// `asr listen` end to end through real ALSA, without a sound card: the device is a `type file` PCM
/// over `null` whose capture side reads a raw 16-bit fixture.
@Suite struct ListenCommandTests {
    /// Writes the fixture as raw 16 kHz 16-bit samples and an ALSA configuration defining
    /// `asrfixture` over it; returns the environment that makes `asr` use that configuration.
    static func fixtureDevice(_ fixture: String) throws -> [String: String] {
        try fixtureDevice(path: Fixtures.audio(fixture))
    }

    /// The same for any canonical 16 kHz 16-bit mono WAV file.
    static func fixtureDevice(path: String) throws -> [String: String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asr-listen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The WAV file's data chunk is the raw stream after its 44-byte canonical header.
        let wav = try Data(contentsOf: URL(fileURLWithPath: path))
        let raw = directory.appendingPathComponent("capture.s16")
        try wav.dropFirst(44).write(to: raw)
        let configuration = directory.appendingPathComponent("asoundrc")
        try """
        pcm.asrfixture {
            type file
            slave.pcm "null"
            file "/dev/null"
            infile "\(raw.path)"
            format "raw"
        }
        """.write(to: configuration, atomically: true, encoding: .utf8)
        return ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(configuration.path)"]
    }

    static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
    }

    static func editDistance(_ a: [Substring], _ b: [Substring]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    @Test(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found")) func transcriptMatchesTranscribe() throws {
        let model = Fixtures.modelDirectory!
        let fixture = "weather-pause-callback-16k.wav"
        var environment = try Self.fixtureDevice(fixture)
        environment["ASR_MODEL"] = model
        // 8.52 s of audio; the device delivers silence after the end of its file.
        // Greedy search: with beam search the reference (sherpa-onnx) itself decodes a one-word
        // segment inside the pause, so the line count would not be a property of `listen`.
        let listened = try CommandRunner.run(["listen", "--device", "asrfixture", "--duration", "9", "--decoding", "greedy", "--stats"],
                                             environment: environment)
        #expect(listened.status == 0, "\(listened.standardError)")
        let transcribed = try CommandRunner.run(["transcribe", "--decoding", "greedy", Fixtures.audio(fixture)],
                                                environment: ["ASR_MODEL": model])
        #expect(transcribed.status == 0)
        // Endpointing splits the pause into two lines. The search restarts after the endpoint, so
        // the words may differ from the single-segment `transcribe` by at most one.
        let lines = listened.standardOutput.split(separator: "\n")
        #expect(lines.count == 2, "\(listened.standardOutput)")
        let distance = Self.editDistance(Self.words(listened.standardOutput), Self.words(transcribed.standardOutput))
        #expect(distance <= 1, "listen: \(listened.standardOutput) transcribe: \(transcribed.standardOutput)")
        #expect(listened.standardError.contains("chunk compute p50"))
    }

    @Test(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found")) func jsonEventsCarryWordTimes() throws {
        let model = Fixtures.modelDirectory!
        var environment = try Self.fixtureDevice("weather-16k.wav")
        environment["ASR_MODEL"] = model
        let result = try CommandRunner.run(["listen", "--device", "asrfixture", "--duration", "3.5", "--format", "json"], environment: environment)
        #expect(result.status == 0, "\(result.standardError)")
        let events = try result.standardOutput.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
        let finals = events.filter { $0["type"] as? String == "final" }
        #expect(finals.count == 1)
        #expect(events.contains { $0["type"] as? String == "partial" })
        let words = finals.first?["words"] as? [[String: Any]] ?? []
        #expect(words.count == 12)
        let starts = words.compactMap { $0["start"] as? Double }
        #expect(starts == starts.sorted() && (starts.last ?? 0) < 3.5)
        // Times are printed to the millisecond, without float noise such as 1.4000000000000001.
        let timePattern = try Regex(#""(?:start|end)":([0-9.]+)"#)
        let printedTimes = result.standardOutput.matches(of: timePattern).compactMap { $0.output[1].substring.map(String.init) }
        #expect(!printedTimes.isEmpty)
        #expect(printedTimes.allSatisfy { ($0.split(separator: ".").dropFirst().first?.count ?? 0) <= 3 }, "\(printedTimes)")
    }

    @Test(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found")) func missingDeviceIsOneClearError() throws {
        let model = Fixtures.modelDirectory!
        let result = try CommandRunner.run(["listen", "--device", "asr-no-such-device", "--duration", "1"], environment: ["ASR_MODEL": model])
        #expect(result.status != 0)
        #expect(result.standardError == "asr: ALSA device 'asr-no-such-device': no such capture device (No such file or directory)\n")
    }

    @Test(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found")) func interruptFlushesAndExitsZero() throws {
        let model = Fixtures.modelDirectory!
        var environment = try Self.fixtureDevice("weather-16k.wav")
        environment["ASR_MODEL"] = model
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.asrExecutable)
        // Far longer than the test: only Ctrl-C ends it.
        process.arguments = ["listen", "--device", "asrfixture", "--duration", "100000"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 3)
        kill(process.processIdentifier, SIGINT)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self).contains("WEATHER"))
    }
}
