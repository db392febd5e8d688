/// Which of a transducer's graphs get their fp32 linear layers (constant-weight `Gemm`/`MatMul`)
/// quantized to int8 at load (optimized modes only; graphs that are already int8 are unaffected).
///
/// By default none: a model runs with its own arithmetic. Quantizing is an explicit opt-in
/// (`--quantize-fp32`, `.encoderAndJoiner`) that trades accuracy for speed; the decoder is left out
/// of it because quantizing the 3.3M model's fp32 decoder moved WER by up to 0.29 points on a set
/// and saved no measurable CPU time, since decoder outputs are cached per context.
public struct FloatWeightQuantization: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let encoder = FloatWeightQuantization(rawValue: 1 << 0)
    public static let decoder = FloatWeightQuantization(rawValue: 1 << 1)
    public static let joiner = FloatWeightQuantization(rawValue: 1 << 2)

    /// Every graph keeps its fp32 layers.
    public static let `default`: FloatWeightQuantization = []
    /// Encoder and joiner quantized, decoder kept fp32 (`--quantize-fp32`).
    public static let encoderAndJoiner: FloatWeightQuantization = [.encoder, .joiner]
    public static let all: FloatWeightQuantization = [.encoder, .decoder, .joiner]
}
