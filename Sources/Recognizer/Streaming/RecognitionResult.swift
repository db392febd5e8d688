/// What a stream has recognized in its current segment.
public struct RecognitionResult: Sendable, Equatable {
    /// The text, pieces joined at `▁`, in the model's case (upper case here).
    public var text: String
    /// Token ids of the best path.
    public var tokens: [Int]
    /// Stream time in seconds at which each token was decoded (its encoder frame times 0.04 s).
    public var tokenTimes: [Double]
    /// Words with start and end times in seconds of stream time (see `WordAssembler`).
    public var words: [RecognizedWord]
    /// Index of the segment: the count of earlier segments that produced text.
    public var segment: Int
    /// Stream time in seconds at which this segment started.
    public var segmentStart: Double

    public init(text: String = "", tokens: [Int] = [], tokenTimes: [Double] = [], words: [RecognizedWord] = [],
                segment: Int = 0, segmentStart: Double = 0) {
        self.text = text
        self.tokens = tokens
        self.tokenTimes = tokenTimes
        self.words = words
        self.segment = segment
        self.segmentStart = segmentStart
    }
}
