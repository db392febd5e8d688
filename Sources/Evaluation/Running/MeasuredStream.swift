/// A recognition stream as the benchmark drives it: 16 kHz samples in, where the time went out.
public protocol MeasuredStream: AnyObject {
    func accept(_ samples: [Float]) throws
    func inputFinished() throws
    /// Final (or partial) text.
    var text: String { get }
    /// Encoder chunks run so far; cheap to read between pieces (no copy of the measurements).
    var chunks: Int { get }
    var measurements: StreamMeasurements { get }
}

/// Where a stream's time went.
public struct StreamMeasurements: Sendable, Equatable {
    /// Seconds of audio accepted (tail padding excluded).
    public var audioSeconds: Double
    public var featureSeconds: Double
    public var encoderSeconds: Double
    public var searchSeconds: Double
    public var chunks: Int
    /// Encoder + search time of each chunk, in order.
    public var chunkComputeSeconds: [Double]

    public init(audioSeconds: Double = 0, featureSeconds: Double = 0, encoderSeconds: Double = 0,
                searchSeconds: Double = 0, chunks: Int = 0, chunkComputeSeconds: [Double] = []) {
        self.audioSeconds = audioSeconds
        self.featureSeconds = featureSeconds
        self.encoderSeconds = encoderSeconds
        self.searchSeconds = searchSeconds
        self.chunks = chunks
        self.chunkComputeSeconds = chunkComputeSeconds
    }
}
