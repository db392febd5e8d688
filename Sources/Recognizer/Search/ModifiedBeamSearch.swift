/// Modified beam search (icefall, sherpa-onnx): per encoder frame every active path is joined with
/// the frame, the joiner logits become log-probabilities added to the path's score, and the best
/// `paths` (path, symbol) pairs over all paths survive. Blank and `<unk>` extend a path without a
/// token; at most one symbol per frame; paths that reach the same token sequence are merged.
/// With a `ContextGraph`, each token's hotword bonus joins the path's score: by default inside a
/// match before the best candidates are chosen, or always after, as sherpa-onnx does (`HotwordScoring`).
public final class ModifiedBeamSearch: TransducerSearch {
    private let network: TransducerNetwork
    private let unknownID: Int?
    public let paths: Int
    /// The hotwords, if any.
    public let contextGraph: ContextGraph?
    /// Whether the hotword bonuses take part in choosing the best candidates.
    public let hotwordScoring: HotwordScoring
    /// The language model, if any.
    public let languageModel: LanguageModelFusion?
    private let cache: DecoderOutputCache
    private var trail = TokenTrail()
    private var hypotheses = HypothesisSet()
    private var context: [Int64]
    private var scores: [Float]
    /// The decoder outputs of the active paths, one row each: the joiner's batch.
    private var decoderOutputs: [Float]
    /// The paths of the previous frame and the chosen (path, symbol) pairs: kept between frames so
    /// a frame reuses their storage instead of allocating.
    private var previous: [Hypothesis] = []
    private var candidates: [Int] = []
    /// A row of hotword bonuses and one of token marks (scratch, one per token).
    private var bonuses: [Float]
    private var marks: [Bool]
    /// A path's token sequence and its decimal key, for `ReferencePathOrder` (storage reused).
    private var sequence: [Int64] = []
    private var keyBytes: [UInt8] = []
    /// The paths carried into a new segment and the tails kept by a compaction (storage reused, so
    /// that endpoints and compactions allocate nothing on a long stream).
    private var carried = HypothesisSet()
    private var tails: [Int32] = []

    public init(network: TransducerNetwork, paths: Int, unknownID: Int?, contextGraph: ContextGraph? = nil,
                hotwordScoring: HotwordScoring = .beforePruning, languageModel: LanguageModelFusion? = nil) {
        self.network = network
        self.contextGraph = contextGraph
        self.hotwordScoring = hotwordScoring
        self.languageModel = languageModel
        self.unknownID = unknownID
        self.paths = max(paths, 1)
        self.cache = DecoderOutputCache(network: network)
        self.context = Array(repeating: 0, count: network.contextSize)
        // One row more than the beam: the first frame of a segment also joins the fresh start path.
        self.scores = Array(repeating: 0, count: (self.paths + 1) * network.vocabularySize)
        self.decoderOutputs = Array(repeating: 0, count: (self.paths + 1) * network.joinerInputDimension)
        self.bonuses = Array(repeating: 0, count: contextGraph == nil ? 0 : network.vocabularySize)
        self.marks = Array(repeating: false, count: contextGraph == nil ? 0 : network.vocabularySize)
        // Room for a working stream's paths, trail and sequence keys, so that a fresh stream does not
        // grow them chunk after chunk (the trail up to its first compaction, keys up to 256 tokens).
        previous.reserveCapacity(self.paths + 1)
        candidates.reserveCapacity(self.paths + 1)
        hypotheses.reserveCapacity(self.paths + 1)
        carried.reserveCapacity(self.paths + 1)
        trail.reserveCapacity(TokenTrail.compactionThreshold)
        sequence.reserveCapacity(256)
        keyBytes.reserveCapacity(256 * 4)
        // Compiling the batch joiners now keeps decoding free of allocation; should it fail, the
        // first join of each batch size tries again and reports the error.
        try? network.prepareJoin(rows: self.paths + 1)
        reset()
    }

    /// Decoder runs so far: one per distinct context, thanks to the cache.
    public var decoderRuns: Int { cache.decoderRuns }

    /// The active paths (for inspection).
    public var activePaths: [Hypothesis] { hypotheses.members }

