import Foundation
import ModelRuntime
import Testing
import TestSupport

/// The zoo-shape graphs (real zoo architectures and exports, random weights) against onnxruntime's
/// default optimized session, in the product's default mode: encoder over 10 carried chunks (outputs
/// of chunks 0, 5 and 9, every returned state by digest), decoder and joiner, fp32 and int8.
/// Fixtures: tools/make-zoo-parity.py. Runs wherever the graphs are; fails if `$ASR_ZOO_SHAPES` names
/// a directory without them.
@Suite(.enabled(if: Fixtures.zooShapesDirectory != nil, "zoo-shape graphs not found"))
struct ZooShapeParityTests {
    /// Graph files of one role in a model directory: the int8 file or the other one.
    static func graph(_ model: String, _ role: String, int8: Bool) throws -> String {
        let directory = URL(fileURLWithPath: Fixtures.zooShapesDirectory!).appendingPathComponent(model)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasPrefix(role) && $0.hasSuffix(".onnx") && $0.hasSuffix(".int8.onnx") == int8 }
        let name = try #require(names.first, "\(model): no \(int8 ? "int8 " : "")\(role) graph")
        return directory.appendingPathComponent(name).path
    }

    static func bundle(_ model: String) throws -> TensorBundle {
        try TensorBundle(path: Fixtures.data("RuntimeTests", "zoo/\(model).parity.bin"))
    }

    /// The CPU profile onnxruntime computed the fixture with: the runtime reproduces that one.
    static func arithmetic(_ bundle: TensorBundle) throws -> ReferenceArithmetic {
        try #require(bundle.arithmetic.flatMap(ReferenceArithmetic.init(name:)), "fixture names no known CPU profile")
    }

    /// FNV-1a, 64 bits, over the bytes in memory order (the fixture's state digest).
    static func digest(_ pointer: UnsafeRawPointer, bytes: Int) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<bytes { hash = (hash ^ UInt64(pointer.load(fromByteOffset: i, as: UInt8.self))) &* 0x100_0000_01b3 }
        return Int64(bitPattern: hash)
    }

    /// With `carried`, states are computed in their inputs' bytes (as a stream runs the encoder).
    @Test(arguments: Fixtures.zooShapeModels, [false, true])
    func encoderFollowsOnnxRuntimeOverTenChunks(model: String, carried: Bool) throws {
        let bundle = try Self.bundle(model)
        let encoder = try CompiledGraph(path: try Self.graph(model, "encoder", int8: true), carriedStatePrefix: carried ? "new_" : nil,
                                        options: CompileOptions(arithmetic: try Self.arithmetic(bundle)))
        let chunkLength = Int(encoder.metadata["T"] ?? "") ?? 0
        let shift = Int(encoder.metadata["decode_chunk_len"] ?? "") ?? 0
        let features = bundle.floats("features")
        let width = 80
        let states = encoder.inputNames.filter { $0 != "x" && encoder.outputIndex("new_" + $0) != nil }
        for (index, name) in encoder.inputNames.enumerated() {
            encoder.input(at: index).initializeMemory(as: UInt8.self, repeating: 0, count: encoder.type(of: name)!.byteCount)
        }
        let inPlace = states.filter { encoder.input(at: encoder.inputIndex($0)!) == UnsafeMutableRawPointer(mutating: encoder.output(at: encoder.outputIndex("new_" + $0)!)) }
        #expect(carried ? inPlace.count >= states.count - 1 : inPlace.isEmpty, "\(model): \(inPlace.count) of \(states.count) states in place")
        let processed = bundle.int64s("processed_lens")
        for chunk in 0..<10 {
            let start = chunk * shift * width
            encoder.setInput("x", Array(features[start..<(start + chunkLength * width)]))
            if !processed.isEmpty { encoder.setInput("processed_lens", [processed[chunk]]) }
            encoder.run()
            if [0, 5, 9].contains(chunk) {
                let expected = bundle.floats("encoder_out.\(chunk)")
                let ours = encoder.floats("encoder_out")
                let diff = differences(ours, expected)
                #expect(ours == expected, "\(model) chunk \(chunk): encoder_out differs by up to \(diff.max) (mean \(diff.mean))")
                let digests = states.map { name in
                    Self.digest(encoder.output(at: encoder.outputIndex("new_" + name)!), bytes: encoder.type(of: name)!.byteCount)
                }
                let differing = zip(states, zip(digests, bundle.int64s("state_digest.\(chunk)"))).filter { $1.0 != $1.1 }.map(\.0)
                #expect(digests.count == bundle.int64s("state_digest.\(chunk)").count)
                #expect(differing.isEmpty, "\(model) chunk \(chunk): \(differing.count) of \(states.count) states differ: \(differing.prefix(4))")
            }
            for name in states {
                let type = encoder.type(of: name)!
                encoder.input(at: encoder.inputIndex(name)!).copyMemory(from: encoder.output(at: encoder.outputIndex("new_" + name)!),
                                                                       byteCount: type.byteCount)
            }
        }
    }

    /// The conformer passes each cache through 12 ScatterNDs per chunk, one per layer. Computed in
    /// place, the chain's bytes are the output state's own, and the arena holds no cache (786,432
    /// bytes each); copied, it would hold two at a time. (Exactness: the parity test above.)
    @Test func conformerCachesAreUpdatedInPlace() throws {
        let encoder = try CompiledGraph(path: try Self.graph("conformer-lite-streaming-en", "encoder", int8: true))
        let cache = try #require(encoder.type(of: "cached_attn")).byteCount
        #expect(encoder.operatorCounts["ScatterND"] == 24)
        #expect(encoder.memoryPlan.arenaBytes < cache, "arena \(encoder.memoryPlan.arenaBytes) bytes")
    }

    @Test(arguments: Fixtures.zooShapeModels)
    func decoderAndJoinerFollowOnnxRuntime(model: String) throws {
        let bundle = try Self.bundle(model)
        let contexts = bundle.int64s("decoder_context")
        let contextSize = bundle.shape("decoder_context")[1]
        for (int8, name) in [(false, "decoder_out.fp32"), (true, "decoder_out.int8")] {
            let decoder = try CompiledGraph(path: try Self.graph(model, "decoder", int8: int8), options: CompileOptions(arithmetic: try Self.arithmetic(bundle)))
            var outputs: [Float] = []
            for row in 0..<(contexts.count / contextSize) {
                decoder.setInput(decoder.inputNames[0], Array(contexts[(row * contextSize)..<((row + 1) * contextSize)]))
                decoder.run()
                outputs += decoder.floats(decoder.outputNames[0])
            }
            #expect(outputs == bundle.floats(name), "\(model) \(name): differs by up to \(differences(outputs, bundle.floats(name)).max)")
        }

        let frames = bundle.floats("encoder_out.0"), decoderOutputs = bundle.floats("decoder_out.fp32")
        let width = bundle.shape("decoder_out.fp32")[1], frameCount = bundle.shape("joiner_out.int8")[0]
        for (int8, name) in [(true, "joiner_out.int8"), (false, "joiner_out.fp32")] {
            let joiner = try CompiledGraph(path: try Self.graph(model, "joiner", int8: int8), options: CompileOptions(arithmetic: try Self.arithmetic(bundle)))
            var outputs: [Float] = []
            for frame in 0..<frameCount {
                for context in 0..<(decoderOutputs.count / width) {
                    joiner.setInput("encoder_out", Array(frames[(frame * width)..<((frame + 1) * width)]))
                    joiner.setInput("decoder_out", Array(decoderOutputs[(context * width)..<((context + 1) * width)]))
                    joiner.run()
                    outputs += joiner.floats(joiner.outputNames[0])
                }
            }
            #expect(outputs == bundle.floats(name), "\(model) \(name): differs by up to \(differences(outputs, bundle.floats(name)).max)")
        }

        let rows = bundle.shape("joiner_batch_encoder")[0]
        let batch = try CompiledGraph(path: try Self.graph(model, "joiner", int8: true),
                                      inputShapes: ["encoder_out": [rows, width], "decoder_out": [rows, width]],
                                      options: CompileOptions(arithmetic: try Self.arithmetic(bundle)))
        batch.setInput("encoder_out", bundle.floats("joiner_batch_encoder"))
        batch.setInput("decoder_out", bundle.floats("joiner_batch_decoder"))
        batch.run()
        let expected = bundle.floats("joiner_batch_out.int8")
        #expect(batch.floats(batch.outputNames[0]) == expected,
                "\(model) batched joiner: differs by up to \(differences(batch.floats(batch.outputNames[0]), expected).max)")
    }
}
