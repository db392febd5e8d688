import AudioIO
import Features
import Foundation
import Synchronization

/// A loaded model ready to recognize speech: read-only after load, so any number of streams made
/// from it run at once, each on any thread (one thread at a time per stream). Weights, packed
/// kernels, hotwords and the language model exist once; each stream holds its own state.
public final class Recognizer: Sendable {
    public let model: TransducerNetworkSource
    public let tokens: TokenTable
    public let configuration: RecognizerConfiguration
    /// Splits hotwords into the model's pieces; read from `bpe.model` when hotwords are first needed
    /// (without one, hotwords are spelled with the token table alone).
    private let tokenizer = Mutex<SentencePieceTokenizer?>(nil)
    private let tokenizerPath: String?
    /// The configuration's hotwords, built once and shared by the streams.
    private let hotwordGraph: ContextGraph?
    /// The configuration's language model, read once and shared by the streams.
    private let languageModel: LanguageModelFusion?

    /// A recognizer over an already loaded model and its token table; `tokenizerPath` is the
    /// sentencepiece model hotwords are tokenized with (nil: with the token table alone).
    public init(model: TransducerNetworkSource, tokens: TokenTable, configuration: RecognizerConfiguration = .init(),
                tokenizerPath: String? = nil) throws {
        guard tokens.count == model.vocabularySize else {
            throw RecognizerError(subject: "tokens", cause: "\(tokens.count) tokens but the joiner has \(model.vocabularySize) outputs")
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
        self.model = model
        self.tokens = tokens
        self.configuration = configuration
        self.tokenizerPath = tokenizerPath
        hotwordGraph = configuration.hotwords.isEmpty ? nil
            : try Self.contextGraph(configuration.hotwords, configuration: configuration, tokens: tokens,
                                    tokenizer: tokenizer, tokenizerPath: tokenizerPath)
        if let path = configuration.languageModelPath {
            guard case .modifiedBeam = configuration.decoding else {
                throw RecognizerError(subject: "language model", cause: "a language model needs beam search (modified beam), not greedy")
            }
            guard configuration.languageModelScale.isFinite else {
                throw RecognizerError(subject: "configuration", cause: "the language model scale must be a finite number")
            }
            languageModel = LanguageModelFusion(model: try ARPAReader.read(path: path), scale: configuration.languageModelScale,
                                                wordBonus: configuration.languageModelWordBonus, tokens: tokens)
        } else {
            languageModel = nil
        }
    }

    /// Starts a new stream, with the configuration's hotwords.
    public func makeStream() -> RecognitionStream {
        makeStream(contextGraph: hotwordGraph)
    }

    /// Starts a new stream whose search also prefers `hotwords` (added to the configuration's, as
    /// sherpa-onnx's per-stream hotwords are). Throws when a phrase has no piece in the vocabulary
    /// or the search is greedy.
    public func makeStream(hotwords: [Hotword]) throws -> RecognitionStream {
        guard !hotwords.isEmpty else { return makeStream() }
        return makeStream(contextGraph: try Self.contextGraph(configuration.hotwords + hotwords, configuration: configuration,
                                                              tokens: tokens, tokenizer: tokenizer, tokenizerPath: tokenizerPath))
    }

    private func makeStream(contextGraph: ContextGraph?) -> RecognitionStream {
        var options = FbankOptions()
        options.sampleRate = Float(configuration.sampleRate)
        options.dither = configuration.dither
        return RecognitionStream(network: model.makeNetwork(), tokens: tokens, configuration: configuration,
                                 features: FbankExtractor(options: options), contextGraph: contextGraph,
                                 languageModel: languageModel)
    }

    private static func contextGraph(_ hotwords: [Hotword], configuration: RecognizerConfiguration, tokens: TokenTable,
                                     tokenizer: borrowing Mutex<SentencePieceTokenizer?>, tokenizerPath: String?) throws -> ContextGraph {
        guard case .modifiedBeam = configuration.decoding else {
            throw RecognizerError(subject: "hotwords", cause: "hotwords need beam search (modified beam), not greedy")
        }
        let loaded = try tokenizer.withLock { tokenizer -> SentencePieceTokenizer? in
            if let tokenizer { return tokenizer }
            guard let tokenizerPath else { return nil }
            tokenizer = try SentencePieceTokenizer(modelPath: tokenizerPath)
            return tokenizer
        }
        return try ContextGraph(hotwords: hotwords, defaultScore: configuration.hotwordsScore, tokenizer: loaded, tokens: tokens,
                                completesAtWordEnd: configuration.hotwordScoring == .beforePruning)
    }

    /// Recognizes a whole audio file, streaming it in one-second blocks so memory stays flat however
    /// long it is. With endpointing on, segment texts are joined with spaces and words keep their
    /// stream times.
    public func transcribe(path: String, partials: ((RecognitionResult) -> Void)? = nil) throws -> RecognitionResult {
        let reader = try AudioFileReader(path: path, targetSampleRate: configuration.sampleRate)
        let session = RecognitionSession(stream: makeStream())
        var segments: [RecognitionResult] = []
        func collect(_ event: RecognitionEvent) {
            switch event {
            case .partial(let result): partials?(result)
            case .final(let result, let isLast): if !result.tokens.isEmpty || (isLast && segments.isEmpty) { segments.append(result) }
            }
        }
        while let block = try reader.read(maxFrames: configuration.sampleRate) {
            try session.accept(block, report: collect)
        }
        try session.finish(report: collect)
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
