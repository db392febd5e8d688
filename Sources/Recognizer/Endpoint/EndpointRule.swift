/// One endpointing rule (sherpa-onnx, after Kaldi): it fires when the trailing silence and the
/// utterance length reach their minimums and, if required, the utterance holds some non-silence.
public struct EndpointRule: Sendable, Equatable {
    /// Fire only if something other than silence was decoded.
    public var mustContainNonSilence: Bool
    /// Seconds of trailing silence (blank frames at the end of the best path) needed.
    public var minimumTrailingSilence: Double
    /// Seconds of decoded audio in the segment needed.
    public var minimumUtteranceLength: Double

    public init(mustContainNonSilence: Bool, minimumTrailingSilence: Double, minimumUtteranceLength: Double) {
        self.mustContainNonSilence = mustContainNonSilence
        self.minimumTrailingSilence = minimumTrailingSilence
        self.minimumUtteranceLength = minimumUtteranceLength
    }

    /// Whether the rule fires for this much trailing silence in an utterance this long (seconds).
    /// Compared in Float like the reference, so a threshold such as 1.2 s fires at exactly 120 frames.
    public func isActivated(trailingSilence: Double, utteranceLength: Double) -> Bool {
        let silence = Float(trailingSilence), length = Float(utteranceLength)
        let containsNonSilence = length > silence
        return (containsNonSilence || !mustContainNonSilence)
            && silence >= Float(minimumTrailingSilence)
            && length >= Float(minimumUtteranceLength)
    }
}
