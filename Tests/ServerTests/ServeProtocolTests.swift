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
}
