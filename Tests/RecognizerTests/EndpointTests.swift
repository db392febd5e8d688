import Recognizer
import Testing

@Suite struct EndpointTests {
    let enabled = EndpointConfiguration(isEnabled: true)

    // Durations are Float products as in the reference: 120 x 0.01f is just below 1.2f, so the
    // rules fire one encoder frame after the round number.
    @Test func silenceAfterSpeechEndsAfter1point2Seconds() {
        // 2 s decoded, the last 30 or 31 encoder frames (x4 feature frames) blank.
        #expect(!enabled.isEndpoint(decodedFeatureFrames: 200, trailingBlankFrames: 30, subsamplingFactor: 4))
        #expect(enabled.isEndpoint(decodedFeatureFrames: 200, trailingBlankFrames: 31, subsamplingFactor: 4))
    }

    @Test func silenceWithoutSpeechNeeds2point4Seconds() {
        // All of it silence: only the first rule applies.
        #expect(!enabled.isEndpoint(decodedFeatureFrames: 240, trailingBlankFrames: 60, subsamplingFactor: 4))
        #expect(enabled.isEndpoint(decodedFeatureFrames: 244, trailingBlankFrames: 61, subsamplingFactor: 4))
    }

    @Test func longUtterancesEndAt20Seconds() {
        #expect(!enabled.isEndpoint(decodedFeatureFrames: 1999, trailingBlankFrames: 0, subsamplingFactor: 4))
        #expect(enabled.isEndpoint(decodedFeatureFrames: 2000, trailingBlankFrames: 0, subsamplingFactor: 4))
    }

    @Test func disabledNeverFiresAndRulesAreConfigurable() {
        #expect(!EndpointConfiguration().isEndpoint(decodedFeatureFrames: 5000, trailingBlankFrames: 1000, subsamplingFactor: 4))
        var quick = enabled
        quick.silenceAfterSpeech.minimumTrailingSilence = 0.4
        #expect(quick.isEndpoint(decodedFeatureFrames: 200, trailingBlankFrames: 11, subsamplingFactor: 4))
        #expect(!enabled.isEndpoint(decodedFeatureFrames: 200, trailingBlankFrames: 11, subsamplingFactor: 4))
    }
}
