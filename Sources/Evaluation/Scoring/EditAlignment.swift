/// A minimum-edit (Levenshtein) alignment of a hypothesis against a reference, with every step kept
/// so reports can show which words were substituted, deleted or inserted.
///
/// Among alignments of equal cost the one chosen is the one jiwer (through RapidFuzz, Hyyrö's
/// bit-parallel alignment) reports: common prefix and suffix are matched first, then the middle is
/// traced back from the end preferring a deletion, then an insertion, then the diagonal. That makes
/// the substitution/deletion/insertion split comparable with jiwer, not only the total.
public struct EditAlignment<Token: Equatable>: Sendable where Token: Sendable {
    public enum Operation: Hashable, Sendable {
        case match, substitution, deletion, insertion
    }

    public struct Step: Sendable {
        public var operation: Operation
        /// The reference token (nil for an insertion).
        public var reference: Token?
        /// The hypothesis token (nil for a deletion).
        public var hypothesis: Token?
    }

    /// Steps in reading order.
    public private(set) var steps: [Step]
    public private(set) var counts: ErrorCounts

    public init(reference: [Token], hypothesis: [Token]) {
        var prefix = 0
        while prefix < reference.count, prefix < hypothesis.count, reference[prefix] == hypothesis[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < reference.count - prefix, suffix < hypothesis.count - prefix,
              reference[reference.count - 1 - suffix] == hypothesis[hypothesis.count - 1 - suffix] { suffix += 1 }
        let r = Array(reference[prefix..<(reference.count - suffix)])
        let h = Array(hypothesis[prefix..<(hypothesis.count - suffix)])

        // distance[i * width + j]: edits turning r[..<i] into h[..<j].
        let width = h.count + 1
        var distance = [Int32](repeating: 0, count: (r.count + 1) * width)
        for j in 0...h.count { distance[j] = Int32(j) }
        if !r.isEmpty {
            for i in 1...r.count {
                distance[i * width] = Int32(i)
                if h.isEmpty { continue }
                for j in 1...h.count {
                    let diagonal = distance[(i - 1) * width + j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1)
                    let up = distance[(i - 1) * width + j] + 1
                    let left = distance[i * width + j - 1] + 1
                    distance[i * width + j] = min(diagonal, up, left)
                }
            }
        }
        func d(_ i: Int, _ j: Int) -> Int32 { distance[i * width + j] }

        var middle: [Step] = []
        var i = r.count, j = h.count
        while i > 0, j > 0 {
            if d(i, j) == d(i - 1, j) + 1 {
                i -= 1
                middle.append(Step(operation: .deletion, reference: r[i], hypothesis: nil))
                continue
            }
            j -= 1
            // Hyyrö's insertion test, evaluated on the column just left of (i, j).
            if j > 0, d(i, j) == d(i - 1, j) - 1 {
                middle.append(Step(operation: .insertion, reference: nil, hypothesis: h[j]))
            } else {
                i -= 1
                middle.append(Step(operation: r[i] == h[j] ? .match : .substitution, reference: r[i], hypothesis: h[j]))
            }
        }
        while i > 0 {
            i -= 1
            middle.append(Step(operation: .deletion, reference: r[i], hypothesis: nil))
        }
        while j > 0 {
            j -= 1
            middle.append(Step(operation: .insertion, reference: nil, hypothesis: h[j]))
        }

        let matched = { (token: Token) in Step(operation: .match, reference: token, hypothesis: token) }
        steps = reference[..<prefix].map(matched) + middle.reversed()
            + reference[(reference.count - suffix)...].map(matched)
        var counts = ErrorCounts(referenceLength: reference.count)
        for step in steps {
            switch step.operation {
            case .match: break
            case .substitution: counts.substitutions += 1
            case .deletion: counts.deletions += 1
            case .insertion: counts.insertions += 1
            }
        }
        self.counts = counts
    }
}
