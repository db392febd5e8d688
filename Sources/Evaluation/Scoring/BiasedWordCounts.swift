/// WER split into unbiased (U-WER) and biased (B-WER) words, as the contextual-biasing benchmark's
/// `score.py` (Le et al. 2021) counts them: one alignment with costs 0 / 4 / 3 / 3 (match,
/// substitution, insertion, deletion; on equal cost the diagonal, then insertion, then deletion);
/// a reference word in the utterance's rare-word list counts for B-WER, any other for U-WER, and an
/// insertion for B-WER when the inserted word is in the list.
public struct BiasedWordCounts: Hashable, Sendable {
    public var all = ErrorCounts()
    public var unbiased = ErrorCounts()
    public var biased = ErrorCounts()

    public init() {}

    public init(reference: [String], hypothesis: [String], rareWords: Set<String>) {
        for step in Self.align(reference, hypothesis) {
            let word = step.operation == .insertion ? hypothesis[step.hypothesis] : reference[step.reference]
            let isBiased = rareWords.contains(word)
            func count(_ counts: inout ErrorCounts) {
                switch step.operation {
                case .match: counts.referenceLength += 1
                case .substitution: counts.referenceLength += 1; counts.substitutions += 1
                case .deletion: counts.referenceLength += 1; counts.deletions += 1
                case .insertion: counts.insertions += 1
                }
            }
            count(&all)
            if isBiased { count(&biased) } else { count(&unbiased) }
        }
    }

    public static func + (lhs: BiasedWordCounts, rhs: BiasedWordCounts) -> BiasedWordCounts {
        var sum = BiasedWordCounts()
        sum.all = lhs.all + rhs.all
        sum.unbiased = lhs.unbiased + rhs.unbiased
        sum.biased = lhs.biased + rhs.biased
        return sum
    }

    enum Operation { case match, substitution, insertion, deletion }

    /// score.py's alignment, in order; indices of the reference and hypothesis word of each step.
    static func align(_ reference: [String], _ hypothesis: [String]) -> [(operation: Operation, reference: Int, hypothesis: Int)] {
        let rows = reference.count + 1, columns = hypothesis.count + 1
        var cost = [Int](repeating: 0, count: rows * columns)
        // 0 diagonal, 1 insertion (left), 2 deletion (up).
        var move = [UInt8](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                let index = i * columns + j
                if i == 0 && j == 0 { continue }
                if i == 0 { cost[index] = cost[index - 1] + 3; move[index] = 1; continue }
                if j == 0 { cost[index] = cost[index - columns] + 3; move[index] = 2; continue }
                var best = cost[index - columns - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 4)
                var choice: UInt8 = 0
                if cost[index - 1] + 3 < best { best = cost[index - 1] + 3; choice = 1 }
                if cost[index - columns] + 3 < best { best = cost[index - columns] + 3; choice = 2 }
                cost[index] = best
                move[index] = choice
            }
        }
        var steps: [(operation: Operation, reference: Int, hypothesis: Int)] = []
        var i = rows - 1, j = columns - 1
        while i > 0 || j > 0 {
            switch move[i * columns + j] {
            case 1: steps.append((.insertion, i - 1, j - 1)); j -= 1
            case 2: steps.append((.deletion, i - 1, j - 1)); i -= 1
            default:
                steps.append((reference[i - 1] == hypothesis[j - 1] ? .match : .substitution, i - 1, j - 1))
                i -= 1; j -= 1
            }
        }
        return steps.reversed()
    }
}
