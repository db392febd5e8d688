import Recognizer

/// Where the server's streams come from: one per connection, all speaking the same model's tokens.
public struct StreamSource: Sendable {
    /// The model's token table, to spell results.
    public var tokens: TokenTable
    /// The rate the streams take samples at (the model's).
    public var sampleRate: Int
    /// Makes a new, independent stream; called on the connection's worker queue.
    public var makeStream: @Sendable () throws -> RecognitionStream

    public init(tokens: TokenTable, sampleRate: Int, makeStream: @escaping @Sendable () throws -> RecognitionStream) {
        self.tokens = tokens
        self.sampleRate = sampleRate
        self.makeStream = makeStream
    }
}
