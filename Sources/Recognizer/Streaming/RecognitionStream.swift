import Foundation

/// One audio stream being recognized: feed samples of any length, read the partial result at any
/// time, mark the input finished to get the final result. Files and microphones use it alike.
///
/// Feature frames are encoded in chunks of `chunkLength` frames advancing by `chunkShift`, like the
/// reference: a chunk runs once more than `chunkLength` frames lie beyond the last processed one.
/// With endpointing on, decoding pauses at an endpoint until `reset()`; frames already computed are
/// decoded by the next `accept`, `inputFinished` or `decode`.
public final class RecognitionStream {
    private let network: TransducerNetwork
    private let tokens: TokenTable
    private let configuration: RecognizerConfiguration
    private let features: FeatureFrameSource
    private let search: TransducerSearch
    private let words: WordAssembler
    private let subsamplingFactor: Int

    /// Absolute index of the first feature frame of the next chunk.
    private var processedFrames = 0
    /// Absolute feature frame at which the current segment started.
    private var segmentStartFrame = 0
    private var currentSegment = 0
    private var isInputFinished = false
    private var endpointReached = false
    private var chunkFeatures: [Float]
    private var encoderOutput: [Float]

    public private(set) var statistics = StreamStatistics()

    init(network: TransducerNetwork, tokens: TokenTable, configuration: RecognizerConfiguration,
         features: FeatureFrameSource, contextGraph: ContextGraph? = nil, languageModel: LanguageModelFusion? = nil) {
        self.network = network
        self.tokens = tokens
        self.configuration = configuration
        self.features = features
        self.search = makeSearch(configuration.decoding, network: network, unknownID: tokens.unknownID,
                                 contextGraph: contextGraph, hotwordScoring: configuration.hotwordScoring,
                                 languageModel: languageModel)
        self.subsamplingFactor = max(1, network.chunkShift / max(1, network.encoderFramesPerChunk))
        self.words = WordAssembler(tokens: tokens, frameDuration: 0.01 * Double(subsamplingFactor))
        self.chunkFeatures = Array(repeating: 0, count: network.chunkLength * network.featureDimension)
        self.encoderOutput = Array(repeating: 0, count: network.encoderFramesPerChunk * network.joinerInputDimension)
    }

    /// Feeds 16 kHz mono samples in [-1, 1] and decodes every chunk that became complete.
    public func accept(_ samples: [Float]) throws {
        try samples.withUnsafeBufferPointer { try accept($0) }
    }

    /// Feeds 16 kHz mono samples in [-1, 1] and decodes every chunk that became complete.
    public func accept(_ samples: UnsafeBufferPointer<Float>) throws {
        guard !isInputFinished else {
            throw RecognizerError(subject: "stream", cause: "samples given after inputFinished()")
        }
        statistics.audioSeconds += Double(samples.count) / Double(configuration.sampleRate)
        if samples.allSatisfy({ $0.isFinite }) {
            try extractFeatures(samples)
        } else {
            // A NaN or infinity would poison the encoder caches for the rest of the stream: read it as silence.
            let cleaned = samples.map { $0.isFinite ? $0 : 0 }
            try cleaned.withUnsafeBufferPointer { try extractFeatures($0) }
        }
        try decode()
    }

    /// Ends the input: appends the tail padding, flushes the feature extractor and decodes what is
    /// left. Calling it again does nothing.
    public func inputFinished() throws {
        guard !isInputFinished else { return }
        let padding = [Float](repeating: 0, count: max(0, Int(configuration.tailPaddingSeconds * Double(configuration.sampleRate))))
        try padding.withUnsafeBufferPointer { try extractFeatures($0) }
        let start = DispatchTime.now().uptimeNanoseconds
        try features.inputFinished()
        statistics.featureSeconds += Self.seconds(since: start)
        isInputFinished = true
        try decode()
    }

    /// Decodes every complete chunk of the frames computed so far (stopping at an endpoint).
    public func decode() throws {
        let chunkLength = network.chunkLength
        while !endpointReached && processedFrames + chunkLength < features.framesReady {
            try decodeChunk()
            endpointReached = configuration.endpoint.isEndpoint(
                decodedFeatureFrames: processedFrames - segmentStartFrame,
                trailingBlankFrames: search.trailingBlanks, subsamplingFactor: subsamplingFactor)
        }
    }

    /// Whether the current segment has ended by an endpoint rule. Take `partialResult`, then `reset()`.
    public var isEndpoint: Bool { endpointReached }

    /// Whether `inputFinished()` was called.
    public var isFinished: Bool { isInputFinished }

    /// The tokens of the current segment's best path (cheaper than `partialResult` to watch for change).
    public var bestTokens: [Int] { search.bestPath.tokens }

    /// Whether the current segment's best tokens are exactly `tokens`; allocates nothing.
    public func bestTokensEqual(_ tokens: [Int]) -> Bool { search.bestPathHasTokens(tokens) }

    /// Index of the current segment: the count of earlier segments that produced text.
    public var segmentIndex: Int { currentSegment }

    /// The best result of the current segment so far (the final one after `inputFinished()`).
    public var partialResult: RecognitionResult {
        let path = search.bestPath
        let frameDuration = words.frameDuration
        let times = path.frames.map { Double($0) * frameDuration }
        return RecognitionResult(text: tokens.text(of: path.tokens), tokens: path.tokens, tokenTimes: times,
                                 words: words.words(of: path.tokens, times: times), segment: currentSegment,
                                 segmentStart: Double(segmentStartFrame) * 0.01)
    }

    /// Starts a new segment: the search forgets its result (keeping its last tokens as context, as the
    /// reference does), the encoder and the stream's timeline keep running.
    public func reset() {
        if search.bestPathTokenCount > 0 { currentSegment += 1 }
        search.startSegment()
        segmentStartFrame = processedFrames
        endpointReached = false
    }

    private func extractFeatures(_ samples: UnsafeBufferPointer<Float>) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        try features.accept(samples)
        statistics.featureSeconds += Self.seconds(since: start)
    }

    private func decodeChunk() throws {
        let start = DispatchTime.now().uptimeNanoseconds
        try chunkFeatures.withUnsafeMutableBufferPointer { chunk in
            try features.copyFrames(from: processedFrames, count: network.chunkLength, into: chunk)
        }
        try chunkFeatures.withUnsafeBufferPointer { chunk in
            try encoderOutput.withUnsafeMutableBufferPointer { output in
                try network.encode(features: chunk, into: output)
            }
        }
        let encoded = DispatchTime.now().uptimeNanoseconds
        let firstFrame = processedFrames / subsamplingFactor
        try encoderOutput.withUnsafeBufferPointer { output in
            try search.decode(encoderFrames: output, frameCount: network.encoderFramesPerChunk, firstFrame: firstFrame)
        }
        let searched = DispatchTime.now().uptimeNanoseconds
        processedFrames += network.chunkShift
        features.discardFrames(before: processedFrames)

        let encoderSeconds = Double(encoded - start) / 1e9
        let searchSeconds = Double(searched - encoded) / 1e9
        statistics.encoderSeconds += encoderSeconds
        statistics.searchSeconds += searchSeconds
        statistics.recordChunk(computeSeconds: encoderSeconds + searchSeconds)
    }

    private static func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
