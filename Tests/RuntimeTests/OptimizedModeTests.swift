import ModelRuntime
import Testing
import TestSupport

/// `.optimized` graphs (fused int8 linear, SIMD depthwise Conv) against `.reference` graphs of the
/// same files: the fused kernels keep the graph's integers and every rounding, so outputs and
/// carried states agree exactly over the fixture's 10 chunks.
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
    func encoderEqualsReferenceOverTenChunks() throws {
        let reference = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", mode: .reference)
        let optimized = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", mode: .optimized)
        #expect(optimized.operatorCounts["FusedInt8Linear"] == 104)
        // Only the six batched (attention) products keep their DynamicQuantizeLinear.
        #expect(optimized.operatorCounts["DynamicQuantizeLinear"] == 6)
        #expect(optimized.memoryPlan.stepCount < reference.memoryPlan.stepCount - 400)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity.bin"))
        let expected = Self.runChunks(reference, bundle), ours = Self.runChunks(optimized, bundle)
        #expect(expected.count == ours.count)
        for (index, (a, b)) in zip(ours, expected).enumerated() {
            let diff = differences(a, b)
            #expect(diff.max == 0, "tensor \(index): max diff \(diff.max)")
        }
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func int8JoinerEqualsReference() throws {
        let reference = try CompiledGraph(path: "\(Self.model!)/joiner.int8.onnx", mode: .reference)
        let optimized = try CompiledGraph(path: "\(Self.model!)/joiner.int8.onnx", mode: .optimized)
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
