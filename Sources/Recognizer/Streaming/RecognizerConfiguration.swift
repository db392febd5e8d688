/// How a `Recognizer` decodes.
public struct RecognizerConfiguration: Sendable, Equatable {
    /// Greedy or modified beam search (default: beam search with 4 paths).
    public var decoding: DecodingMethod
    /// Endpoint detection (off by default: a file or stream is one segment).
    public var endpoint: EndpointConfiguration
    /// Seconds of zeros appended when input finishes, so the last words reach the encoder: the
    /// stream only decodes whole chunks, and the reference pads with 0.66 s.
    public var tailPaddingSeconds: Double
    /// Sample rate the stream expects, in Hz (the model's).
    public var sampleRate: Int
    /// Whether fp32 linear layers of the model's graphs (e.g. the fp32 decoder's projection) are
    /// quantized to int8 when loading from a directory; false keeps them fp32 (`--keep-fp32`).
    public var quantizesFloatWeights: Bool

    public init(decoding: DecodingMethod = .default, endpoint: EndpointConfiguration = .init(),
                tailPaddingSeconds: Double = 0.66, sampleRate: Int = 16000, quantizesFloatWeights: Bool = true) {
        self.decoding = decoding
        self.endpoint = endpoint
        self.tailPaddingSeconds = tailPaddingSeconds
        self.sampleRate = sampleRate
        self.quantizesFloatWeights = quantizesFloatWeights
    }
}
