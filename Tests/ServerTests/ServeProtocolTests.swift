import Foundation
import SpeechServer
import Testing
import TestSupport

/// `asr serve` on loopback with the real model, spoken to as sherpa-onnx's clients speak.
@Suite(.serialized) struct ServeProtocolTests {
    @Test func streamGetsTheTranscriptOfTranscribeThenDone() throws {
        let server = try ServerProcess(["--decoding", "greedy"])
        let client = try FixtureClient(port: server.port, fixture: "weather-pause-callback-16k.wav")
        let (text, frames) = try client.finish()
        #expect(text == (try FixtureClient.reference("weather-pause-callback-16k.wav")))
        let results = frames.dropLast(2).map { try? JSONSerialization.jsonObject(with: Data($0.payload)) as? [String: Any] }
        #expect(results.allSatisfy { $0 != nil })
        for key in ["text", "tokens", "timestamps", "segment", "words", "start_time", "is_final", "is_eof", "samples_received"] {
            #expect(results.allSatisfy { $0?[key] != nil }, "every result has \(key)")
        }
        // Partials, at least one endpoint inside the file, then the last result with is_eof.
        #expect(results.contains { $0?["is_final"] as? Bool == false })
        #expect(results.dropLast().contains { $0?["is_final"] as? Bool == true })
        #expect(results.last??["is_eof"] as? Bool == true)
        #expect(results.dropLast().allSatisfy { $0?["is_eof"] as? Bool == false })
        #expect(results.last??["samples_received"] as? Int == client.samples.count)
        #expect(frames[frames.count - 2].text == "Done!")
        #expect(frames.last?.close?.code == 1000)
    }

    @Test func announcedSampleRateIsResampled() throws {
        let server = try ServerProcess(["--decoding", "greedy"])
        let client = try WebSocketTestClient(port: server.port)
        try client.sendText(#"{"sample_rate": 44100}"#)
        let samples = try FixtureClient.samples(of: "weather-16k.wav", sampleRate: 44100)
        for start in stride(from: 0, to: samples.count, by: 4410) {
            try client.sendSamples(samples[start..<min(start + 4410, samples.count)])
        }
        try client.sendText("Done")
        let frames = try client.receiveUntilClose()
        #expect(FixtureClient.transcript(frames) == "THE WEATHER TODAY IS SUNNY WITH A LIGHT BREEZE FROM THE WEST")
    }

    @Test func connectionBeyondMaxStreamsIsRefusedWithAReason() throws {
        let server = try ServerProcess(["--decoding", "greedy", "--max-streams", "2"])
        let first = try FixtureClient(port: server.port, fixture: "weather-16k.wav")
        let second = try FixtureClient(port: server.port, fixture: "callback-16k-float.wav")
        try first.send(upTo: 0.5)
        try second.send(upTo: 0.5)
        let refused = try WebSocketTestClient(port: server.port).receive()
        #expect(refused.close?.code == 1013)
        #expect(refused.close?.reason.contains("--max-streams") == true)
        #expect(try first.finish().text == (try FixtureClient.reference("weather-16k.wav")))
        #expect(try second.finish().text == (try FixtureClient.reference("callback-16k-float.wav")))
        // A slot freed is a slot reused.
        #expect(try FixtureClient(port: server.port, fixture: "weather-16k.wav").finish().text == (try FixtureClient.reference("weather-16k.wav")))
    }

    @Test func terminationFinishesOpenStreamsAndExitsZero() throws {
        let server = try ServerProcess(["--decoding", "greedy"])
        let client = try FixtureClient(port: server.port, fixture: "weather-16k.wav")
        try client.send(upTo: 1)
        // Results covering nearly all of it (the rest waits for a full chunk) show the server is
        // reading; a moment more and the last messages are in before the signal.
        var received = 0
        while received < client.samples.count - 8000 {
            let frame = try client.client.receive()
            let result = try JSONSerialization.jsonObject(with: Data(frame.payload)) as? [String: Any]
            received = result?["samples_received"] as? Int ?? 0
        }
        Thread.sleep(forTimeInterval: 0.3)
        kill(server.process.processIdentifier, SIGTERM)
        let frames = try client.client.receiveUntilClose()
        #expect(FixtureClient.transcript(frames) == (try FixtureClient.reference("weather-16k.wav")))
        #expect(frames[frames.count - 2].text == "Done!")
        #expect(frames.last?.close?.code == 1001)
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
    }

    @Test func clientFasterThanDecodingIsSlowedDownNotBuffered() throws {
        let server = try ServerProcess(["--decoding", "greedy"])
        #expect(try FixtureClient(port: server.port, fixture: "weather-16k.wav").finish().text == (try FixtureClient.reference("weather-16k.wav")))
        let baseline = server.residentBytes
        // Five minutes of audio (19 MB), sent as fast as the socket takes it: decoding needs seconds.
        let weather = try FixtureClient.samples(of: "weather-16k.wav")
        let samples = Array(repeating: weather, count: 300 * 16000 / weather.count + 1).flatMap { $0 }
        let client = try WebSocketTestClient(port: server.port)
        // Results are read as they come, on another thread, so that only the audio can pile up.
        let received = ReceivedFrames()
        let done = DispatchSemaphore(value: 0)
        Thread {
            received.frames = (try? client.receiveUntilClose()) ?? []
            done.signal()
        }.start()
        var peak = baseline
        for (index, start) in stride(from: 0, to: samples.count, by: 16000).enumerated() {
            try client.sendSamples(samples[start..<min(start + 16000, samples.count)])
            if index % 10 == 0 { peak = max(peak, server.residentBytes) }
        }
        try client.sendText("Done")
        done.wait()
        let frames = received.frames
        let last = frames.dropLast(2).last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.payload)) as? [String: Any] }
        #expect(last?["is_eof"] as? Bool == true)
        #expect(last?["samples_received"] as? Int == samples.count)
        #expect(frames.last?.close?.code == 1000)
        #expect(peak - baseline < 12 << 20, "RSS peak \(peak >> 10) KiB, \(baseline >> 10) KiB before")
    }
}

/// Frames a reader thread collected; read only after it signalled that it is done.
final class ReceivedFrames: @unchecked Sendable {
    var frames: [WebSocketTestClient.Frame] = []
}
