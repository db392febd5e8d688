/// One path of the search: its tokens (in a `TokenTrail`), score and bookkeeping.
///
/// As in the reference, the token sequence a hypothesis is compared and length-normalized on is
/// the decoder's start context followed by the tokens of the current segment.
public struct Hypothesis: Sendable {
    /// Last token of the path in the trail (`TokenTrail.none` before any token).
    public var tail: Int32
    /// Tokens emitted in the current segment.
    public var segmentTokenCount: Int
    /// Sum of the log-probabilities of the path's choices (the acoustic score).
    public var logProbability: Double
    /// Consecutive frames decoded as blank at the end of the path (endpointing reads this).
    public var trailingBlanks: Int
    /// Hash of the start context and segment tokens: equal sequences have equal keys.
    public var key: UInt64
    /// The path's state in the hotwords' `ContextGraph` (its root without hotwords).
    public var contextState: Int32
    /// The language model's state after the path's finished words, and the word being spelled
    /// (hash and byte count), with LM fusion.
    public var languageModelState: Int32
    public var partialWordLength: Int32
    public var partialWordHash: UInt64
    /// The spelled word's node in the LM's `WordPrefixTree` and the look-ahead score charged for it.
    public var prefixNode: Int32
    public var lookAheadScore: Float

    public init(tail: Int32, contextKey: UInt64, logProbability: Double = 0) {
        self.tail = tail
        self.segmentTokenCount = 0
        self.logProbability = logProbability
        self.trailingBlanks = 0
        self.key = contextKey
        self.contextState = ContextGraph.root
        self.languageModelState = 0
        self.partialWordLength = 0
        self.partialWordHash = 0
        self.prefixNode = 0
        self.lookAheadScore = 0
    }

    /// Mixes one token into a sequence key (64-bit FNV-1a step over the token's bytes).
    public static func extend(key: UInt64, with token: Int) -> UInt64 {
        var hash = key
        var value = UInt64(bitPattern: Int64(token))
        for _ in 0..<8 {
            hash = (hash ^ (value & 0xff)) &* 0x100000001b3
            value >>= 8
        }
        return hash
    }

    /// The key of a start context.
    public static func key(ofContext context: [Int64]) -> UInt64 {
        context.reduce(0xcbf29ce484222325) { extend(key: $0, with: Int($1)) }
    }
}
