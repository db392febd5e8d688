import Recognizer

/// A recognition stream as the benchmark drives it: 16 kHz samples in, where the time went out.
public protocol MeasuredStream: AnyObject {
    func accept(_ samples: [Float]) throws
    func inputFinished() throws
    /// Final (or partial) text.
    var text: String { get }
    /// Encoder chunks run so far; cheap to read between pieces (no copy of the measurements).
    var chunks: Int { get }
    var measurements: StreamStatistics { get }
}
