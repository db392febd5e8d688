/// Feeds audio already in memory to fresh streams in fixed-size pieces, as a microphone delivers it,
/// and gathers the `bench` figures.
public struct StreamBenchmark {
    /// Samples per piece fed to `accept` (1600 = 100 ms at 16 kHz).
    public var pieceLength: Int
    /// Chunks at the start of each stream whose pieces are left out of the allocation count.
    public var warmupChunks: Int
    /// Heap allocations so far in the process, or nil when they cannot be counted.
    public var allocationCount: () -> Int?

    public init(pieceLength: Int, warmupChunks: Int, allocationCount: @escaping () -> Int? = { nil }) {
        self.pieceLength = max(1, pieceLength)
        self.warmupChunks = max(0, warmupChunks)
        self.allocationCount = allocationCount
    }

    /// Streams each of `audio` through its own stream from `makeStream`. CPU and wall time cover the
    /// streaming only; the caller fills in load time and memory.
    public func run(_ audio: [[Float]], makeStream: () -> MeasuredStream) throws -> BenchReport {
        var report = BenchReport()
        var countedChunks = 0, countedAllocations = 0
        let cpuStart = ProcessResources.processCPUSeconds()
        let wallStart = ProcessResources.wallSeconds()
        for samples in audio {
            let stream = makeStream()
            var start = 0
            while start < samples.count {
                let piece = Array(samples[start..<min(start + pieceLength, samples.count)])
                start += pieceLength
                let chunksBefore = stream.chunks
                let allocationsBefore = allocationCount()
                try stream.accept(piece)
                // Only pieces starting after the stream's warm-up count, so first-use growth is left out.
                if chunksBefore >= warmupChunks, let before = allocationsBefore,
                   let after = allocationCount() {
                    countedAllocations += after - before
                    countedChunks += stream.chunks - chunksBefore
                }
            }
            try stream.inputFinished()
            let measured = stream.measurements
            report.files += 1
            report.chunks += measured.chunks
            report.audioSeconds += measured.audioSeconds
            report.featureSeconds += measured.featureSeconds
            report.encoderSeconds += measured.encoderSeconds
            report.searchSeconds += measured.searchSeconds
            report.chunkSeconds += measured.chunkComputeSeconds
        }
        report.cpuSeconds = ProcessResources.processCPUSeconds() - cpuStart
        report.wallSeconds = ProcessResources.wallSeconds() - wallStart
        if countedChunks > 0, allocationCount() != nil {
            report.allocationsPerChunk = Double(countedAllocations) / Double(countedChunks)
        }
        return report
    }
}
