/// A loaded model as recognizers share it: read-only and safe to use from any thread, it makes each
/// stream its own network.
public protocol TransducerNetworkSource: AnyObject, Sendable {
    /// Number of output tokens, blank included (joiner output width).
    var vocabularySize: Int { get }
    /// A network with its own encoder state (zeroed) and working memory, for one stream.
    func makeNetwork() -> TransducerNetwork
}

/// The three networks of a streaming transducer as one stream's search sees them: batch 1, fixed
/// shapes, caller-owned buffers, so a decode loop allocates nothing. The encoder's streaming caches
/// live in the conforming object, which one stream uses from one thread at a time.
public protocol TransducerNetwork: AnyObject {
    /// Feature frames consumed by one encoder call (the model's `T`, 45 for zipformer2 chunk 32).
    var chunkLength: Int { get }
    /// Feature frames the stream advances after each encoder call (`decode_chunk_len`, 32).
    var chunkShift: Int { get }
    /// Width of one feature frame (80 mel bins).
    var featureDimension: Int { get }
    /// Encoder frames produced per call (8 for 45 input frames after subsampling).
    var encoderFramesPerChunk: Int { get }
    /// Width of one encoder output frame and of one decoder output (the joiner's inputs).
    var joinerInputDimension: Int { get }
    /// Number of previous tokens the stateless decoder looks at (`context_size`, 2).
    var contextSize: Int { get }
    /// Number of output tokens, blank included (joiner output width).
    var vocabularySize: Int { get }

    /// Runs one chunk: `features` holds `chunkLength * featureDimension` values, row-major;
    /// `output` receives `encoderFramesPerChunk * joinerInputDimension` values. Caches advance.
    func encode(features: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) throws
    /// Runs the decoder on one token context of `contextSize` ids; `output` receives
    /// `joinerInputDimension` values.
    func decode(context: UnsafeBufferPointer<Int64>, into output: UnsafeMutableBufferPointer<Float>) throws
    /// Joins one encoder frame with one decoder output; `logits` receives `vocabularySize` values.
    func join(encoderFrame: UnsafeBufferPointer<Float>, decoderOutput: UnsafeBufferPointer<Float>,
              into logits: UnsafeMutableBufferPointer<Float>) throws
    /// Joins one encoder frame with `rows` decoder outputs (row-major in `decoderOutputs`) in one batch,
    /// as the reference runs the joiner over all active paths of a beam frame; `logits` receives
    /// `rows * vocabularySize` values. With an int8 joiner the batch matters: its dynamic quantization
    /// takes one scale over all rows.
    func join(encoderFrame: UnsafeBufferPointer<Float>, decoderOutputs: UnsafeBufferPointer<Float>, rows: Int,
              into logits: UnsafeMutableBufferPointer<Float>) throws
    /// Gets ready to join batches of up to `rows` rows (e.g. compiles them), so decoding allocates nothing.
    func prepareJoin(rows: Int) throws
}

extension TransducerNetwork {
    public func prepareJoin(rows: Int) throws {}

    /// Row by row: right for networks whose rows do not interact (fp32 joiners, scripted networks).
    public func join(encoderFrame: UnsafeBufferPointer<Float>, decoderOutputs: UnsafeBufferPointer<Float>, rows: Int,
                     into logits: UnsafeMutableBufferPointer<Float>) throws {
        let width = joinerInputDimension, vocabulary = vocabularySize
        for row in 0..<rows {
            try join(encoderFrame: encoderFrame,
                     decoderOutput: UnsafeBufferPointer(rebasing: decoderOutputs[(row * width)..<((row + 1) * width)]),
                     into: UnsafeMutableBufferPointer(rebasing: logits[(row * vocabulary)..<((row + 1) * vocabulary)]))
        }
    }
}
