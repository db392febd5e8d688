import Foundation
import ModelRuntime

/// A zipformer2 streaming transducer (sherpa-onnx / icefall export) on the runtime: three compiled
/// graphs with the encoder's state carried between chunks.
///
/// Everything model-specific is read from the files: chunk sizes from the encoder's metadata (`T`,
/// `decode_chunk_len`), the state layout from its graph inputs (every input but `x` is a state whose
/// next value is the output `new_<name>`), dimensions from the graphs' shapes. Other zipformer2
/// models (other widths, more layers per stack) load unchanged.
public final class TransducerModel: TransducerNetwork {
    public let chunkLength: Int
    public let chunkShift: Int
    public let featureDimension: Int
    public let encoderFramesPerChunk: Int
    public let joinerInputDimension: Int
    public let contextSize: Int
    public let vocabularySize: Int

    let encoder: CompiledGraph
    let decoder: CompiledGraph
    let joiner: CompiledGraph

    /// One carried state: copied from the output to the input after each chunk.
    private struct State {
        let input: UnsafeMutableRawPointer
        let output: UnsafeRawPointer
        let bytes: Int
    }

    private let states: [State]
    /// The conformer's `processed_lens`: feature frames consumed before the current chunk, which its
    /// attention masks read. Advanced by `chunkShift` per chunk, as sherpa-onnx does.
    private let processedFrames: UnsafeMutablePointer<Int64>?

    /// Encoder families whose export contract (inputs, states, metadata) this type reads.
    public static let supportedModelTypes = ["zipformer2", "zipformer", "conformer"]
    static let processedFramesInput = "processed_lens"
    private let features: UnsafeMutableRawPointer
    private let encoderOutput: UnsafeRawPointer
    private let decoderInput: UnsafeMutableRawPointer
    private let decoderOutput: UnsafeRawPointer
    private let joinerEncoderInput: UnsafeMutableRawPointer
    private let joinerDecoderInput: UnsafeMutableRawPointer
    private let logits: UnsafeRawPointer

    /// The joiner specialized for a batch of rows: its inputs and output.
    private struct BatchJoiner {
        let graph: CompiledGraph
        let encoderInput: UnsafeMutableRawPointer
        let decoderInput: UnsafeMutableRawPointer
        let logits: UnsafeRawPointer
    }

    private let joinerPath: String
    private let mode: ExecutionMode
    /// Batch joiners compiled later quantize like the single-row one.
    private let quantizesJoinerWeights: Bool
    private let requantizesInt8Weights: Bool
    private let arithmetic: ReferenceArithmetic
    /// Joiners for batches of 2, 3, ... rows (index = rows), compiled by `prepareJoin` or on first use.
    private var batchJoiners: [BatchJoiner?] = []

    /// Memory held by each graph, for reports.
    public var memoryPlans: (encoder: MemoryPlan, decoder: MemoryPlan, joiner: MemoryPlan) {
        (encoder.memoryPlan, decoder.memoryPlan, joiner.memoryPlan)
    }

    /// Kernel calls per operator type in each graph after folding.
    public var operatorCounts: (encoder: [String: Int], decoder: [String: Int], joiner: [String: Int]) {
        (encoder.operatorCounts, decoder.operatorCounts, joiner.operatorCounts)
    }

