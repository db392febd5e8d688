import Foundation
import ModelRuntime
import Synchronization

/// A zipformer2, zipformer or conformer streaming transducer (sherpa-onnx / icefall export) on the
/// runtime: three compiled programs, read-only after load, so one model serves any number of streams
/// on any threads. Each stream runs it through its own `TransducerInstance` (encoder state, working memory).
///
/// Everything model-specific is read from the files: chunk sizes from the encoder's metadata (`T`,
/// `decode_chunk_len`), the state layout from its graph inputs (every input but `x` is a state whose
/// next value is the output `new_<name>`), dimensions from the graphs' shapes. Other models of these
/// families (other widths, more layers per stack) load unchanged.
public final class TransducerModel: TransducerNetworkSource {
    public let chunkLength: Int
    public let chunkShift: Int
    public let featureDimension: Int
    public let encoderFramesPerChunk: Int
    public let joinerInputDimension: Int
    public let contextSize: Int
    public let vocabularySize: Int

    let encoder: GraphProgram
    let decoder: GraphProgram
    let joiner: GraphProgram

    /// One carried encoder state: an input whose next value is an output of the same type.
    struct State {
        let input: Int
        let output: Int
        let bytes: Int
    }

    let states: [State]
    /// The conformer's `processed_lens` input: feature frames consumed before the current chunk,
    /// which its attention masks read. Advanced by `chunkShift` per chunk, as sherpa-onnx does.
    let processedFramesInput: Int?
    let featuresInput: Int, encoderOutput: Int
    let decoderInput: Int
    let joinerEncoderInput: Int, joinerDecoderInput: Int

    /// Encoder families whose export contract (inputs, states, metadata) this type reads.
    public static let supportedModelTypes = ["zipformer2", "zipformer", "conformer"]
    static let processedFramesName = "processed_lens"

    private let joinerPath: String
    /// Batch joiners compiled later compile like the single-row one.
    private let options: CompileOptions
    /// Joiner programs for batches of 2, 3, ... rows, compiled on first request by any stream.
    private let batchJoiners = Mutex<[Int: GraphProgram]>([:])

    /// Memory held by each graph, for reports: `sharedBytes` once per model, `instanceBytes` per stream.
    public var memoryPlans: (encoder: MemoryPlan, decoder: MemoryPlan, joiner: MemoryPlan) {
        (encoder.memoryPlan, decoder.memoryPlan, joiner.memoryPlan)
    }

    /// Kernel calls per operator type in each graph after folding.
    public var operatorCounts: (encoder: [String: Int], decoder: [String: Int], joiner: [String: Int]) {
        (encoder.operatorCounts, decoder.operatorCounts, joiner.operatorCounts)
    }

    /// Loads and compiles the three graphs. `tokenCount` (the lines of tokens.txt), when given, must
    /// equal the joiner's output width. `options` compile every graph, except that the decoder keeps
    /// its fp32 layers even when `quantizesFloatLinears` asks for int8: quantizing the 3.3M model's
    /// decoder moved WER by up to 0.29 points on a set and saved no measurable time, since decoder
    /// outputs are cached per context.
    public init(encoderPath: String, decoderPath: String, joinerPath: String, tokenCount: Int? = nil,
                options: CompileOptions = .init()) throws {
        self.joinerPath = joinerPath
        self.options = options
        var decoderOptions = options
        decoderOptions.quantizesFloatLinears = false
        encoder = try GraphProgram(path: encoderPath, carriedStatePrefix: "new_", options: options)
        decoder = try GraphProgram(path: decoderPath, options: decoderOptions)
        joiner = try GraphProgram(path: joinerPath, options: options)

        func invalid(_ path: String, _ reason: String) -> ModelLoadError {
            ModelLoadError(path: path, cause: .invalidGraph(reason))
        }
        func mismatch(_ path: String, _ reason: String) -> ModelLoadError {
            ModelLoadError(path: path, cause: .mismatch(reason))
        }
        func metadataInt(_ graph: GraphProgram, _ key: String) throws -> Int {
            guard let text = graph.metadata[key], let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
                throw invalid(graph.path, "metadata '\(key)' is missing or not a positive integer")
            }
            return value
        }
        func type(_ graph: GraphProgram, _ name: String, rank: Int) throws -> TensorType {
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
        var processedFramesInput: Int?
        for (index, name) in encoder.inputNames.enumerated() where index != xIndex {
            if name == Self.processedFramesName, encoder.outputIndex("new_" + name) == nil {
                guard encoder.type(of: name) == TensorType(.int64, [1]) else {
                    throw invalid(encoderPath, "input '\(name)' must be int64[1]")
                }
                processedFramesInput = index
                continue
            }
            guard let output = encoder.outputIndex("new_" + name), encoder.type(of: "new_" + name) == encoder.type(of: name),
                  let bytes = encoder.type(of: name)?.byteCount else {
                throw invalid(encoderPath, "state input '\(name)' has no output 'new_\(name)' of the same type")
            }
            states.append(State(input: index, output: output, bytes: bytes))
        }
        self.states = states
        self.processedFramesInput = processedFramesInput
        featuresInput = xIndex
        encoderOutput = outIndex

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
        decoderInput = yIndex

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
        joinerEncoderInput = jEncoder
        joinerDecoderInput = jDecoder
    }

    /// A network for one stream: instances of the three programs, the encoder state zeroed.
    public func makeNetwork() -> TransducerNetwork { TransducerInstance(model: self) }

    /// The joiner compiled for batches of `rows` rows (2 or more), compiled once for all streams.
    func batchJoiner(rows: Int) throws -> GraphProgram {
        if let existing = batchJoiners.withLock({ $0[rows] }) { return existing }
        let program = try GraphProgram(path: joinerPath, inputShapes: ["encoder_out": [rows, joinerInputDimension],
                                                                     "decoder_out": [rows, joinerInputDimension]],
                                       options: options)
        guard program.inputIndex("encoder_out") == joinerEncoderInput, program.inputIndex("decoder_out") == joinerDecoderInput,
              !program.outputNames.isEmpty else {
            throw ModelLoadError(path: joinerPath, cause: .invalidGraph("needs inputs 'encoder_out', 'decoder_out' and an output"))
        }
        // Two streams asking at once may both compile; the first stored wins, both are equal.
        return batchJoiners.withLock { joiners in
            if let existing = joiners[rows] { return existing }
            joiners[rows] = program
            return program
        }
    }
}

