/// The active hypotheses of the beam, merging paths with the same token sequence by adding their
/// probabilities (log-add), as the reference's `Hypotheses::Add` does.
///
/// Two paths are taken as equal when their 64-bit sequence keys and lengths match; comparing the
/// keys instead of the sequences keeps the search O(beam) per frame on arbitrarily long input.
public struct HypothesisSet: Sendable {
    public private(set) var members: [Hypothesis] = []
    /// Each member's bucket in the reference's map.
    private var buckets: [Int] = []

    public init() {}

    public init(_ hypotheses: [Hypothesis]) {
        for hypothesis in hypotheses { add(hypothesis) }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    /// Adds a path, or merges it into an equal one already present (keeping the first one's times
    /// and place). A new path goes where the reference's map would put it (`ReferencePathOrder`):
    /// in front of the first member of its bucket, else first; `bucket` is asked only for new paths.
    public mutating func add(_ hypothesis: Hypothesis, bucket: () -> Int = { 0 }) {
        if let index = members.firstIndex(where: {
            $0.key == hypothesis.key && $0.segmentTokenCount == hypothesis.segmentTokenCount
        }) {
            members[index].logProbability = ScoreKernels.logAdd(members[index].logProbability,
                                                                 hypothesis.logProbability)
        } else {
            let own = bucket()
            let place = buckets.firstIndex(of: own) ?? 0
            members.insert(hypothesis, at: place)
            buckets.insert(own, at: place)
        }
    }

    /// The best path by log-probability divided by sequence length (start context included, as the
    /// reference counts it).
    /// With a language model, a path also counts what it would still score if it ended now (its last
    /// word and the sentence end); with a context graph, it gives back the bonus of an unfinished match.
    public func mostProbable(contextSize: Int, languageModel: LanguageModelFusion? = nil,
                             contextGraph: ContextGraph? = nil) -> Hypothesis? {
        var best: Hypothesis?
        var bestScore = -Double.infinity
        for member in members {
            var total = member.logProbability
            if let languageModel { total += languageModel.pendingScore(member) }
            if let contextGraph { total -= Double(contextGraph.partialBonus(at: member.contextState)) }
            let score = total / Double(contextSize + member.segmentTokenCount)
            if best == nil || score > bestScore {
                best = member
                bestScore = score
            }
        }
        return best
    }

    /// Makes room for `count` paths.
    mutating func reserveCapacity(_ count: Int) {
        members.reserveCapacity(count)
        buckets.reserveCapacity(count)
    }

    mutating func removeAll() {
        members.removeAll(keepingCapacity: true)
        buckets.removeAll(keepingCapacity: true)
    }

    mutating func setTails(_ tails: [Int32]) {
        for index in members.indices { members[index].tail = tails[index] }
    }
}
