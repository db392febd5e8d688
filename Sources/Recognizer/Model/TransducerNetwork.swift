/// The three networks of a streaming transducer as the search sees them: batch 1, fixed shapes,
/// caller-owned buffers, so a decode loop allocates nothing.
///
/// The encoder keeps its streaming caches inside the conforming type; `resetEncoderState()` starts a
/// new utterance.
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

    /// Clears the encoder caches for a new utterance.
    func resetEncoderState()
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
