/// Where a stream's time went. Durations are wall-clock seconds of this thread's work.
public struct StreamStatistics: Sendable, Equatable {
    /// Seconds of audio accepted (tail padding excluded).
    public var audioSeconds: Double = 0
    /// Time computing features.
    public var featureSeconds: Double = 0
    /// Time in the encoder.
    public var encoderSeconds: Double = 0
    /// Time in the search (decoder and joiner included).
    public var searchSeconds: Double = 0
    /// Encoder chunks run.
    public var chunks: Int = 0
    /// Encoder plus search time of the last `recentChunkLimit` chunks (for latency percentiles), in
    /// the order they ran until the limit is reached, then overwritten oldest first: a stream that
    /// runs for days keeps a bounded record.
    public private(set) var chunkComputeSeconds: [Double] = []
    /// How many chunk times are kept: an hour of chunks of 320 ms.
    public static let recentChunkLimit = 11_250
    private var oldestChunk = 0

    public init() {}

    /// Records one chunk's encoder plus search time.
    public mutating func recordChunk(computeSeconds: Double) {
        chunks += 1
        if chunkComputeSeconds.count < Self.recentChunkLimit {
            chunkComputeSeconds.append(computeSeconds)
        } else {
            chunkComputeSeconds[oldestChunk] = computeSeconds
            oldestChunk = (oldestChunk + 1) % Self.recentChunkLimit
        }
    }

    /// All compute time.
    public var computeSeconds: Double { featureSeconds + encoderSeconds + searchSeconds }

    /// Compute time per second of audio (real-time factor); 0 before any audio.
    public var realTimeFactor: Double { audioSeconds > 0 ? computeSeconds / audioSeconds : 0 }
}
