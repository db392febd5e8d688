import AudioIO
import Evaluation
import ModelRuntime
import Recognizer

/// One loaded model: streams made from it run on any threads at once.
protocol LoadedRecognizer: AnyObject, Sendable {
    func makeStream() -> MeasuredStream
    /// A stream whose search also prefers `hotwords`.
    func makeStream(hotwords: [String]) throws -> MeasuredStream
    /// The memory each graph of the model planned at load.
    var graphMemory: [(name: String, plan: MemoryPlan)] { get }
}

/// The one place `eval` and `bench` touch the recognizer library.
enum RecognizerBridge {
    /// Loads the model the options name, with the search they ask for.
    static func load(_ options: RecognizerOptions) throws -> LoadedRecognizer {
        StreamingRecognizer(try options.makeRecognizer())
    }
}

/// `Recognizer` as `eval` and `bench` use it.
private final class StreamingRecognizer: LoadedRecognizer, Sendable {
    let recognizer: Recognizer

    init(_ recognizer: Recognizer) {
        self.recognizer = recognizer
    }

    func makeStream() -> MeasuredStream {
        Stream(recognizer.makeStream())
    }

    func makeStream(hotwords: [String]) throws -> MeasuredStream {
        Stream(try recognizer.makeStream(hotwords: hotwords.map { Hotword($0) }))
    }

    var graphMemory: [(name: String, plan: MemoryPlan)] {
        guard let model = recognizer.model as? TransducerModel else { return [] }
        let plans = model.memoryPlans
        return [("encoder memory", plans.encoder), ("decoder memory", plans.decoder), ("joiner memory", plans.joiner)]
    }

    private final class Stream: MeasuredStream {
        let stream: RecognitionStream

        init(_ stream: RecognitionStream) {
            self.stream = stream
        }

        func accept(_ samples: [Float]) throws { try stream.accept(samples) }
        func inputFinished() throws { try stream.inputFinished() }
        var text: String { stream.partialResult.text }
        var chunks: Int { stream.statistics.chunks }

        var measurements: StreamMeasurements {
            let statistics = stream.statistics
            return StreamMeasurements(audioSeconds: statistics.audioSeconds, featureSeconds: statistics.featureSeconds,
                                 encoderSeconds: statistics.encoderSeconds, searchSeconds: statistics.searchSeconds,
                                 chunks: statistics.chunks, chunkComputeSeconds: statistics.chunkComputeSeconds)
        }
    }
}

/// Decodes whole files for `eval`: reads the file at 16 kHz, then streams it in one-second blocks and
/// flushes. Only the streaming is timed, so RTF is the recognizer's cost, not the audio decoder's.
final class FileTranscriber: UtteranceTranscriber {
    private let recognizer: LoadedRecognizer

    init(_ recognizer: LoadedRecognizer) {
        self.recognizer = recognizer
    }

    func transcribe(audioPath: String) throws -> Transcription {
        try transcribe(audioPath: audioPath, hotwords: [])
    }

    /// Building the hotwords' graph is part of the timed recognition.
    func transcribe(audioPath: String, hotwords: [String]) throws -> Transcription {
        let samples = try AudioFileReader(path: audioPath, targetSampleRate: 16_000).readAll()
        let start = ProcessResources.threadCPUSeconds()
        let stream = hotwords.isEmpty ? recognizer.makeStream() : try recognizer.makeStream(hotwords: hotwords)
        for blockStart in stride(from: 0, to: samples.count, by: 16_000) {
            try stream.accept(Array(samples[blockStart..<min(blockStart + 16_000, samples.count)]))
        }
        try stream.inputFinished()
        let cpu = ProcessResources.threadCPUSeconds() - start
        return Transcription(text: stream.text, audioSeconds: stream.measurements.audioSeconds, cpuSeconds: cpu)
    }
}
