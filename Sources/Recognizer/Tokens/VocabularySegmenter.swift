import Foundation

/// Splits words into the pieces of a token table alone, for models shipped without their
/// sentencepiece model: each word, `▁` in front, takes the segmentation of least total cost, where a
/// piece costs log(rank) + log(V), its rank among the table's V ordinary pieces in id order. Tables
/// written from a sentencepiece unigram model list pieces by falling score, so the rank stands in for
/// the score (Zipf: probability about 1/rank); the constant log(V) charges every piece as much as a
/// uniform choice, so fewer, longer pieces win unless they are much rarer. On the words of
/// `sentencepiece-golden.json` this gives sentencepiece's pieces for most words, not all (see
/// docs/measurements.md); the search then still finds hotwords the model spells the other way only
/// in part.
public struct VocabularySegmenter: Sendable {
    /// Ordinary pieces (not `<...>` symbols) by their text, with their cost.
    private let pieces: [String: (id: Int, cost: Double)]
    private let longestPiece: Int

    public init(tokens: TokenTable) {
        let ordinary = tokens.pieces.indices.filter { id in
            let piece = tokens.pieces[id]
            return !TokenTable.isSymbol(piece) && id != tokens.blankID
        }
        let uniform = log(Double(max(ordinary.count, 1)))
        var pieces: [String: (id: Int, cost: Double)] = [:]
        for (rank, id) in ordinary.enumerated() where pieces[tokens.pieces[id]] == nil {
            pieces[tokens.pieces[id]] = (id, log(Double(rank + 1)) + uniform)
        }
        self.pieces = pieces
        longestPiece = pieces.keys.map(\.unicodeScalars.count).max() ?? 0
    }

    /// The token ids of `text`'s words, or the first character no piece covers.
    public func split(_ text: String) -> Result<[Int], UncoveredCharacter> {
        var ids: [Int] = []
        for word in text.split(whereSeparator: \.isWhitespace) {
            switch split(word: String(TokenTable.wordBoundary) + word) {
            case .success(let wordIDs): ids += wordIDs
            case .failure(let uncovered): return .failure(uncovered)
            }
        }
        return .success(ids)
    }

    /// A character of a word that no piece of the table covers.
    public struct UncoveredCharacter: Error, Equatable {
        public let character: String

        public init(character: String) { self.character = character }
    }

    /// The least-cost path over the word's Unicode scalars (ties keep the path found first).
    private func split(word: String) -> Result<[Int], UncoveredCharacter> {
        let scalars = Array(word.unicodeScalars)
        let count = scalars.count
        var costs = [Double](repeating: .infinity, count: count + 1)
        var starts = [Int](repeating: -1, count: count + 1)
        var ids = [Int](repeating: -1, count: count + 1)
        costs[0] = 0
        for start in 0..<count where costs[start] < .infinity {
            var text = String.UnicodeScalarView()
            // No end at all when the table has no ordinary pieces: the word is then uncovered.
            for end in stride(from: start + 1, through: min(count, start + longestPiece), by: 1) {
                text.append(scalars[end - 1])
                guard let piece = pieces[String(text)] else { continue }
                let cost = costs[start] + piece.cost
                if cost < costs[end] {
                    costs[end] = cost
                    starts[end] = start
                    ids[end] = piece.id
                }
            }
        }
        guard costs[count] < .infinity else {
            // The first scalar past the furthest point a path reaches.
            let reached = (0...count).last { costs[$0] < .infinity } ?? 0
            return .failure(UncoveredCharacter(character: String(String.UnicodeScalarView([scalars[min(reached, count - 1)]]))))
        }
        var path: [Int] = []
        var end = count
        while end > 0 {
            path.append(ids[end])
            end = starts[end]
        }
        return .success(path.reversed())
    }
}
