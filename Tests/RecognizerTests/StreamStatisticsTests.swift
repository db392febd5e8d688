import Recognizer
import Testing

/// A stream's statistics stay bounded however long it runs.
@Suite struct StreamStatisticsTests {
    @Test func keepsTheMostRecentChunkTimes() {
        var statistics = StreamStatistics()
        let limit = StreamStatistics.recentChunkLimit
        for index in 0..<(limit + 10) { statistics.recordChunk(computeSeconds: Double(index)) }
        #expect(statistics.chunks == limit + 10)
        #expect(statistics.chunkComputeSeconds.count == limit)
        // The ten oldest were overwritten by the ten newest.
        #expect(statistics.chunkComputeSeconds.min() == 10)
        #expect(statistics.chunkComputeSeconds.max() == Double(limit + 9))
    }
}
