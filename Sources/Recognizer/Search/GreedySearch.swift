/// Greedy search: per encoder frame, the joiner's most likely symbol; blank and `<unk>` emit
/// nothing, anything else is appended and the decoder context moves on. At most one symbol per frame.
public final class GreedySearch: TransducerSearch {
    private let network: TransducerNetwork
    private let unknownID: Int?
    private let cache: DecoderOutputCache
    private var trail = TokenTrail()
    private var path: Hypothesis
    private var context: [Int64]
    private var logits: [Float]
    /// The tail a compaction keeps (storage reused).
    private var tails: [Int32] = [TokenTrail.none]

    public init(network: TransducerNetwork, unknownID: Int?) {
        self.network = network
        self.unknownID = unknownID
        self.cache = DecoderOutputCache(network: network)
        self.context = Array(repeating: 0, count: network.contextSize)
        self.logits = Array(repeating: 0, count: network.vocabularySize)
        self.path = Hypothesis(tail: TokenTrail.none, contextKey: 0)
        reset()
    }

    /// Decoder runs so far: one per distinct context, thanks to the cache.
    public var decoderRuns: Int { cache.decoderRuns }

    public func decode(encoderFrames: UnsafeBufferPointer<Float>, frameCount: Int, firstFrame: Int) throws {
        let width = network.joinerInputDimension
        guard frameCount > 0, encoderFrames.count >= frameCount * width else { return }
        trail.context(endingAt: path.tail, into: &context)
        var decoderOutput = try cache.output(for: context)
        for t in 0..<frameCount {
            let frame = UnsafeBufferPointer(rebasing: encoderFrames[(t * width)..<((t + 1) * width)])
            let symbol = try logits.withUnsafeMutableBufferPointer { logits -> Int in
                try network.join(encoderFrame: frame, decoderOutput: decoderOutput, into: logits)
                return ScoreKernels.argmax(UnsafeBufferPointer(logits))
            }
            if symbol != 0 && symbol != unknownID {
                path.tail = trail.append(token: symbol, frame: firstFrame + t, after: path.tail)
                path.segmentTokenCount += 1
                path.key = Hypothesis.extend(key: path.key, with: symbol)
                path.trailingBlanks = 0
                trail.context(endingAt: path.tail, into: &context)
                decoderOutput = try cache.output(for: context)
            } else {
                path.trailingBlanks += 1
            }
        }
        if trail.needsCompaction {
            tails[0] = path.tail
            trail.compact(keeping: &tails)
            path.tail = tails[0]
        }
    }

    public var bestPath: SearchPath {
        let (tokens, frames) = trail.path(endingAt: path.tail, count: path.segmentTokenCount)
        return SearchPath(tokens: tokens, frames: frames)
    }

    public var bestPathTokenCount: Int { path.segmentTokenCount }

    public func bestPathHasTokens(_ tokens: [Int]) -> Bool {
        trail.path(endingAt: path.tail, count: path.segmentTokenCount, equals: tokens)
    }

    public var trailingBlanks: Int { path.trailingBlanks }

    public func startSegment() {
        guard path.segmentTokenCount > 0 else {
            reset()
            return
        }
        trail.context(endingAt: path.tail, into: &context)
        path = Hypothesis(tail: path.tail, contextKey: Hypothesis.key(ofContext: context))
    }

    public func reset() {
        trail.removeAll()
        trail.context(endingAt: TokenTrail.none, into: &context)
        path = Hypothesis(tail: TokenTrail.none, contextKey: Hypothesis.key(ofContext: context))
    }
}
