import ModelRuntime
import Testing
import TestSupport

/// `.fast` graphs (fused int8 linear, SIMD and NCHWc-order convolutions) against onnxruntime's
/// optimized graph (ORT_ENABLE_ALL, as sherpa-onnx runs it), and against `.reference` graphs of the
/// same files. The encoder's 2-D convolutions round in onnxruntime's NCHWc order, so its outputs
/// and carried states equal the optimized onnxruntime fixture exactly over 10 chunks, and differ
/// from the unoptimized graph's by what those roundings amplify. `.fastInGraphOrder` keeps the graph's own
/// arithmetic (equal to `.reference`) with the fused kernels.
@Suite struct OptimizedModeTests {
    static let model = Fixtures.modelDirectory

    static func runChunks(_ encoder: CompiledGraph, _ bundle: TensorBundle) -> [[Float]] {
        for (index, name) in encoder.inputNames.enumerated() {
            encoder.input(at: index).initializeMemory(as: UInt8.self, repeating: 0, count: encoder.type(of: name)!.byteCount)
        }
        var results: [[Float]] = []
        for chunk in 0..<10 {
            encoder.setInput("x", bundle.floats("x.\(chunk)"))
            encoder.run()
            results.append(encoder.floats("encoder_out"))
            for name in encoder.inputNames where name != "x" {
                let source = encoder.output(at: encoder.outputIndex("new_" + name)!)
                encoder.input(at: encoder.inputIndex(name)!).copyMemory(from: source, byteCount: encoder.type(of: name)!.byteCount)
            }
        }
        for name in encoder.inputNames where name != "x" && encoder.type(of: name)!.element == .float32 {
            let pointer = encoder.input(at: encoder.inputIndex(name)!).assumingMemoryBound(to: Float.self)
            results.append(Array(UnsafeBufferPointer(start: pointer, count: encoder.type(of: name)!.count)))
        }
        return results
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func encoderEqualsOptimizedOnnxruntimeOverTenChunks() throws {
        let optimized = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", options: CompileOptions(arithmetic: .avx2))
        #expect(optimized.operatorCounts["FusedInt8Linear"] == 104)
        // Only the six batched (attention) products keep their DynamicQuantizeLinear.
        #expect(optimized.operatorCounts["DynamicQuantizeLinear"] == 6)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity-optimized.bin"))
        let ours = Self.runChunks(optimized, bundle)
        var expected = (0..<10).map { bundle.floats("encoder_out.\($0)") }
        let states = optimized.inputNames.filter { $0 != "x" && optimized.type(of: $0)!.element == .float32 }
        expected += states.map { bundle.floats("\($0).9") }
        #expect(ours.count == expected.count)
        for (index, (a, b)) in zip(ours, expected).enumerated() {
            let diff = differences(a, b)
            #expect(diff.max == 0, "\(index < 10 ? "encoder_out.\(index)" : states[index - 10]): max diff \(diff.max)")
        }
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func encoderStaysNearReferenceOverTenChunks() throws {
        let reference = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", options: CompileOptions(kernels: .reference, arithmetic: .avx2))
        let optimized = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", options: CompileOptions(arithmetic: .avx2))
        #expect(optimized.memoryPlan.stepCount < reference.memoryPlan.stepCount - 400)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity.bin"))
        let expected = Self.runChunks(reference, bundle), ours = Self.runChunks(optimized, bundle)
        #expect(expected.count == ours.count)
        // The optimized graph's roundings move encoder_out, but by little on average over the chunks.
        let a = ours[0..<10].flatMap { $0 }, b = expected[0..<10].flatMap { $0 }
        let diff = differences(a, b)
        let meanMagnitude = b.reduce(0) { $0 + abs($1) } / Float(b.count)
        #expect(diff.max > 0)
        #expect(diff.mean <= 0.01 * meanMagnitude, "mean diff \(diff.mean), mean |reference| \(meanMagnitude)")
    }

    /// The fused kernels in graph order keep the graph's own arithmetic: equal to `.reference` bit for bit.
    @Test(.enabled(if: model != nil, "model directory not found"))
    func encoderEqualsReferenceOverTenChunks() throws {
        let reference = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", options: CompileOptions(kernels: .reference, arithmetic: .avx2))
        let optimized = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", options: CompileOptions(kernels: .fastInGraphOrder, arithmetic: .avx2))
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity.bin"))
        let expected = Self.runChunks(reference, bundle), ours = Self.runChunks(optimized, bundle)
        #expect(expected.count == ours.count)
        for (index, (a, b)) in zip(ours, expected).enumerated() {
            #expect(a == b, "output \(index): max diff \(differences(a, b).max)")
        }
    }

    /// The kernel set compiled for changes speed only: without the AVX2-only kernels (packed
    /// products, block transposes) the program gives the same bits.
    @Test(.enabled(if: model != nil, "model directory not found"))
    func portableKernelSetGivesTheSameBits() throws {
        let active = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", options: CompileOptions(arithmetic: .avx2))
        let portable = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx",
                                         options: CompileOptions(kernels: .fast, arithmetic: .avx2, kernelSet: .portable))
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity-optimized.bin"))
        let expected = Self.runChunks(active, bundle), ours = Self.runChunks(portable, bundle)
        #expect(expected.count == ours.count)
        for (index, (a, b)) in zip(ours, expected).enumerated() {
            #expect(a == b, "output \(index): max diff \(differences(a, b).max)")
        }
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func int8JoinerEqualsReference() throws {
        let reference = try CompiledGraph(path: "\(Self.model!)/joiner.int8.onnx", options: CompileOptions(kernels: .reference, arithmetic: .avx2))
        let optimized = try CompiledGraph(path: "\(Self.model!)/joiner.int8.onnx", options: CompileOptions(kernels: .fastInGraphOrder, arithmetic: .avx2))
        #expect(optimized.operatorCounts["FusedInt8Linear"] == 1)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "joiner-parity.bin"))
        let frames = bundle.floats("encoder_out"), decoded = bundle.floats("decoder_out")
        let width = 320
        for row in 0..<(frames.count / width) {
            for graph in [reference, optimized] {
                graph.setInput("encoder_out", Array(frames[(row * width)..<((row + 1) * width)]))
                graph.setInput("decoder_out", Array(decoded[(row * width)..<((row + 1) * width)]))
                graph.run()
            }
            #expect(optimized.floats("logit").count == 500)
            #expect(optimized.floats("logit") == reference.floats("logit"))
        }
    }
}
