import Recognizer
import Testing

/// The shared decode–endpoint–report loop, with a scripted network.
@Suite struct RecognitionSessionTests {
    func makeSession(_ network: ScriptedNetwork) throws -> RecognitionSession {
        let recognizer = try Recognizer(model: network, tokens: TokenTable(pieces: StreamMechanicsTests.pieces),
                                        configuration: RecognizerConfiguration(decoding: .greedy, endpoint: .init(isEnabled: true)))
        return RecognitionSession(stream: recognizer.makeStream())
    }

    /// HELLO at encoder frame 2, WORLD at 44. 1.7 s of audio decodes frames 0–31 (29 trailing
    /// blanks: 1.16 s, no endpoint yet); the flush decodes 32–39, where the 1.2 s endpoint fires,
    /// and 40–47, which hold WORLD: the word after an endpoint reached while flushing.
    @Test func wordsAfterAnEndpointReachedWhileFlushingAreReported() throws {
        let network = ScriptedNetwork(vocabularySize: 6)
        var rows = Array(repeating: ScriptedNetwork.blankRow(6), count: 60)
        rows[2] = ScriptedNetwork.tokenRow(3, size: 6)
        rows[44] = ScriptedNetwork.tokenRow(4, size: 6)
        network.encoderScript = rows
        let session = try makeSession(network)
        var events: [RecognitionEvent] = []
        try session.accept([Float](repeating: 0, count: 27_200)) { events.append($0) }
        #expect(session.stream.statistics.chunks == 4)
        #expect(!events.contains { if case .final = $0 { true } else { false } })
        try session.finish { events.append($0) }
        let finals = events.compactMap { event -> (String, Bool)? in
            if case .final(let result, let isLast) = event { (result.text, isLast) } else { nil }
        }
        #expect(finals.map(\.0) == ["HELLO", "WORLD"])
        #expect(finals.map(\.1) == [false, true])
        try session.finish { events.append($0) }
        #expect(events.count(where: { if case .final = $0 { true } else { false } }) == 2, "a second finish reports nothing")
    }

    @Test func partialsAreReportedOnlyWhenTheyChange() throws {
        let network = ScriptedNetwork(vocabularySize: 6)
        var rows = Array(repeating: ScriptedNetwork.blankRow(6), count: 40)
        rows[1] = ScriptedNetwork.tokenRow(3, size: 6)
        network.encoderScript = rows
        let session = try makeSession(network)
        var partials: [String] = []
        for _ in 0..<10 {
            try session.accept([Float](repeating: 0, count: 1600)) {
                if case .partial(let result) = $0 { partials.append(result.text) }
            }
        }
        #expect(partials == ["HELLO"])
    }

    @Test func silenceEndsWithOneEmptyFinal() throws {
        let session = try makeSession(ScriptedNetwork(vocabularySize: 6))
        var events: [RecognitionEvent] = []
        try session.accept([Float](repeating: 0, count: 16_000)) { events.append($0) }
        try session.finish { events.append($0) }
        #expect(events == [.final(RecognitionResult(), isLast: true)])
    }
}
