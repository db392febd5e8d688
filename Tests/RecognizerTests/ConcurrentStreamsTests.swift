import AudioIO
import Dispatch
import Recognizer
import Synchronization
import Testing
import TestSupport

/// One loaded model, many streams at once: each stream owns its encoder state and working memory,
/// so streams decoded together on separate threads give what each gives alone.
@Suite struct ConcurrentStreamsTests {
    static let files = ["weather-16k.wav", "callback-16k.sph", "long-pause.wav", "callback-44k.flac",
                        "weather-pause-callback-16k.wav", "callback-8k-ulaw.wav", "weather-48k.ogg", "callback-48k.opus"]

    @Test(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found"),
          arguments: [DecodingMethod.greedy, .modifiedBeam(paths: 4)])
    func eightFilesOnEightThreadsGiveTheirSingleStreamTranscripts(decoding: DecodingMethod) throws {
        let recognizer = try Recognizer(modelDirectory: Fixtures.modelDirectory!, configuration: .init(decoding: decoding))
        let paths = Self.files.map(Fixtures.audio)
        let alone = try paths.map { try recognizer.transcribe(path: $0) }
        #expect(Set(alone.map(\.text)).count > 4, "the files should say different things")

        let together = Mutex<[Int: Result<RecognitionResult, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            let result = Result { try recognizer.transcribe(path: paths[index]) }
            together.withLock { $0[index] = result }
        }
        let results = together.withLock { $0 }
        for (index, expected) in alone.enumerated() {
            let result = try #require(results[index]).get()
            #expect(result == expected, "\(Self.files[index])")
        }
    }

    /// Streams interleaved chunk by chunk on one thread: no state leaks from one to the next.
    @Test(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found"))
    func interleavedStreamsStayIndependent() throws {
        let recognizer = try Recognizer(modelDirectory: Fixtures.modelDirectory!)
        let paths = Array(Self.files.prefix(3)).map(Fixtures.audio)
        let alone = try paths.map { try recognizer.transcribe(path: $0).text }
        let audio = try paths.map { try AudioFileReader(path: $0, targetSampleRate: 16_000).readAll() }
        let streams = paths.map { _ in recognizer.makeStream() }
        var offset = 0
        while audio.contains(where: { offset < $0.count }) {
            for (stream, samples) in zip(streams, audio) where offset < samples.count {
                try stream.accept(Array(samples[offset..<min(offset + 3_200, samples.count)]))
            }
            offset += 3_200
        }
        for stream in streams { try stream.inputFinished() }
        #expect(streams.map(\.partialResult.text) == alone)
    }
}