    /// Loads and compiles the three graphs. `tokenCount` (the lines of tokens.txt), when given, must
    /// equal the joiner's output width. `mode` is passed to every graph (`.reference` for bit-level parity).
    /// `floatWeightQuantization` (`.optimized` only) names the graphs whose fp32 linears with constant
    /// weights (an fp32 joiner's output layer, the fp32 decoder's projection) run as int8, quantized at
    /// load; the others keep fp32. By default the decoder stays fp32 (see `FloatWeightQuantization`).
    /// `requantizesInt8Weights` (`.optimized` modes) runs the graphs' int8 linears per output channel
    /// and per row (see `CompiledGraph`); by default they keep onnxruntime's arithmetic.
    /// `arithmetic` is the onnxruntime CPU profile reproduced (default: this CPU's).
    public init(encoderPath: String, decoderPath: String, joinerPath: String, tokenCount: Int? = nil,
                mode: ExecutionMode = .optimized, floatWeightQuantization: FloatWeightQuantization = .default,
                requantizesInt8Weights: Bool = false, arithmetic: ReferenceArithmetic = .host) throws {
        self.joinerPath = joinerPath
        self.arithmetic = arithmetic
        self.mode = mode
        quantizesJoinerWeights = floatWeightQuantization.contains(.joiner)
        self.requantizesInt8Weights = requantizesInt8Weights
        encoder = try CompiledGraph(path: encoderPath, mode: mode,
                                    quantizesFloatWeights: floatWeightQuantization.contains(.encoder),
                                    requantizesInt8Weights: requantizesInt8Weights, arithmetic: arithmetic)
        decoder = try CompiledGraph(path: decoderPath, mode: mode,
                                    quantizesFloatWeights: floatWeightQuantization.contains(.decoder),
                                    requantizesInt8Weights: requantizesInt8Weights, arithmetic: arithmetic)
        joiner = try CompiledGraph(path: joinerPath, mode: mode, quantizesFloatWeights: quantizesJoinerWeights,
                                   requantizesInt8Weights: requantizesInt8Weights, arithmetic: arithmetic)

        func invalid(_ path: String, _ reason: String) -> ModelLoadError {
            ModelLoadError(path: path, cause: .invalidGraph(reason))
        }
        func mismatch(_ path: String, _ reason: String) -> ModelLoadError {
            ModelLoadError(path: path, cause: .mismatch(reason))
        }
        func metadataInt(_ graph: CompiledGraph, _ key: String) throws -> Int {
            guard let text = graph.metadata[key], let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
                throw invalid(graph.path, "metadata '\(key)' is missing or not a positive integer")
            }
            return value
        }
        func type(_ graph: CompiledGraph, _ name: String, rank: Int) throws -> TensorType {
            guard let type = graph.type(of: name), type.rank == rank else {
                throw invalid(graph.path, "expected \(graph.inputNames.contains(name) ? "input" : "value") '\(name)' of rank \(rank)")
            }
            return type
        }

        // Encoder: x [1, T, F] -> encoder_out [1, frames, D], states new_<name> -> <name>.
        if let kind = encoder.metadata["model_type"], !Self.supportedModelTypes.contains(kind) {
            throw invalid(encoderPath, "model_type is '\(kind)', expected one of \(Self.supportedModelTypes.joined(separator: ", "))")
        }
        chunkLength = try metadataInt(encoder, "T")
        chunkShift = try metadataInt(encoder, "decode_chunk_len")
        guard let xIndex = encoder.inputIndex("x"), let outIndex = encoder.outputIndex("encoder_out") else {
            throw invalid(encoderPath, "needs input 'x' and output 'encoder_out'")
        }
        let x = try type(encoder, "x", rank: 3)
        guard x.element == .float32, x.shape[0] == 1, x.shape[1] == chunkLength else {
            throw invalid(encoderPath, "input 'x' is \(x), expected float32[1, \(chunkLength), F]")
        }
        featureDimension = x.shape[2]
        let encoderOut = try type(encoder, "encoder_out", rank: 3)
        encoderFramesPerChunk = encoderOut.shape[1]
        joinerInputDimension = encoderOut.shape[2]
        var states: [State] = []
        var processedFrames: UnsafeMutablePointer<Int64>?
        for (index, name) in encoder.inputNames.enumerated() where index != xIndex {
            if name == Self.processedFramesInput, encoder.outputIndex("new_" + name) == nil {
                guard encoder.type(of: name) == TensorType(.int64, [1]) else {
                    throw invalid(encoderPath, "input '\(name)' must be int64[1]")
                }
                processedFrames = encoder.input(at: index).assumingMemoryBound(to: Int64.self)
                continue
            }
            guard let output = encoder.outputIndex("new_" + name), encoder.type(of: "new_" + name) == encoder.type(of: name),
                  let bytes = encoder.type(of: name)?.byteCount else {
                throw invalid(encoderPath, "state input '\(name)' has no output 'new_\(name)' of the same type")
            }
            states.append(State(input: encoder.input(at: index), output: encoder.output(at: output), bytes: bytes))
        }
        self.states = states
        self.processedFrames = processedFrames
        features = encoder.input(at: xIndex)
        encoderOutput = encoder.output(at: outIndex)

