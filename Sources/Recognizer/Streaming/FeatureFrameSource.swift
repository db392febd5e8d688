import Features

/// What a stream needs from its feature extractor: samples in, numbered frames out, old frames dropped.
protocol FeatureFrameSource: AnyObject {
    func accept(_ samples: UnsafeBufferPointer<Float>) throws
    func inputFinished() throws
    /// Frames computed so far since the start (absolute count).
    var framesReady: Int { get }
    /// Copies frames `start..<start+count` (absolute indices), row-major, into `destination`.
    func copyFrames(from start: Int, count: Int, into destination: UnsafeMutableBufferPointer<Float>) throws
    /// Frees frames before `index`; they are not asked for again.
    func discardFrames(before index: Int)
}

extension FbankExtractor: FeatureFrameSource {}