    public func decode(encoderFrames: UnsafeBufferPointer<Float>, frameCount: Int, firstFrame: Int) throws {
        let width = network.joinerInputDimension
        let vocabulary = network.vocabularySize
        guard frameCount > 0, encoderFrames.count >= frameCount * width else { return }
        for t in 0..<frameCount {
            let frame = UnsafeBufferPointer(rebasing: encoderFrames[(t * width)..<((t + 1) * width)])
            previous.removeAll(keepingCapacity: true)
            previous.append(contentsOf: hypotheses.members)
            // All paths go through the joiner as one batch, as in the reference: an int8 joiner
            // quantizes the batch with one scale, so joining row by row gives other logits.
            for (index, hypothesis) in previous.enumerated() {
                trail.context(endingAt: hypothesis.tail, into: &context)
                let decoderOutput = try cache.output(for: context)
                decoderOutputs.withUnsafeMutableBufferPointer { rows in
                    _ = UnsafeMutableBufferPointer(rebasing: rows[(index * width)..<((index + 1) * width)])
                        .update(fromContentsOf: decoderOutput)
                }
            }
            // With bonuses in the ranking: the candidate that ranks best without them, and the best
            // one that leaves its path outside every match (see below).
            var bestUnbiased = -1
            var bestUnbiasedScore = -Float.infinity
            var bestSettled = -1
            var bestSettledScore = -Float.infinity
            try scores.withUnsafeMutableBufferPointer { scores in
                try decoderOutputs.withUnsafeBufferPointer { rows in
                    try network.join(encoderFrame: frame, decoderOutputs: UnsafeBufferPointer(rebasing: rows[0..<(previous.count * width)]),
                                     rows: previous.count,
                                     into: UnsafeMutableBufferPointer(rebasing: scores[0..<(previous.count * vocabulary)]))
                }
                for (index, hypothesis) in previous.enumerated() {
                    let row = UnsafeMutableBufferPointer(rebasing: scores[(index * vocabulary)..<((index + 1) * vocabulary)])
                    ScoreKernels.logSoftmax(row)
                    // Scores are summed in Float, as the reference does before its top-k.
                    ScoreKernels.addConstant(Float(hypothesis.logProbability), to: row)
                    if hotwordScoring == .beforePruning, let contextGraph {
                        let token = ScoreKernels.argmax(UnsafeBufferPointer(row))
                        if row[token] > bestUnbiasedScore {
                            bestUnbiased = index * vocabulary + token
                            bestUnbiasedScore = row[token]
                        }
                        // Only inside a match: every phrase's first piece is a candidate at every
                        // frame, so a match starts where the audio ranks it, and its first bonus
                        // comes after the choice, as in sherpa-onnx.
                        if hypothesis.contextState != ContextGraph.root {
                            bonuses.withUnsafeMutableBufferPointer {
                                contextGraph.addBonuses(from: hypothesis.contextState, to: row, blank: 0, unknown: unknownID, row: $0)
                            }
                        }
                        if let token = marks.withUnsafeMutableBufferPointer({
                            contextGraph.bestTokenOutsideMatches(from: hypothesis.contextState, scores: UnsafeBufferPointer(row),
                                                                 blank: 0, unknown: unknownID, marks: $0)
                        }), row[token] > bestSettledScore {
                            bestSettled = index * vocabulary + token
                            bestSettledScore = row[token]
                        }
                    }
                }
            }
            scores.withUnsafeBufferPointer {
                ScoreKernels.topK(UnsafeBufferPointer(rebasing: $0[0..<(previous.count * vocabulary)]), k: paths, into: &candidates)
            }
            // A bonus may bring a candidate into the beam, but never push out the one the acoustic
            // scores rank first: that keeps a run of false partial matches from crowding the path
            // the audio supports out of a small beam.
            if bestUnbiased >= 0, !candidates.contains(bestUnbiased) { candidates[candidates.count - 1] = bestUnbiased }
            // Nor the best candidate outside every match: unfinished matches hold bonuses they may
            // give back, and when they do, a path that never counted on them must still be there.
            if bestSettled >= 0, candidates.count > 1, !candidates.contains(bestSettled) {
                candidates[candidates.count - (candidates[candidates.count - 1] == bestUnbiased ? 2 : 1)] = bestSettled
            }
            hypotheses.removeAll()
            for candidate in candidates {
                var next = previous[candidate / vocabulary]
                let symbol = candidate % vocabulary
                var score = scores[candidate]
                if symbol != 0 && symbol != unknownID {
                    next.tail = trail.append(token: symbol, frame: firstFrame + t, after: next.tail)
                    next.segmentTokenCount += 1
                    next.key = Hypothesis.extend(key: next.key, with: symbol)
                    next.trailingBlanks = 0
                    if let contextGraph {
                        // Added in Float before widening, as the reference does (before pruning, the
                        // row already holds the same sum).
                        let (bonus, state) = contextGraph.forward(from: next.contextState, token: symbol)
                        if hotwordScoring == .afterPruning || next.contextState == ContextGraph.root { score += bonus }
                        next.contextState = state
                    }
                    if let languageModel { score += languageModel.advance(&next, token: symbol) }
                } else {
                    next.trailingBlanks += 1
                }
                next.logProbability = Double(score)
                hypotheses.add(next) { bucket(of: next) }
            }
        }
        if trail.needsCompaction {
            tails.removeAll(keepingCapacity: true)
            for member in hypotheses.members { tails.append(member.tail) }
            trail.compact(keeping: &tails)
            hypotheses.setTails(tails)
        }
    }

