/// Which of a transducer's graphs get their fp32 linear layers (constant-weight `Gemm`/`MatMul`)
/// quantized to int8 at load (`ExecutionMode.optimized` only; graphs that are already int8 are
/// unaffected).
///
/// The default leaves the decoder fp32: quantizing the model's fp32 decoder moved WER by up to
/// 0.29 points on a set (greedy: an4-test 24.97 % -> 25.23 %, librispeech-test-other-50 27.46 % ->
/// 27.75 %) and saved no measurable CPU time, since decoder outputs are cached per context.
public struct FloatWeightQuantization: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let encoder = FloatWeightQuantization(rawValue: 1 << 0)
    public static let decoder = FloatWeightQuantization(rawValue: 1 << 1)
    public static let joiner = FloatWeightQuantization(rawValue: 1 << 2)

    /// Encoder and joiner quantized, decoder kept fp32.
    public static let `default`: FloatWeightQuantization = [.encoder, .joiner]
    public static let all: FloatWeightQuantization = [.encoder, .decoder, .joiner]
    /// Every graph keeps its fp32 layers (`--keep-fp32`).
    public static let keepFp32: FloatWeightQuantization = []
}
