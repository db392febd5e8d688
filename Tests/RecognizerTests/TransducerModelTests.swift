import AudioIO
import CAllocationCounter
import Foundation
import Recognizer
import ModelRuntime
import Testing
import TestSupport

/// The transducer model over the runtime: dimensions from the files, parity with onnxruntime over
/// consecutive chunks, no allocation per chunk, one clear error for a bad model directory.
@Suite struct TransducerModelTests {
    static let directory = Fixtures.modelDirectory

    /// Parity tests compare the graph's own arithmetic: the reference kernels unless asked otherwise.
    static func load(joiner: String = "joiner.int8.onnx", tokenCount: Int? = nil,
                     kernels: KernelSelection = .reference) throws -> TransducerModel {
        let d = directory!
        return try TransducerModel(encoderPath: "\(d)/encoder.int8.onnx", decoderPath: "\(d)/decoder.onnx",
                                   joinerPath: joiner.hasPrefix("/") ? joiner : "\(d)/\(joiner)", tokenCount: tokenCount,
                                   options: CompileOptions(kernels: kernels, arithmetic: .avx2))
    }

    static func loadError(_ body: () throws -> TransducerModel) -> ModelLoadError? {
        do {
            _ = try body()
            return nil
        } catch let error as ModelLoadError {
            return error
        } catch {
            return nil
        }
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func dimensionsComeFromTheModelFiles() throws {
        let model = try Self.load(tokenCount: 500)
        #expect(model.chunkLength == 45)
        #expect(model.chunkShift == 32)
        #expect(model.featureDimension == 80)
        #expect(model.encoderFramesPerChunk == 8)
        #expect(model.joinerInputDimension == 320)
        #expect(model.contextSize == 2)
        #expect(model.vocabularySize == 500)
    }

    /// Runs the fixture's 10 chunks with carried state; returns per-chunk encoder_out differences.
    static func encoderDifferences(_ model: TransducerNetwork, _ bundle: TensorBundle) throws -> [(max: Float, mean: Float)] {
        var output = [Float](repeating: 0, count: model.encoderFramesPerChunk * model.joinerInputDimension)
        var result: [(max: Float, mean: Float)] = []
        for chunk in 0..<10 {
            let features = bundle.floats("x.\(chunk)")
            try features.withUnsafeBufferPointer { input in
                try output.withUnsafeMutableBufferPointer { try model.encode(features: input, into: $0) }
            }
            result.append(differences(output, bundle.floats("encoder_out.\(chunk)")))
        }
        return result
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func encoderFollowsOnnxRuntimeOverTenChunks() throws {
        let model = try Self.load()
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity.bin"))
        let chunks = try Self.encoderDifferences(model.makeNetwork(), bundle)
        for (index, diff) in chunks.enumerated() { print("encoder_out chunk \(index): max \(diff.max) mean \(diff.mean)") }
        // The fixture is onnxruntime running the graph node by node (no graph optimizations): the
        // same arithmetic as `.reference`, including every dynamic re-quantization, so every chunk
        // agrees to float rounding (a kernel rounding differently flips quantization steps: ~0.02-0.08).
        for (index, diff) in chunks.enumerated() {
            #expect(diff.max <= 1e-3, "chunk \(index): max diff \(diff.max)")
            #expect(diff.mean <= 1e-5, "chunk \(index): mean diff \(diff.mean)")
        }
        // Run again from a reset state: the same numbers (state is fully reset, nothing else carried).
        let again = try Self.encoderDifferences(model.makeNetwork(), bundle)
        #expect(again.map(\.max) == chunks.map(\.max))
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func decodeAndJoinMatchOnnxRuntime() throws {
        let model = try Self.load().makeNetwork()
        let decoderBundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "decoder-parity.bin"))
        let joinerBundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "joiner-parity.bin"))
        let contexts = decoderBundle.int64s("y"), decoded = decoderBundle.floats("decoder_out")
        let frames = joinerBundle.floats("encoder_out"), logits = joinerBundle.floats("logit.int8")
        let width = model.joinerInputDimension, vocabulary = model.vocabularySize
        var decoderWorst: Float = 0, joinerWorst: Float = 0
        var decoderOut = [Float](repeating: 0, count: width), logitsOut = [Float](repeating: 0, count: vocabulary)
        for row in 0..<(contexts.count / 2) {
            try Array(contexts[(2 * row)..<(2 * row + 2)]).withUnsafeBufferPointer { context in
                try decoderOut.withUnsafeMutableBufferPointer { try model.decode(context: context, into: $0) }
            }
            decoderWorst = max(decoderWorst, differences(decoderOut, Array(decoded[(row * width)..<((row + 1) * width)])).max)
            // The joiner fixture pairs row i of the frames with decoder output i.
            try Array(frames[(row * width)..<((row + 1) * width)]).withUnsafeBufferPointer { frame in
                try decoderOut.withUnsafeBufferPointer { decoder in
                    try logitsOut.withUnsafeMutableBufferPointer { try model.join(encoderFrame: frame, decoderOutput: decoder, into: $0) }
                }
            }
            joinerWorst = max(joinerWorst, differences(logitsOut, Array(logits[(row * vocabulary)..<((row + 1) * vocabulary)])).max)
        }
        print("decode max diff \(decoderWorst), join max diff \(joinerWorst)")
        #expect(decoderWorst <= 1e-4)
        #expect(joinerWorst <= 1e-4)
    }

    /// The beam search joins all active paths in one call, as sherpa-onnx does; the int8 joiner then
    /// quantizes the whole batch with one scale, so each row must match onnxruntime's batched run.
    @Test(.enabled(if: directory != nil, "model directory not found"),
          arguments: [KernelSelection.reference, .fastInGraphOrder])
    func batchedJoinMatchesOnnxRuntimeOnTheSameBatch(mode: KernelSelection) throws {
        let model = try Self.load(kernels: mode).makeNetwork()
        let bundle = try TensorBundle(path: Fixtures.data("RecognizerTests", "joiner-batch-parity.bin"))
        let frame = bundle.floats("encoder_out"), decoded = bundle.floats("decoder_out")
        let width = model.joinerInputDimension, vocabulary = model.vocabularySize
        for rows in 2...4 {
            var logits = [Float](repeating: 0, count: rows * vocabulary)
            try frame.withUnsafeBufferPointer { frame in
                try Array(decoded[0..<(rows * width)]).withUnsafeBufferPointer { decoder in
                    try logits.withUnsafeMutableBufferPointer {
                        try model.join(encoderFrame: frame, decoderOutputs: decoder, rows: rows, into: $0)
                    }
                }
            }
            let batched = differences(logits, bundle.floats("logit.batch\(rows)")).max
            let single = differences(logits, Array(bundle.floats("logit.rows")[0..<(rows * vocabulary)])).max
            print("\(mode) join of \(rows) rows: max diff \(batched) to onnxruntime's batch, \(single) to its single rows")
            #expect(batched <= 1e-4)
            // The fixture's rows move by several hundredths between batch and single-row runs.
            #expect(single > 1e-2)
        }
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func noHeapAllocationPerChunkAfterTheFirst() throws {
        // The product path: fused kernels.
        let model = try Self.load(kernels: .fastInGraphOrder).makeNetwork()
        let features = [Float](repeating: 0.5, count: model.chunkLength * model.featureDimension)
        var output = [Float](repeating: 0, count: model.encoderFramesPerChunk * model.joinerInputDimension)
        var decoderOut = [Float](repeating: 0, count: model.joinerInputDimension)
        var logits = [Float](repeating: 0, count: model.vocabularySize)
        let context: [Int64] = [0, 17]
        try features.withUnsafeBufferPointer { input in
            try output.withUnsafeMutableBufferPointer { encoded in
                try decoderOut.withUnsafeMutableBufferPointer { decoded in
                    try logits.withUnsafeMutableBufferPointer { joined in
                        try context.withUnsafeBufferPointer { tokens in
                            try model.encode(features: input, into: encoded)  // Warm-up.
                            let start = asr_thread_allocation_count()
                            for _ in 0..<3 { try model.encode(features: input, into: encoded) }
                            let afterEncoder = asr_thread_allocation_count()
                            for _ in 0..<3 {
                                try model.decode(context: tokens, into: decoded)
                                try model.join(encoderFrame: UnsafeBufferPointer(rebasing: encoded[0..<model.joinerInputDimension]),
                                               decoderOutput: UnsafeBufferPointer(decoded), into: joined)
                            }
                            let afterSearch = asr_thread_allocation_count()
                            print("allocations: \(afterEncoder - start) in 3 encoder chunks, \(afterSearch - afterEncoder) in 3 decode+join")
                            #if DEBUG
                            // Unoptimized builds call generic kernels unspecialized, which allocates;
                            // the guarantee (and the suite, run with -c release) is for optimized builds.
                            #else
                            #expect(afterEncoder - start == 0)
                            #expect(afterSearch - afterEncoder == 0)
                            #endif
                        }
                    }
                }
            }
        }
        // Whole streams, greedy, beam, beam with hotwords and beam with a language model (tie-breaking
        // keys, merges, result building, context-graph and LM states), over the second half of a
        // file, after warm-up.
        let audio = try AudioFileReader(path: Fixtures.audio("weather-pause-callback-16k.wav"), targetSampleRate: 16000).readAll()
        let hotwords = [Hotword("CALL ME BACK"), Hotword("SUNDAY", score: 3), Hotword("BREEZY")]
        let languageModel = Fixtures.data("RecognizerTests", "an4-200-4gram.arpa")
        for (decoding, hotwords, lm) in [(DecodingMethod.greedy, [], nil), (.modifiedBeam(paths: 4), [], nil),
                                         (.modifiedBeam(paths: 4), hotwords, nil), (.modifiedBeam(paths: 4), [], languageModel)] {
            let configuration = RecognizerConfiguration(decoding: decoding, compileOptions: .init(arithmetic: .avx2), hotwords: hotwords,
                                                        languageModelPath: lm)
            let stream = try Recognizer(modelDirectory: Self.directory!, configuration: configuration).makeStream()
            let half = audio.count / 2
            for start in stride(from: 0, to: half, by: 1600) { try stream.accept(Array(audio[start..<min(start + 1600, half)])) }
            let pieces = stride(from: half, to: audio.count, by: 1600).map { Array(audio[$0..<min($0 + 1600, audio.count)]) }
            let before = asr_thread_allocation_count()
            for piece in pieces { try stream.accept(piece) }
            let allocations = Double(asr_thread_allocation_count() - before)
            let chunks = Double(audio.count - half) / Double(160 * model.chunkShift)
            // Beam search reserves its storage when the stream is made (one allocation here: the
            // chunk-time record doubling); greedy stays under one per chunk.
            let limit: Double
            if case .greedy = decoding { limit = 1 } else { limit = 0.2 }
            #expect(allocations <= limit * chunks, "\(decoding), \(hotwords.count) hotwords, LM \(lm != nil): \(allocations) allocations in about \(chunks) chunks")
        }
        // The loop every front end runs (RecognitionSession) asks after each piece of audio whether
        // the partial changed: with nothing new to say (silence after speech), that costs nothing.
        let session = RecognitionSession(stream: try Recognizer(
            modelDirectory: Self.directory!,
            configuration: RecognizerConfiguration(decoding: .modifiedBeam(paths: 4), endpoint: .init(isEnabled: false),
                                                   compileOptions: .init(arithmetic: .avx2))).makeStream())
        var events = 0
        for start in stride(from: 0, to: audio.count, by: 1600) {
            try session.accept(Array(audio[start..<min(start + 1600, audio.count)])) { _ in events += 1 }
        }
        let silence = [Float](repeating: 0, count: 1600)
        for _ in 0..<10 { try session.accept(silence) { _ in events += 1 } }
        let beforeSilence = asr_thread_allocation_count(), eventsBeforeSilence = events
        for _ in 0..<30 { try session.accept(silence) { _ in events += 1 } }
        // Building the best path to compare it made two arrays per piece (60 here); what may remain
        // is the statistics' per-chunk time list growing by doubling until it holds an hour.
        let silenceAllocations = asr_thread_allocation_count() - beforeSilence
        #expect(silenceAllocations <= 2, "\(silenceAllocations) allocations in 3 s of silence through a session")
        #expect(events == eventsBeforeSilence && events > 0)
        // The counter does see allocations (so zero above means something).
        let before = asr_thread_allocation_count()
        let data = Data(count: 4096 + Int(before & 1))
        #expect(data.count >= 4096)
        #expect(asr_thread_allocation_count() > before)
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func wrongBufferSizesThrow() throws {
        let model = try Self.load().makeNetwork()
        let short = [Float](repeating: 0, count: 10)
        var output = [Float](repeating: 0, count: model.encoderFramesPerChunk * model.joinerInputDimension)
        #expect(throws: ModelInputError.self) {
            try short.withUnsafeBufferPointer { input in
                try output.withUnsafeMutableBufferPointer { try model.encode(features: input, into: $0) }
            }
        }
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func tokenCountMustMatchTheJoiner() throws {
        let error = try #require(Self.loadError { try Self.load(tokenCount: 499) })
        #expect(error.path.hasSuffix("joiner.int8.onnx"))
        #expect(error.description.hasSuffix("the token list has 499 entries, the joiner outputs 500 logits"))
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func missingGraphIsNamed() throws {
        let error = try #require(Self.loadError { try Self.load(joiner: "joiner.missing.onnx") })
        #expect(error.cause == .missingFile)
        #expect(error.description == "\(Self.directory!)/joiner.missing.onnx: file not found")
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func directoryMixingTwoModelsIsRejected() throws {
        // A joiner of a 256-wide model beside this 320-wide encoder and decoder.
        let joiner = Fixtures.data("RuntimeTests", "joiner-256.onnx")
        let error = try #require(Self.loadError { try Self.load(joiner: joiner) })
        #expect(error.path == joiner)
        guard case .mismatch = error.cause else { Issue.record("unexpected \(error)"); return }
        #expect(error.description.contains("joiner takes encoder frames of 256 values"))
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func fp32JoinerLoadsInPlaceOfTheInt8One() throws {
        let model = try Self.load(joiner: "original/joiner.fp32.onnx", tokenCount: 500)
        #expect(model.vocabularySize == 500)
        print("memory: encoder \(model.memoryPlans.encoder); decoder \(model.memoryPlans.decoder); joiner \(model.memoryPlans.joiner)")
    }
}
