import Recognizer

/// Where the server's streams come from: one per connection, all speaking the same model's tokens.
public struct StreamSource: Sendable {
    /// The model's token table, to spell results.
    public var tokens: TokenTable
    /// The rate the streams take samples at (the model's).
    public var sampleRate: Int
    /// Makes a new, independent stream that also prefers the client's hotwords (none: the server's
    /// alone); called on the connection's worker queue.
    public var makeStream: @Sendable (_ hotwords: [Hotword]) throws -> RecognitionStream

    public init(tokens: TokenTable, sampleRate: Int, makeStream: @escaping @Sendable (_ hotwords: [Hotword]) throws -> RecognitionStream) {
        self.tokens = tokens
        self.sampleRate = sampleRate
        self.makeStream = makeStream
    }
}
