/// Puts reference and hypothesis text in one form before scoring, so WER counts words, not spelling.
///
/// Rules, in order:
/// 1. Upper-case (the eval sets' references and the model's pieces are upper case).
/// 2. Typographic apostrophes (’ ‘ ʼ) become `'`.
/// 3. Every character that is not a letter, a digit or `'` separates words: punctuation is dropped and
///    hyphens split compounds (`TWENTY-ONE` -> `TWENTY ONE`, as the sets spell numbers), so do `_` and `/`.
/// 4. Apostrophes inside a word are kept (`DON'T`, `O'CLOCK`); leading and trailing ones are dropped
///    (`'TIS` -> `TIS`, `JAMES'` -> `JAMES`), and a word of apostrophes alone disappears.
/// Numbers are not spelled out: the references already are.
/// `tools/compare-sherpa-onnx.py` mirrors these rules in `normalize()`.
public struct TextNormalizer: Sendable {
    public init() {}

    /// The normalized words of `text`.
    public func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        func finishWord() {
            let trimmed = current.drop(while: { $0 == "'" }).reversed().drop(while: { $0 == "'" }).reversed()
            if !trimmed.isEmpty { words.append(String(trimmed)) }
            current = ""
        }
        for character in text.uppercased() {
            switch character {
            case "'", "\u{2019}", "\u{2018}", "\u{02BC}":
                current.append("'")
            case _ where character.isLetter || character.isNumber:
                current.append(character)
            default:
                finishWord()
            }
        }
        finishWord()
        return words
    }

    /// The normalized words joined by single spaces: the text that character error rate is computed on.
    public func normalize(_ text: String) -> String {
        words(text).joined(separator: " ")
    }
}
