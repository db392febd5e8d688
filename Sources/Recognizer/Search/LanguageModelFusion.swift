import Foundation

/// Shallow fusion of a word n-gram language model into beam search: a path carries its LM state and
/// the word it is spelling (a running hash and its place in the vocabulary's prefix tree). While a
/// word is spelled the path is charged the best unigram probability of the words it can still become
/// (`WordPrefixTree`); when the next word starts, that charge is replaced by the finished word's
/// n-gram probability. Scores are natural-log probabilities times `scale`, plus `wordBonus` for each
/// word begun, which offsets the LM's cost of a word against the search's easier choice of blank.
/// A path's last word and the sentence end are scored only when results are read.
public struct LanguageModelFusion: Sendable {
    public let model: NGramLanguageModel
    public let scale: Float
    public let wordBonus: Float
    private let prefixes: WordPrefixTree
    /// Per token: whether it starts a word, and its bytes without the `▁` (in the LM's case).
    private let startsWord: [Bool]
    private let bytes: [[UInt8]]
    /// scale x ln(10): ARPA files hold log10 probabilities.
    private let weight: Float
    private let unknownLog10Probability: Float

    public init(model: NGramLanguageModel, scale: Float, wordBonus: Float = 0, tokens: TokenTable) {
        self.model = model
        self.scale = scale
        self.wordBonus = wordBonus
        prefixes = WordPrefixTree(model: model)
        weight = scale * Float(M_LN10)
        unknownLog10Probability = model.score(nil, after: NGramLanguageModel.root).log10Probability
        let letters = model.words.filter { !($0.hasPrefix("<") && $0.hasSuffix(">")) }.joined()
        let lowersCase = !letters.contains { $0.isUppercase } && letters.contains { $0.isLowercase }
        startsWord = tokens.pieces.indices.map(tokens.startsWord)
        bytes = tokens.pieces.map { piece in
            let text = piece.replacingOccurrences(of: String(TokenTable.wordBoundary), with: "")
            return Array((lowersCase ? text.lowercased() : text).utf8)
        }
    }

    /// Follows `token` on `hypothesis`'s LM state: the change of its LM score.
    @inline(__always)
    func advance(_ hypothesis: inout Hypothesis, token: Int) -> Float {
        var change: Float = 0
        if startsWord[token] {
            if hypothesis.partialWordLength > 0 {
                let (probability, state) = model.score(model.word(hash: hypothesis.partialWordHash),
                                                       after: hypothesis.languageModelState)
                hypothesis.languageModelState = state
                change += weight * probability - hypothesis.lookAheadScore
            }
            hypothesis.partialWordHash = NGramLanguageModel.emptyHash
            hypothesis.partialWordLength = 0
            hypothesis.prefixNode = WordPrefixTree.root
            hypothesis.lookAheadScore = 0
        }
        guard !bytes[token].isEmpty else { return change }
        if hypothesis.partialWordLength == 0 { change += wordBonus }
        for byte in bytes[token] {
            hypothesis.partialWordHash = NGramLanguageModel.extend(hypothesis.partialWordHash, byte)
            hypothesis.prefixNode = prefixes.child(hypothesis.prefixNode, byte)
        }
        hypothesis.partialWordLength += Int32(bytes[token].count)
        let node = hypothesis.prefixNode
        let lookAhead = weight * (node >= 0 ? prefixes.bestBelow[Int(node)] : unknownLog10Probability)
        change += lookAhead - hypothesis.lookAheadScore
        hypothesis.lookAheadScore = lookAhead
        return change
    }

    /// What ending the sentence now would change: the last word's look-ahead replaced by its
    /// probability, then `</s>`.
    func pendingScore(_ hypothesis: Hypothesis) -> Double {
        var state = hypothesis.languageModelState
        var probability: Float = 0
        if hypothesis.partialWordLength > 0 {
            let step = model.score(model.word(hash: hypothesis.partialWordHash), after: state)
            probability += step.log10Probability
            state = step.state
        }
        probability += model.endScore(after: state)
        return Double(weight * probability - hypothesis.lookAheadScore)
    }

    /// A path at the start of a sentence.
    func start(_ hypothesis: inout Hypothesis) {
        hypothesis.languageModelState = model.startState
        hypothesis.partialWordHash = NGramLanguageModel.emptyHash
        hypothesis.partialWordLength = 0
        hypothesis.prefixNode = WordPrefixTree.root
        hypothesis.lookAheadScore = 0
    }
}
