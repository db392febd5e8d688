/// One word of a result with its time span in seconds of stream time.
public struct RecognizedWord: Sendable, Equatable, Codable {
    public var text: String
    /// Time of the word's first token.
    public var start: Double
    /// Start of the next word, or for the last word its last token's time plus one encoder frame.
    public var end: Double

    public init(text: String, start: Double, end: Double) {
        self.text = text
        self.start = start
        self.end = end
    }
}
