import ModelRuntime

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
    /// Kaldi's dither: the standard deviation of Gaussian noise added to each feature frame's
    /// samples (in [-1, 1] units), from a fixed seed. The default, one step of 16-bit audio (Kaldi's
    /// default dither of 1), gives digital silence (zeros, a muted device, the tail padding, an
    /// empty band) the noise floor of every recording the model was trained on: without it the
    /// model sees those frames as speech-like enough that beam search decodes words (`AND`) in them.
    /// 0 gives sherpa-onnx's features (dither 0) bit for bit.
    public var dither: Float
    /// How the graphs are compiled when loading from a directory (see `TransducerModel`). The
    /// default reproduces onnxruntime's optimized graph on this CPU, and so sherpa-onnx's results,
    /// bit for bit; `quantizesFloatLinears` is `--quantize-fp32`.
    public var compileOptions: CompileOptions
    /// Phrases every stream's beam search prefers (sherpa-onnx's hotwords; none by default). Needs
    /// modified beam search and the model's `bpe.model`.
    public var hotwords: [Hotword]
    /// The per-token bonus of a hotword without its own score (sherpa-onnx's default, 1.5).
    public var hotwordsScore: Float
    /// Whether hotword bonuses take part in the beam's choice of candidates (default) or are added
    /// after it, as sherpa-onnx does.
    public var hotwordScoring: HotwordScoring
    /// A word n-gram language model (ARPA file) fused into beam search (none by default).
    public var languageModelPath: String?
    /// The weight of the language model's natural-log probabilities. The defaults of scale and word
    /// bonus (0.7, 4) were chosen by tools/tune-lm-scale.py on held-out AN4 training text; retune
    /// them for another domain the same way.
    public var languageModelScale: Float
    /// Added to a path's score for each word it begins while a language model is fused.
    public var languageModelWordBonus: Float

    public init(decoding: DecodingMethod = .default, endpoint: EndpointConfiguration = .init(),
                tailPaddingSeconds: Double = 0.66, sampleRate: Int = 16000, dither: Float = 1.0 / 32768,
                compileOptions: CompileOptions = .init(),
                hotwords: [Hotword] = [], hotwordsScore: Float = 1.5, hotwordScoring: HotwordScoring = .beforePruning,
                languageModelPath: String? = nil, languageModelScale: Float = 0.7, languageModelWordBonus: Float = 4) {
        self.decoding = decoding
        self.endpoint = endpoint
        self.tailPaddingSeconds = tailPaddingSeconds
        self.sampleRate = sampleRate
        self.dither = dither
        self.compileOptions = compileOptions
        self.hotwords = hotwords
        self.hotwordsScore = hotwordsScore
        self.hotwordScoring = hotwordScoring
        self.languageModelPath = languageModelPath
        self.languageModelScale = languageModelScale
        self.languageModelWordBonus = languageModelWordBonus
    }
}