    /// The reference map's bucket of a path: its sequence is the last context + segment tokens.
    private func bucket(of hypothesis: Hypothesis) -> Int {
        let length = network.contextSize + hypothesis.segmentTokenCount
        sequence.removeAll(keepingCapacity: true)
        sequence.append(contentsOf: repeatElement(0, count: length))
        trail.context(endingAt: hypothesis.tail, into: &sequence)
        return ReferencePathOrder.bucket(of: sequence, scratch: &keyBytes)
    }

    /// With bonuses in the ranking, a path does not count the partial bonus of a match it has not
    /// finished (icefall's final step does the same); sherpa-onnx's order keeps it, as sherpa-onnx does.
    private var best: Hypothesis? {
        hypotheses.mostProbable(contextSize: network.contextSize, languageModel: languageModel,
                                contextGraph: hotwordScoring == .beforePruning ? contextGraph : nil)
    }

    public var bestPath: SearchPath {
        guard let best else { return SearchPath() }
        let (tokens, frames) = trail.path(endingAt: best.tail, count: best.segmentTokenCount)
        return SearchPath(tokens: tokens, frames: frames)
    }

    public var bestPathTokenCount: Int { best?.segmentTokenCount ?? 0 }

    public func bestPathHasTokens(_ tokens: [Int]) -> Bool {
        guard let best else { return tokens.isEmpty }
        return trail.path(endingAt: best.tail, count: best.segmentTokenCount, equals: tokens)
    }

    public var trailingBlanks: Int { best?.trailingBlanks ?? 0 }

    /// Starts a new segment after an endpoint as the reference's `Reset` does: a fresh path from
    /// the start context first, then every active path cut to its last context tokens with its
    /// score, merged by sequence. The next frame therefore joins up to `paths + 1` rows. Every path
    /// starts again at the hotwords' root, as in the reference.
    public func startSegment() {
        guard let best, best.segmentTokenCount > 0 else {
            reset()
            return
        }
        carried.removeAll()
        trail.context(endingAt: TokenTrail.none, into: &context)
        var start = Hypothesis(tail: TokenTrail.none, contextKey: Hypothesis.key(ofContext: context))
        languageModel?.start(&start)
        carried.add(start) { bucket(of: start) }
        for member in hypotheses.members {
            trail.context(endingAt: member.tail, into: &context)
            var path = Hypothesis(tail: member.tail, contextKey: Hypothesis.key(ofContext: context),
                                  logProbability: member.logProbability)
            languageModel?.start(&path)
            carried.add(path) { bucket(of: path) }
        }
        swap(&hypotheses, &carried)
    }

    public func reset() {
        trail.removeAll()
        trail.context(endingAt: TokenTrail.none, into: &context)
        var start = Hypothesis(tail: TokenTrail.none, contextKey: Hypothesis.key(ofContext: context))
        languageModel?.start(&start)
        hypotheses.removeAll()
        hypotheses.add(start)
    }
}
