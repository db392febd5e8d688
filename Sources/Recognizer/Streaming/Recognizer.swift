import AudioIO
import Features
import Foundation

/// A loaded model ready to recognize speech. It owns one network whose encoder caches belong to the
/// stream being decoded, so use one stream at a time per recognizer, and one recognizer per thread.
public final class Recognizer {
    public let network: TransducerNetwork
    public let tokens: TokenTable
    public let configuration: RecognizerConfiguration

    /// A recognizer over an already loaded network and its token table.
    public init(network: TransducerNetwork, tokens: TokenTable, configuration: RecognizerConfiguration = .init()) throws {
        guard tokens.count == network.vocabularySize else {
            throw RecognizerError(subject: "tokens", cause: "\(tokens.count) tokens but the joiner has \(network.vocabularySize) outputs")
        }
        if case .modifiedBeam(let paths) = configuration.decoding, paths < 1 {
            throw RecognizerError(subject: "configuration", cause: "beam search needs at least 1 path, not \(paths)")
        }
        guard configuration.tailPaddingSeconds >= 0, configuration.tailPaddingSeconds.isFinite else {
            throw RecognizerError(subject: "configuration", cause: "tail padding must be a non-negative number of seconds")
        }
        self.network = network
        self.tokens = tokens
        self.configuration = configuration
    }

    /// Starts a new stream (and resets the network's encoder state for it).
    public func makeStream() -> RecognitionStream {
        var options = FbankOptions()
        options.sampleRate = Float(configuration.sampleRate)
        return RecognitionStream(network: network, tokens: tokens, configuration: configuration,
                                 features: FbankExtractor(options: options))
    }

    /// Recognizes a whole audio file, streaming it in one-second blocks so memory stays flat however
    /// long it is. With endpointing on, segment texts are joined with spaces and words keep their
    /// stream times.
    public func transcribe(path: String, partials: ((RecognitionResult) -> Void)? = nil) throws -> RecognitionResult {
        let reader = try AudioFileReader(path: path, targetSampleRate: configuration.sampleRate)
        let stream = makeStream()
        var segments: [RecognitionResult] = []
        var lastReported = RecognitionResult()
        func report() {
            guard let partials else { return }
            let result = stream.partialResult
            if result.tokens != lastReported.tokens || result.segment != lastReported.segment {
                partials(result)
                lastReported = result
            }
        }
        // Takes every segment that ended, then decodes the frames waiting past its endpoint.
        func drain() throws {
            report()
            while stream.isEndpoint {
                let segment = stream.partialResult
                if !segment.tokens.isEmpty { segments.append(segment) }
                stream.reset()
                try stream.decode()
                report()
            }
        }
        while let block = try reader.read(maxFrames: configuration.sampleRate) {
            try stream.accept(block)
            try drain()
        }
        try stream.inputFinished()
        try drain()
        let last = stream.partialResult
        if !last.tokens.isEmpty || segments.isEmpty { segments.append(last) }
        return Self.joined(segments)
    }

    /// One result from the segments of a stream.
    static func joined(_ segments: [RecognitionResult]) -> RecognitionResult {
        guard segments.count != 1 else { return segments[0] }
        var result = RecognitionResult()
        result.text = segments.map(\.text).filter { !$0.isEmpty }.joined(separator: " ")
        result.tokens = segments.flatMap(\.tokens)
        result.tokenTimes = segments.flatMap(\.tokenTimes)
        result.words = segments.flatMap(\.words)
        result.segment = segments.last?.segment ?? 0
        return result
    }
}
