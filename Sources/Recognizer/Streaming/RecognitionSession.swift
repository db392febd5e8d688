/// What a session reports while audio flows: the current segment's result when it changes, and each
/// segment once it ends.
public enum RecognitionEvent: Sendable, Equatable {
    /// The current segment's best result changed (tokens or segment index).
    case partial(RecognitionResult)
    /// A segment ended: at an endpoint, or at the end of the input. `isLast` marks the one that
    /// ends the input; it is reported even when empty, so a caller always gets a final result.
    case final(RecognitionResult, isLast: Bool)
}

/// The one loop every front end runs over a stream: decode, report the partial when it changes,
/// at an endpoint report the segment and start the next, and at the end of the input decode what
/// remains past the last endpoint too. `transcribe`, `listen` and `serve` all feed audio through it,
/// so none of them can drop the words after an endpoint that fires while flushing.
public final class RecognitionSession {
    public let stream: RecognitionStream
    private var reportedTokens: [Int] = []
    private var reportedSegment = 0

    public init(stream: RecognitionStream) {
        self.stream = stream
    }

    /// Feeds samples (16 kHz mono in [-1, 1]) and reports what they changed.
    public func accept(_ samples: UnsafeBufferPointer<Float>, report: (RecognitionEvent) throws -> Void) throws {
        try stream.accept(samples)
        try drain(report)
    }

    /// Feeds samples (16 kHz mono in [-1, 1]) and reports what they changed.
    public func accept(_ samples: [Float], report: (RecognitionEvent) throws -> Void) throws {
        try samples.withUnsafeBufferPointer { try accept($0, report: report) }
    }

    /// Ends the input: flushes the stream, reports every segment that ends on the way, then the
    /// last one (`isLast`). Calling it again reports nothing.
    public func finish(report: (RecognitionEvent) throws -> Void) throws {
        guard !stream.isFinished else { return }
        try stream.inputFinished()
        try drain(report)
        let last = stream.partialResult
        try report(.final(last, isLast: true))
    }

    /// Reports the partial if it changed, then every endpoint reached: its segment as final, and
    /// the frames waiting past it decoded before the next check.
    private func drain(_ report: (RecognitionEvent) throws -> Void) throws {
        try reportPartialIfChanged(report)
        while stream.isEndpoint {
            let segment = stream.partialResult
            if !segment.tokens.isEmpty { try report(.final(segment, isLast: false)) }
            stream.reset()
            try stream.decode()
            try reportPartialIfChanged(report)
        }
    }

    private func reportPartialIfChanged(_ report: (RecognitionEvent) throws -> Void) throws {
        // Asked after every piece of audio, so it compares in place: a partial is built (and
        // allocates) only when the result changed.
        guard !stream.bestTokensEqual(reportedTokens) || stream.segmentIndex != reportedSegment else { return }
        reportedTokens = stream.bestTokens
        reportedSegment = stream.segmentIndex
        try report(.partial(stream.partialResult))
    }
}
