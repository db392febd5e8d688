extension ContextGraph {
    /// The graph of `hotwords`, each phrase split into the model's pieces by `tokenizer` and mapped
    /// to ids through `tokens`. A phrase is matched to the vocabulary's case when the vocabulary has
    /// letters of one case only (this model's pieces are upper case, most lists are not). Pieces
    /// outside the vocabulary are dropped (the search never emits them); a phrase with none left is
    /// an error naming where it was read.
    public convenience init(hotwords: [Hotword], defaultScore: Float, tokenizer: SentencePieceTokenizer,
                            tokens: TokenTable) throws {
        let folding = CaseFolding(tokens)
        var ids: [String: Int] = [:]
        for (id, piece) in tokens.pieces.enumerated() where ids[piece] == nil { ids[piece] = id }
        var phrases: [[Int]] = []
        var scores: [Float] = []
        for hotword in hotwords {
            // sherpa-onnx encodes word by word; pieces never cross a word boundary, so this is the same.
            let pieces = tokenizer.encode(folding.apply(hotword.phrase))
            let phrase = pieces.compactMap { piece in
                ids[piece.piece].flatMap { $0 == tokens.blankID || $0 == tokens.unknownID ? nil : $0 }
            }
            guard phrase.contains(where: { !(tokens.piece($0)?.allSatisfy { $0 == TokenTable.wordBoundary } ?? true) }) else {
                throw HotwordError(origin: hotword.origin ?? "hotword '\(hotword.phrase)'",
                                   cause: "'\(hotword.phrase)' has no piece in the model's vocabulary")
            }
            phrases.append(phrase)
            scores.append(hotword.score ?? 0)
        }
        self.init(phrases: phrases, scores: scores, defaultScore: defaultScore)
    }
}

/// Upper- or lower-cases text when a vocabulary has letters of only the other case.
struct CaseFolding {
    enum Rule { case none, upper, lower }
    let rule: Rule

    init(_ tokens: TokenTable) {
        let letters = tokens.pieces.filter { !($0.hasPrefix("<") && $0.hasSuffix(">")) }.joined().unicodeScalars
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
