extension ContextGraph {
    /// The graph of `hotwords`, each phrase split into the model's pieces by `tokenizer` (the model's
    /// sentencepiece model) and mapped to ids through `tokens`, or without one by the token table
    /// alone (`VocabularySegmenter`). A phrase is matched to the vocabulary's case when the vocabulary
    /// has letters of one case only (this model's pieces are upper case, most lists are not). With a
    /// tokenizer, pieces outside the vocabulary are dropped (the search never emits them); a phrase
    /// with none left, or one the table alone cannot spell, is an error naming where it was read.
    /// `completesAtWordEnd`: a phrase counts only where its last word ends (see `ContextGraph`).
    public convenience init(hotwords: [Hotword], defaultScore: Float, tokenizer: SentencePieceTokenizer?,
                            tokens: TokenTable, completesAtWordEnd: Bool = false) throws {
        let folding = CaseFolding(tokens)
        var ids: [String: Int] = [:]
        for (id, piece) in tokens.pieces.enumerated() where ids[piece] == nil { ids[piece] = id }
        let segmenter = tokenizer == nil ? VocabularySegmenter(tokens: tokens) : nil
        var phrases: [[Int]] = []
        var scores: [Float] = []
        for hotword in hotwords {
            let phrase: [Int]
            if let tokenizer {
                // sherpa-onnx encodes word by word; pieces never cross a word boundary, so this is the same.
                phrase = tokenizer.encode(folding.apply(hotword.phrase)).compactMap { piece in
                    ids[piece.piece].flatMap { $0 == tokens.blankID || $0 == tokens.unknownID ? nil : $0 }
                }
            } else {
                switch segmenter!.split(folding.apply(hotword.phrase)) {
                case .success(let split): phrase = split
                case .failure(let uncovered):
                    throw HotwordError(origin: hotword.origin ?? "hotword '\(hotword.phrase)'",
                                       cause: "'\(hotword.phrase)' cannot be spelled with the model's tokens (none covers '\(uncovered.character)'; no bpe.model)")
                }
            }
            guard phrase.contains(where: { !(tokens.piece($0)?.allSatisfy { $0 == TokenTable.wordBoundary } ?? true) }) else {
                throw HotwordError(origin: hotword.origin ?? "hotword '\(hotword.phrase)'",
                                   cause: "'\(hotword.phrase)' has no piece in the model's vocabulary")
            }
            phrases.append(phrase)
            scores.append(hotword.score ?? 0)
        }
        self.init(phrases: phrases, scores: scores, defaultScore: defaultScore,
                  continuesWord: completesAtWordEnd ? tokens.continuesWord : [])
    }
}

/// Upper- or lower-cases text when a vocabulary has letters of only the other case.
struct CaseFolding {
    enum Rule { case none, upper, lower }
    let rule: Rule

    init(_ tokens: TokenTable) {
        let letters = tokens.pieces.filter { !TokenTable.isSymbol($0) }.joined().unicodeScalars
            .filter { $0.properties.isAlphabetic }
        let hasUpper = letters.contains { $0.properties.isUppercase }
        let hasLower = letters.contains { $0.properties.isLowercase }
        rule = hasUpper && !hasLower ? .upper : (hasLower && !hasUpper ? .lower : .none)
    }

    func apply(_ text: String) -> String {
        switch rule {
        case .none: return text
        case .upper: return text.uppercased()
        case .lower: return text.lowercased()
        }
    }
}
