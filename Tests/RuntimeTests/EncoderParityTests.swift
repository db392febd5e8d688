import ModelRuntime
import Testing
import TestSupport

/// The encoder graph against onnxruntime over the fixture's 10 chunks, every state carried from
/// each call to the next (new_<name> -> <name>), then every returned state compared.
@Suite struct EncoderParityTests {
    static let model = Fixtures.modelDirectory

    @Test(.enabled(if: model != nil, "model directory not found"))
    func returnedStatesFollowOnnxRuntime() throws {
        let encoder = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", options: CompileOptions(kernels: .reference, arithmetic: .avx2))
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity.bin"))
        let states = encoder.inputNames.filter { $0 != "x" }
        #expect(states.count == 38)
        for (index, name) in encoder.inputNames.enumerated() {
            encoder.input(at: index).initializeMemory(as: UInt8.self, repeating: 0, count: encoder.type(of: name)!.byteCount)
        }
        for chunk in 0..<10 {
            encoder.setInput("x", bundle.floats("x.\(chunk)"))
            encoder.run()
            for name in states {
                let source = encoder.output(at: encoder.outputIndex("new_" + name)!)
                encoder.input(at: encoder.inputIndex(name)!).copyMemory(from: source, byteCount: encoder.type(of: name)!.byteCount)
            }
        }
        var worst: Float = 0, worstMean: Float = 0
        for name in states {
            let type = encoder.type(of: name)!
            let pointer = encoder.input(at: encoder.inputIndex(name)!)
            if type.element == .int64 {
                #expect(bundle.int64s("\(name).9") == [pointer.load(as: Int64.self)], "\(name)")
                continue
            }
            let values = Array(UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: Float.self), count: type.count))
            let diff = differences(values, bundle.floats("\(name).9"))
            print("state \(name): max \(diff.max) mean \(diff.mean)")
            worst = max(worst, diff.max)
            worstMean = max(worstMean, diff.mean)
        }
        // Target: every returned state within 1e-3 of onnxruntime after 10 carried chunks.
        #expect(worst <= 1e-3)
        #expect(worstMean <= 1e-5)
    }
}
