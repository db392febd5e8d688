import Evaluation
import Recognizer
import Testing

/// Runs a "chunk" for every 5120 samples received and allocates like a stream that grows its buffers
/// on first use: 50 allocations in its first chunk, 3 in each later one.
private final class CountingStream: MeasuredStream {
    static var allocations = 0
    var pieceSizes: [Int] = []
    private var pending = 0
    private var audio = 0
    private(set) var chunks = 0
    private var finished = false

    func accept(_ samples: [Float]) throws {
        pieceSizes.append(samples.count)
        audio += samples.count
        pending += samples.count
        while pending >= 5120 {
            pending -= 5120
            Self.allocations += chunks == 0 ? 50 : 3
            chunks += 1
        }
    }

    func inputFinished() throws {
        finished = true
        chunks += 1
    }

    var text: String { "" }

    var measurements: StreamStatistics {
        var statistics = StreamStatistics()
        (statistics.audioSeconds, statistics.featureSeconds, statistics.encoderSeconds) = (Double(audio) / 16000, 0.5, 2)
        statistics.searchSeconds = 1
        for index in 0..<chunks { statistics.recordChunk(computeSeconds: Double(index + 1) / 1000) }
        return statistics
    }
}

@Test func benchmarkFeedsPiecesAndCountsAllocationsAfterWarmUp() throws {
    var streams: [CountingStream] = []
    let benchmark = StreamBenchmark(pieceLength: 1600, warmupChunks: 2, allocationCount: { CountingStream.allocations })
    let audio: [[Float]] = [Array(repeating: 0, count: 16000), Array(repeating: 0, count: 8000)]
    let report = try benchmark.run(audio) {
        let stream = CountingStream()
        streams.append(stream)
        return stream
    }
    #expect(streams.count == 2)
    #expect(streams[0].pieceSizes == Array(repeating: 1600, count: 10))
    #expect(streams[1].pieceSizes == Array(repeating: 1600, count: 5))
    #expect(report.files == 2)
    #expect(report.audioSeconds == 1.5)
    // 16000 samples: 3 chunks + 1 at the end; 8000 samples: 1 chunk + 1 at the end.
    #expect(report.chunks == 6)
    #expect(report.chunkSeconds == [0.001, 0.002, 0.003, 0.004, 0.001, 0.002])
    #expect(report.featureSeconds == 1 && report.encoderSeconds == 4 && report.searchSeconds == 2)
    // Each stream's 50-allocation first chunk is in its warm-up; every counted chunk allocated 3 times.
    #expect(report.allocationsPerChunk == 3)
    #expect(report.cpuSeconds >= 0 && report.wallSeconds >= 0)
}

@Test func allocationsAreNotReportedWhenTheyCannotBeCounted() throws {
    let report = try StreamBenchmark(pieceLength: 1600, warmupChunks: 0).run([Array(repeating: 0, count: 16000)]) {
        CountingStream()
    }
    #expect(report.allocationsPerChunk == nil)
    #expect(report.chunks == 4)
}
