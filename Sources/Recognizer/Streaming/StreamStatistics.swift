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
    /// Encoder plus search time of each chunk, in order (for latency percentiles).
    public var chunkComputeSeconds: [Double] = []

    public init() {}

    /// All compute time.
    public var computeSeconds: Double { featureSeconds + encoderSeconds + searchSeconds }

    /// Compute time per second of audio (real-time factor); 0 before any audio.
    public var realTimeFactor: Double { audioSeconds > 0 ? computeSeconds / audioSeconds : 0 }
}
