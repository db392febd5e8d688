/// One decoded utterance scored against its reference: word and character alignments plus timing.
public struct UtteranceScore: Sendable {
    public var utterance: EvaluationUtterance
    /// Normalized reference and hypothesis text.
    public var reference: String
    public var hypothesis: String
    public var wordAlignment: EditAlignment<String>
    public var characterCounts: ErrorCounts
    public var audioSeconds: Double
    public var cpuSeconds: Double
    /// U-WER and B-WER counts, for an utterance with a biasing entry.
    public var biasedCounts: BiasedWordCounts?

    public init(utterance: EvaluationUtterance, hypothesis rawHypothesis: String,
                audioSeconds: Double, cpuSeconds: Double, normalizer: TextNormalizer = TextNormalizer()) {
        self.utterance = utterance
        let referenceWords = normalizer.words(utterance.reference)
        let hypothesisWords = normalizer.words(rawHypothesis)
        reference = referenceWords.joined(separator: " ")
        hypothesis = hypothesisWords.joined(separator: " ")
        wordAlignment = EditAlignment(reference: referenceWords, hypothesis: hypothesisWords)
        characterCounts = EditAlignment(reference: Array(reference), hypothesis: Array(hypothesis)).counts
        self.audioSeconds = audioSeconds
        self.cpuSeconds = cpuSeconds
        if let biasing = utterance.biasing {
            // As the benchmark's score.py: its own reference, the hypothesis in its case, split on spaces.
            biasedCounts = BiasedWordCounts(reference: biasing.reference.split(whereSeparator: \.isWhitespace).map(String.init),
                                            hypothesis: rawHypothesis.lowercased().split(whereSeparator: \.isWhitespace).map(String.init),
                                            rareWords: Set(biasing.rareWords))
        }
    }

    public var wordCounts: ErrorCounts { wordAlignment.counts }
}
