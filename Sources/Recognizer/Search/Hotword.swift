import Foundation

/// A phrase the search should prefer, with its own per-token bonus or the run's default.
public struct Hotword: Sendable, Equatable {
    /// Words separated by spaces, as a user writes them (case is matched to the model's pieces).
    public var phrase: String
    /// Bonus per token of the phrase; nil for the recognizer's `hotwordsScore`.
    public var score: Float?
    /// Where the phrase was read (`file:line`), for error messages.
    public var origin: String?

    public init(_ phrase: String, score: Float? = nil, origin: String? = nil) {
        self.phrase = phrase
        self.score = score
        self.origin = origin
    }

    /// Reads a hotwords file in sherpa-onnx's format: one phrase per line, optionally followed by
    /// ` :score`; blank lines are skipped.
    public static func list(contentsOfFile path: String) throws -> [Hotword] {
        guard let data = WholeFile.data(atPath: path) else { throw HotwordError(origin: path, cause: "cannot read file") }
        guard let text = String(data: data, encoding: .utf8) else { throw HotwordError(origin: path, cause: "not UTF-8 text") }
        return try list(parsing: text, source: path)
    }

    /// Parses the text of a hotwords file; `source` names it in errors and origins.
    public static func list(parsing text: String, source: String) throws -> [Hotword] {
        var hotwords: [Hotword] = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let origin = "\(source):\(index + 1)"
            var words: [Substring] = []
            var score: Float?
            for word in line.split(whereSeparator: \.isWhitespace) {
                if word.first == ":" {
                    guard score == nil else { throw HotwordError(origin: origin, cause: "more than one score") }
                    guard let value = Float(word.dropFirst()), value.isFinite else {
                        throw HotwordError(origin: origin, cause: "bad score '\(word)' (expected ':' and a number)")
                    }
                    score = value
                } else {
                    guard score == nil else { throw HotwordError(origin: origin, cause: "the score must come after the phrase") }
                    words.append(word)
                }
            }
            if words.isEmpty {
                if score != nil { throw HotwordError(origin: origin, cause: "a score without a phrase") }
                continue
            }
            hotwords.append(Hotword(words.joined(separator: " "), score: score, origin: origin))
        }
        return hotwords
    }
}

/// A hotword that cannot be used: an unreadable file, a malformed line, a phrase with no piece in the vocabulary.
public struct HotwordError: Error, CustomStringConvertible {
    /// `file`, `file:line` or the phrase concerned.
    public let origin: String
    public let cause: String

    public init(origin: String, cause: String) {
        self.origin = origin
        self.cause = cause
    }

    public var description: String { "\(origin): \(cause)" }
}
