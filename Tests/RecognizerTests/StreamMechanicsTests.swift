import Foundation
import Recognizer
import Testing
import TestSupport

/// The stream's chunking, padding, endpointing and error handling, with real features and a
/// scripted network (one scripted encoder row per encoder frame, in order).
@Suite struct StreamMechanicsTests {
    static let pieces = ["<blk>", "<sos/eos>", "<unk>", "\u{2581}HELLO", "\u{2581}WORLD", "S"]

    func makeRecognizer(_ network: ScriptedNetwork, decoding: DecodingMethod = .greedy,
                        endpoint: EndpointConfiguration = .init()) throws -> Recognizer {
        try Recognizer(model: network, tokens: TokenTable(pieces: Self.pieces),
                       configuration: RecognizerConfiguration(decoding: decoding, endpoint: endpoint))
    }

    @Test func decodesWholeChunksOnlyAndPadsTheTail() throws {
        let network = ScriptedNetwork(vocabularySize: 6)
        let stream = try makeRecognizer(network).makeStream()
        // 1 s gives 100 frames: chunks start at 0 and 32 (a chunk needs more than 45 frames beyond its start).
        try stream.accept([Float](repeating: 0, count: 16000))
        #expect(stream.statistics.chunks == 2)
        // 0.66 s of padding makes 166 frames: two more chunks (at 64 and 96).
        try stream.inputFinished()
        #expect(stream.statistics.chunks == 4)
        #expect(network.encodeCount == 4)
        #expect(stream.statistics.audioSeconds == 1)
        #expect(stream.statistics.chunkComputeSeconds.count == 4)
        let statistics = stream.statistics
        #expect(statistics.chunkComputeSeconds(percentile: 1) == statistics.chunkComputeSeconds.max())
        #expect(statistics.chunkComputeSeconds(percentile: 0) == statistics.chunkComputeSeconds.min())
        #expect(StreamStatistics().chunkComputeSeconds(percentile: 0.5) == 0)
    }

    @Test func tokensCarryStreamTimeAndFormWords() throws {
        let network = ScriptedNetwork(vocabularySize: 6)
        var rows = Array(repeating: ScriptedNetwork.blankRow(6), count: 24)
        rows[3] = ScriptedNetwork.tokenRow(3, size: 6)
        rows[10] = ScriptedNetwork.tokenRow(4, size: 6)
        rows[11] = ScriptedNetwork.tokenRow(5, size: 6)
        network.encoderScript = rows
        let stream = try makeRecognizer(network).makeStream()
        try stream.accept([Float](repeating: 0, count: 16000))
        try stream.inputFinished()
        let result = stream.partialResult
        #expect(result.text == "HELLO WORLDS")
        #expect(result.tokens == [3, 4, 5])
        #expect(result.tokenTimes.map { ($0 * 100).rounded() / 100 } == [0.12, 0.40, 0.44])
        #expect(result.words.map(\.text) == ["HELLO", "WORLDS"])
        #expect(abs(result.words[0].end - 0.40) < 1e-9 && abs(result.words[1].end - 0.48) < 1e-9)
    }

    @Test func endpointSplitsSegmentsAndTheStreamKeepsItsTimeline() throws {
        let network = ScriptedNetwork(vocabularySize: 6)
        var rows = Array(repeating: ScriptedNetwork.blankRow(6), count: 200)
        rows[2] = ScriptedNetwork.tokenRow(3, size: 6)
        rows[100] = ScriptedNetwork.tokenRow(4, size: 6)
        network.encoderScript = rows
        let stream = try makeRecognizer(network, endpoint: EndpointConfiguration(isEnabled: true)).makeStream()
        try stream.accept([Float](repeating: 0, count: 16000 * 6))
        var segments: [RecognitionResult] = []
        while stream.isEndpoint {
            segments.append(stream.partialResult)
            stream.reset()
            try stream.decode()
        }
        try stream.inputFinished()
        segments.append(stream.partialResult)
        let spoken = segments.filter { !$0.tokens.isEmpty }
        #expect(spoken.map(\.text) == ["HELLO", "WORLD"])
        #expect(spoken.map(\.segment) == [0, 1])
        // The second word was decoded at encoder frame 100 of the stream: 4.0 s.
        #expect(abs(spoken[1].tokenTimes[0] - 4.0) < 1e-9)
        #expect(spoken[1].segmentStart > 1.2)
    }

    @Test func feedingPatternDoesNotChangeTheResult() throws {
        var generator = SplitMix(seed: 9)
        let samples = (0..<40000).map { _ in Float(generator.nextUnit() * 0.2 - 0.1) }
        var results: [RecognitionResult] = []
        for pieceLength in [1, 160, 1234, 40000] {
            let network = ScriptedNetwork(vocabularySize: 6)
            network.encoderScript = (0..<40).map { $0 % 5 == 0 ? ScriptedNetwork.tokenRow(3 + $0 % 3, size: 6) : ScriptedNetwork.blankRow(6) }
            let stream = try makeRecognizer(network, decoding: .modifiedBeam(paths: 4)).makeStream()
            var start = 0
            while start < samples.count {
                let end = min(start + pieceLength, samples.count)
                try stream.accept(Array(samples[start..<end]))
                start = end
            }
            try stream.inputFinished()
            results.append(stream.partialResult)
            #expect(stream.statistics.chunks == 9)  // 316 frames with the padding
        }
        #expect(!results[0].tokens.isEmpty)
        #expect(results.allSatisfy { $0 == results[0] })
    }

    @Test func tinyAndSilentInputGiveEmptyResults() throws {
        let network = ScriptedNetwork(vocabularySize: 6)
        let recognizer = try makeRecognizer(network)
        for count in [0, 1, 160] {
            let stream = recognizer.makeStream()
            try stream.accept([Float](repeating: 0, count: count))
            try stream.inputFinished()
            #expect(stream.partialResult == RecognitionResult())
        }
    }

    @Test func rejectsMisuseWithClearErrors() throws {
        let network = ScriptedNetwork(vocabularySize: 6)
        let stream = try makeRecognizer(network).makeStream()
        try stream.inputFinished()
        try stream.inputFinished()  // a second call does nothing
        #expect { try stream.accept([0]) } throws: { "\($0)" == "stream: samples given after inputFinished()" }
        #expect { try Recognizer(model: ScriptedNetwork(vocabularySize: 7), tokens: TokenTable(pieces: Self.pieces)) }
            throws: { "\($0)" == "tokens: 6 tokens but the joiner has 7 outputs" }
        #expect { try makeRecognizer(network, decoding: .modifiedBeam(paths: 0)) } throws: { "\($0)".contains("at least 1 path") }
    }
}