        // Decoder: y int64 [1, context] -> decoder_out [1, D'].
        guard let yIndex = decoder.inputNames.firstIndex(of: "y") ?? (decoder.inputNames.count == 1 ? 0 : nil),
              let decoderOut = decoder.outputNames.first else {
            throw invalid(decoderPath, "needs one input 'y' and an output")
        }
        let y = try type(decoder, decoder.inputNames[yIndex], rank: 2)
        guard y.element == .int64 else { throw invalid(decoderPath, "input '\(decoder.inputNames[yIndex])' must be int64") }
        contextSize = y.shape[1]
        if let declared = decoder.metadata["context_size"], Int(declared) != contextSize {
            throw invalid(decoderPath, "metadata context_size \(declared) differs from input width \(contextSize)")
        }
        let decoderWidth = try type(decoder, decoderOut, rank: 2).shape[1]
        decoderInput = decoder.input(at: yIndex)
        decoderOutput = decoder.output(at: 0)

        // Joiner: encoder_out [1, D] + decoder_out [1, D'] -> logits [1, V].
        guard let jEncoder = joiner.inputIndex("encoder_out"), let jDecoder = joiner.inputIndex("decoder_out"),
              let logitName = joiner.outputNames.first else {
            throw invalid(joinerPath, "needs inputs 'encoder_out', 'decoder_out' and an output")
        }
        let joinerEncoderWidth = try type(joiner, "encoder_out", rank: 2).shape[1]
        let joinerDecoderWidth = try type(joiner, "decoder_out", rank: 2).shape[1]
        guard joinerEncoderWidth == joinerInputDimension else {
            throw mismatch(joinerPath, "joiner takes encoder frames of \(joinerEncoderWidth) values, "
                           + "\(encoderPath) produces \(joinerInputDimension)")
        }
        guard joinerDecoderWidth == decoderWidth else {
            throw mismatch(joinerPath, "joiner takes decoder outputs of \(joinerDecoderWidth) values, "
                           + "\(decoderPath) produces \(decoderWidth)")
        }
        guard decoderWidth == joinerInputDimension else {
            throw invalid(decoderPath, "decoder outputs \(decoderWidth) values, encoder frames have \(joinerInputDimension)")
        }
        vocabularySize = try type(joiner, logitName, rank: 2).shape[1]
        if let declared = decoder.metadata["vocab_size"], let size = Int(declared), size != vocabularySize {
            throw mismatch(decoderPath, "decoder vocab_size is \(size), \(joinerPath) outputs \(vocabularySize) logits")
        }
        if let tokenCount, tokenCount != vocabularySize {
            throw mismatch(joinerPath, "the token list has \(tokenCount) entries, the joiner outputs \(vocabularySize) logits")
        }
        joinerEncoderInput = joiner.input(at: jEncoder)
        joinerDecoderInput = joiner.input(at: jDecoder)
        logits = joiner.output(at: 0)
        resetEncoderState()
    }

    public func resetEncoderState() {
        for state in states { state.input.initializeMemory(as: UInt8.self, repeating: 0, count: state.bytes) }
        processedFrames?.pointee = 0
    }

    public func encode(features input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) throws {
        try check(input.count, chunkLength * featureDimension, "features", encoder.path)
        try check(output.count, encoderFramesPerChunk * joinerInputDimension, "encoder output", encoder.path)
        features.copyMemory(from: input.baseAddress!, byteCount: input.count * 4)
        encoder.run()
        output.baseAddress!.update(from: encoderOutput.assumingMemoryBound(to: Float.self), count: output.count)
        for state in states { state.input.copyMemory(from: state.output, byteCount: state.bytes) }
        processedFrames?.pointee += Int64(chunkShift)
    }

    public func decode(context: UnsafeBufferPointer<Int64>, into output: UnsafeMutableBufferPointer<Float>) throws {
        try check(context.count, contextSize, "token context", decoder.path)
        try check(output.count, joinerInputDimension, "decoder output", decoder.path)
        decoderInput.copyMemory(from: context.baseAddress!, byteCount: context.count * 8)
        decoder.run()
        output.baseAddress!.update(from: decoderOutput.assumingMemoryBound(to: Float.self), count: output.count)
    }

    public func join(encoderFrame: UnsafeBufferPointer<Float>, decoderOutput: UnsafeBufferPointer<Float>,
                     into output: UnsafeMutableBufferPointer<Float>) throws {
        try check(encoderFrame.count, joinerInputDimension, "encoder frame", joiner.path)
        try check(decoderOutput.count, joinerInputDimension, "decoder output", joiner.path)
        try check(output.count, vocabularySize, "logits", joiner.path)
        joinerEncoderInput.copyMemory(from: encoderFrame.baseAddress!, byteCount: encoderFrame.count * 4)
        joinerDecoderInput.copyMemory(from: decoderOutput.baseAddress!, byteCount: decoderOutput.count * 4)
        joiner.run()
        output.baseAddress!.update(from: logits.assumingMemoryBound(to: Float.self), count: output.count)
    }

    public func join(encoderFrame: UnsafeBufferPointer<Float>, decoderOutputs: UnsafeBufferPointer<Float>, rows: Int,
                     into output: UnsafeMutableBufferPointer<Float>) throws {
        guard rows > 1 else {
            guard rows == 1 else { return }
            return try join(encoderFrame: encoderFrame, decoderOutput: decoderOutputs, into: output)
        }
        try check(encoderFrame.count, joinerInputDimension, "encoder frame", joiner.path)
        try check(decoderOutputs.count, rows * joinerInputDimension, "decoder outputs", joiner.path)
        try check(output.count, rows * vocabularySize, "logits", joiner.path)
        let batch = try batchJoiner(rows: rows)
        let width = joinerInputDimension * 4
        for row in 0..<rows {
            (batch.encoderInput + row * width).copyMemory(from: encoderFrame.baseAddress!, byteCount: width)
        }
        batch.decoderInput.copyMemory(from: decoderOutputs.baseAddress!, byteCount: decoderOutputs.count * 4)
        batch.graph.run()
        output.baseAddress!.update(from: batch.logits.assumingMemoryBound(to: Float.self), count: output.count)
    }

    /// Compiles the joiners for batches of up to `rows` rows now, so that decoding does not allocate later.
    public func prepareJoin(rows: Int) throws {
        guard rows > 1 else { return }
        for count in 2...rows { _ = try batchJoiner(rows: count) }
    }

    private func batchJoiner(rows: Int) throws -> BatchJoiner {
        if rows < batchJoiners.count, let existing = batchJoiners[rows] { return existing }
        let graph = try CompiledGraph(path: joinerPath, inputShapes: ["encoder_out": [rows, joinerInputDimension],
                                                                     "decoder_out": [rows, joinerInputDimension]],
                                      mode: mode, quantizesFloatWeights: quantizesJoinerWeights,
                                      requantizesInt8Weights: requantizesInt8Weights, arithmetic: arithmetic)
        guard let encoderIndex = graph.inputIndex("encoder_out"), let decoderIndex = graph.inputIndex("decoder_out"),
              graph.outputNames.count >= 1 else {
            throw ModelLoadError(path: joinerPath, cause: .invalidGraph("needs inputs 'encoder_out', 'decoder_out' and an output"))
        }
        let batch = BatchJoiner(graph: graph, encoderInput: graph.input(at: encoderIndex),
                                decoderInput: graph.input(at: decoderIndex), logits: graph.output(at: 0))
        if batchJoiners.count <= rows { batchJoiners += Array(repeating: nil, count: rows + 1 - batchJoiners.count) }
        batchJoiners[rows] = batch
        return batch
    }

    private func check(_ actual: Int, _ expected: Int, _ name: String, _ path: String) throws {
        if actual != expected { throw ModelInputError(path: path, name: name, expected: expected, actual: actual) }
    }
}
