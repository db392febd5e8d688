import AudioIO
import Features
import Foundation

/// A loaded model ready to recognize speech. It owns one network whose encoder caches belong to the
/// stream being decoded, so use one stream at a time per recognizer, and one recognizer per thread.
public final class Recognizer {
    public let network: TransducerNetwork
    public let tokens: TokenTable
    public let configuration: RecognizerConfiguration
    /// Splits hotwords into the model's pieces; read from `bpe.model` when hotwords are first needed.
    private var tokenizer: SentencePieceTokenizer?
    private let tokenizerPath: String?
    /// The configuration's hotwords, built once and shared by the streams.
    private var hotwordGraph: ContextGraph?
    /// The configuration's language model, read once and shared by the streams.
    private var languageModel: LanguageModelFusion?

    /// A recognizer over an already loaded network and its token table; `tokenizerPath` is the
    /// sentencepiece model hotwords are tokenized with.
    public init(network: TransducerNetwork, tokens: TokenTable, configuration: RecognizerConfiguration = .init(),
                tokenizerPath: String? = nil) throws {
        guard tokens.count == network.vocabularySize else {
            throw RecognizerError(subject: "tokens", cause: "\(tokens.count) tokens but the joiner has \(network.vocabularySize) outputs")
        }
        if case .modifiedBeam(let paths) = configuration.decoding, paths < 1 {
            throw RecognizerError(subject: "configuration", cause: "beam search needs at least 1 path, not \(paths)")
        }
        guard configuration.tailPaddingSeconds >= 0, configuration.tailPaddingSeconds.isFinite else {
            throw RecognizerError(subject: "configuration", cause: "tail padding must be a non-negative number of seconds")
        }
        guard configuration.dither >= 0, configuration.dither.isFinite else {
            throw RecognizerError(subject: "configuration", cause: "dither must be a non-negative number")
        }
        guard configuration.hotwordsScore.isFinite else {
            throw RecognizerError(subject: "configuration", cause: "the hotwords score must be a finite number")
        }
        self.network = network
        self.tokens = tokens
        self.configuration = configuration
        self.tokenizerPath = tokenizerPath
        if !configuration.hotwords.isEmpty {
            hotwordGraph = try contextGraph(configuration.hotwords)
        }
        if let path = configuration.languageModelPath {
            guard case .modifiedBeam = configuration.decoding else {
                throw RecognizerError(subject: "language model", cause: "a language model needs beam search (modified beam), not greedy")
            }
            guard configuration.languageModelScale.isFinite else {
                throw RecognizerError(subject: "configuration", cause: "the language model scale must be a finite number")
            }
            languageModel = LanguageModelFusion(model: try ARPAReader.read(path: path), scale: configuration.languageModelScale,
                                                wordBonus: configuration.languageModelWordBonus, tokens: tokens)
        }
    }

    /// Starts a new stream (and resets the network's encoder state for it), with the configuration's hotwords.
    public func makeStream() -> RecognitionStream {
        makeStream(contextGraph: hotwordGraph)
    }

    /// Starts a new stream whose search also prefers `hotwords` (added to the configuration's, as
    /// sherpa-onnx's per-stream hotwords are). Throws when a phrase has no piece in the vocabulary,
    /// the search is greedy or the model has no `bpe.model`.
    public func makeStream(hotwords: [Hotword]) throws -> RecognitionStream {
        guard !hotwords.isEmpty else { return makeStream() }
        return makeStream(contextGraph: try contextGraph(configuration.hotwords + hotwords))
    }

    private func makeStream(contextGraph: ContextGraph?) -> RecognitionStream {
        var options = FbankOptions()
        options.sampleRate = Float(configuration.sampleRate)
        options.dither = configuration.dither
        return RecognitionStream(network: network, tokens: tokens, configuration: configuration,
                                 features: FbankExtractor(options: options), contextGraph: contextGraph,
                                 languageModel: languageModel)
    }

    private func contextGraph(_ hotwords: [Hotword]) throws -> ContextGraph {
        guard case .modifiedBeam = configuration.decoding else {
            throw RecognizerError(subject: "hotwords", cause: "hotwords need beam search (modified beam), not greedy")
        }
        if tokenizer == nil {
            guard let tokenizerPath else {
                throw RecognizerError(subject: "hotwords", cause: "no sentencepiece model (bpe.model) to split them into pieces")
            }
            tokenizer = try SentencePieceTokenizer(modelPath: tokenizerPath)
        }
        return try ContextGraph(hotwords: hotwords, defaultScore: configuration.hotwordsScore,
                                tokenizer: tokenizer!, tokens: tokens)
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
