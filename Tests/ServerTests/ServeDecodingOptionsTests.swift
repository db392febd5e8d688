import Foundation
import Testing
import TestSupport

/// `asr serve` with hotwords and a language model, on loopback with the real model: the server's
/// `--hotwords` and `--lm` for every stream, and a client's own hotwords in its JSON configuration.
@Suite(.serialized) struct ServeDecodingOptionsTests {
    let fixture = "callback-16k-float.wav"
    let plain = "PLEASE CALLED ME BACK WHEN YOU GET HOME TONIGHT"
    let biased = "PLEASE CALL ME BACK WHEN YOU GET HOME TONIGHT"

    func hotwordsFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("serve-hotwords-\(UUID().uuidString).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func serverHotwordsAndLanguageModelGiveTranscribesTranscript() throws {
        #expect(try FixtureClient.reference(fixture, decoding: "beam") == plain)
        let file = try hotwordsFile("CALL ME BACK\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let server = try ServerProcess(["--hotwords", file, "--hotwords-score", "2"])
        #expect(try FixtureClient(port: server.port, fixture: fixture).finish().text
                == (try FixtureClient.reference(fixture, decoding: "beam", options: ["--hotwords", file, "--hotwords-score", "2"])))
        #expect(try FixtureClient(port: server.port, fixture: fixture).finish().text == biased)

        let arpa = Fixtures.data("RecognizerTests", "an4-200-4gram.arpa")
        let lmServer = try ServerProcess(["--lm", arpa, "--lm-scale", "0.3"])
        let withLM = try FixtureClient(port: lmServer.port, fixture: "weather-16k.wav").finish().text
        #expect(withLM == (try FixtureClient.reference("weather-16k.wav", decoding: "beam", options: ["--lm", arpa, "--lm-scale", "0.3"])))
    }

    @Test func aClientsHotwordsAreItsStreamsAlone() throws {
        let server = try ServerProcess()
        let withHotwords = try FixtureClient(port: server.port, fixture: fixture)
        try withHotwords.client.sendText(#"{"hotwords": "call me back :2\nSUNDAY"}"#)
        let without = try FixtureClient(port: server.port, fixture: fixture)
        try withHotwords.send(upTo: 0.5)
        try without.send(upTo: 0.5)
        #expect(try withHotwords.finish().text == biased)
        #expect(try without.finish().text == plain)
    }

    /// A malformed list is refused when it arrives; a phrase the model cannot spell, or hotwords on a
    /// greedy server, when the stream starts (at the first audio).
    @Test func badClientHotwordsCloseTheirConnectionWithAReason() throws {
        let server = try ServerProcess()
        let greedy = try ServerProcess(["--decoding", "greedy"])
        for (port, hotwords, reason) in [(server.port, "A :x", "hotwords:1: bad score ':x' (expected ':' and a number)"),
                                         (server.port, "OK\\n日本", "hotwords:2: '日本' has no piece in the model's vocabulary"),
                                         (greedy.port, "CALL ME BACK", "hotwords: hotwords need beam search (modified beam), not greedy")] {
            let client = try FixtureClient(port: port, fixture: fixture)
            try client.client.sendText(#"{"hotwords": "\#(hotwords)"}"#)
            try? client.sendNext()
            let frames = try client.client.receiveUntilClose()
            #expect(frames.last?.close?.code == 1007, "\(hotwords)")
            #expect(frames.last?.close?.reason == reason)
        }
        // The others carry on.
        #expect(try FixtureClient(port: server.port, fixture: fixture).finish().text == plain)
    }
}
