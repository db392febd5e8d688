/// How encoder frames become tokens.
public enum DecodingMethod: Sendable, Equatable {
    /// The most likely symbol per frame (at most one non-blank).
    case greedy
    /// Modified beam search with this many active paths (icefall / sherpa-onnx semantics).
    case modifiedBeam(paths: Int)

    /// The product default: modified beam search with 4 paths, the more accurate of the two.
    public static let `default` = DecodingMethod.modifiedBeam(paths: 4)
}

/// The best path of the current segment: tokens and the stream-time encoder frame of each.
public struct SearchPath: Sendable, Equatable {
    public var tokens: [Int]
    public var frames: [Int]

    public init(tokens: [Int] = [], frames: [Int] = []) {
        self.tokens = tokens
        self.frames = frames
    }
}

/// A search over encoder output, one segment (utterance) at a time.
public protocol TransducerSearch: AnyObject {
    /// Decodes `frameCount` encoder frames held row-major in `encoderFrames`; `firstFrame` is the
    /// stream-time index of the first of them (it timestamps the tokens).
    func decode(encoderFrames: UnsafeBufferPointer<Float>, frameCount: Int, firstFrame: Int) throws
    /// The best path of the current segment.
    var bestPath: SearchPath { get }
    /// How many tokens the best path of the current segment has (without building it).
    var bestPathTokenCount: Int { get }
    /// Whether the best path of the current segment has exactly `tokens` (without building it).
    func bestPathHasTokens(_ tokens: [Int]) -> Bool
    /// Blank frames at the end of the best path (the silence endpointing measures).
    var trailingBlanks: Int { get }
    /// Starts a new segment after an endpoint. As in the reference, when the segment produced
    /// tokens each path keeps its last tokens as decoder context (and its score); otherwise the
    /// search starts afresh.
    func startSegment()
    /// Forgets everything: a new stream.
    func reset()
}

/// Makes the search a decoding method asks for; hotwords (`contextGraph`) and a language model need beam search.
public func makeSearch(_ method: DecodingMethod, network: TransducerNetwork, unknownID: Int?,
                       contextGraph: ContextGraph? = nil, hotwordScoring: HotwordScoring = .beforePruning,
                       languageModel: LanguageModelFusion? = nil) -> TransducerSearch {
    switch method {
    case .greedy:
        precondition(contextGraph == nil && languageModel == nil, "hotwords and language models need modified beam search")
        return GreedySearch(network: network, unknownID: unknownID)
    case .modifiedBeam(let paths):
        return ModifiedBeamSearch(network: network, paths: paths, unknownID: unknownID, contextGraph: contextGraph,
                                  hotwordScoring: hotwordScoring, languageModel: languageModel)
    }
}
