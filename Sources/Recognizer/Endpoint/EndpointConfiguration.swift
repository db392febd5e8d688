/// When a stream declares the end of an utterance. Defaults are sherpa-onnx's.
public struct EndpointConfiguration: Sendable, Equatable {
    /// Whether endpoints are detected at all (off: one segment per stream, as for file transcription).
    public var isEnabled: Bool
    /// Long silence with nothing said: 2.4 s of trailing silence, no text needed.
    public var silenceWithoutSpeech: EndpointRule
    /// Pause after speech: 1.2 s of trailing silence after some text.
    public var silenceAfterSpeech: EndpointRule
    /// Maximum utterance length: 20 s, whatever was decoded.
    public var maximumUtterance: EndpointRule

    public init(isEnabled: Bool = false,
                silenceWithoutSpeech: EndpointRule = .init(mustContainNonSilence: false, minimumTrailingSilence: 2.4,
                                                           minimumUtteranceLength: 0),
                silenceAfterSpeech: EndpointRule = .init(mustContainNonSilence: true, minimumTrailingSilence: 1.2,
                                                         minimumUtteranceLength: 0),
                maximumUtterance: EndpointRule = .init(mustContainNonSilence: false, minimumTrailingSilence: 0,
                                                       minimumUtteranceLength: 20)) {
        self.isEnabled = isEnabled
        self.silenceWithoutSpeech = silenceWithoutSpeech
        self.silenceAfterSpeech = silenceAfterSpeech
        self.maximumUtterance = maximumUtterance
    }

    /// Whether any rule fires. Lengths are measured as the reference does: the segment's decoded
    /// feature frames (10 ms each) and the best path's trailing blank encoder frames times the
    /// subsampling factor.
    public func isEndpoint(decodedFeatureFrames: Int, trailingBlankFrames: Int, subsamplingFactor: Int,
                           featureFrameDuration: Double = 0.01) -> Bool {
        guard isEnabled else { return false }
        let utteranceLength = Double(Float(decodedFeatureFrames) * Float(featureFrameDuration))
        let trailingSilence = Double(Float(trailingBlankFrames * subsamplingFactor) * Float(featureFrameDuration))
        return [silenceWithoutSpeech, silenceAfterSpeech, maximumUtterance].contains {
            $0.isActivated(trailingSilence: trailingSilence, utteranceLength: utteranceLength)
        }
    }
}
