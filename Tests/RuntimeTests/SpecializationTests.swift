import ModelRuntime
import Testing
import TestSupport

/// What specialization leaves of the graphs, and the memory plan.
@Suite struct SpecializationTests {
    static let model = Fixtures.modelDirectory

    @Test(.enabled(if: model != nil, "model directory not found"))
    func decoderShapeArithmeticIsFoldedAway() throws {
        let decoder = try CompiledGraph(path: "\(Self.model!)/decoder.onnx", options: .reference)
        // Constant nodes become constants; Squeeze and Unsqueeze become views; nothing else changes.
        #expect(decoder.operatorCounts["Constant"] == nil)
        #expect(decoder.operatorCounts["Squeeze"] == nil)
        #expect(decoder.operatorCounts["Unsqueeze"] == nil)
        #expect(decoder.operatorCounts["Gemm"] == 1)
        #expect(decoder.operatorCounts["Conv"] == 1)
        #expect(decoder.type(of: "decoder_out") == TensorType(.float32, [1, 320]))
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func encoderIsSpecializedForOneChunk() throws {
        let encoder = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", options: .reference)
        #expect(encoder.type(of: "x") == TensorType(.float32, [1, 45, 80]))
        #expect(encoder.type(of: "encoder_out") == TensorType(.float32, [1, 8, 320]))
        #expect(encoder.operatorCounts["Reshape"] == nil)
        #expect(encoder.operatorCounts["Unsqueeze"] == nil)
        #expect(encoder.operatorCounts["MatMulInteger"] == 110)
        let plan = encoder.memoryPlan
        // 38 state inputs, x, and their outputs live in the persistent region.
        #expect(plan.persistentBytes > 2 * 300_000)
        #expect(plan.arenaBytes > 0)
        print("encoder.int8.onnx: \(plan)")
        print("encoder.int8.onnx ops: \(encoder.operatorCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func planReusesArenaAcrossLifetimes() throws {
        // The arena is much smaller than the sum of all intermediates: buffers are reused.
        let encoder = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx", options: .reference)
        let everything = try CompiledGraph(path: "\(Self.model!)/encoder.int8.onnx",
                                           additionalOutputs: ["/conv/conv.0/Conv_output_0", "/conv/conv.4/Conv_output_0"], options: .reference)
        #expect(encoder.memoryPlan.arenaBytes < 4_000_000)
        // Keeping two intermediates alive moves them to the persistent region.
        #expect(everything.memoryPlan.persistentBytes > encoder.memoryPlan.persistentBytes)
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func everyGraphOfTheModelCompiles() throws {
        // Kernel calls left after folding, per file (Constant, Reshape, Squeeze, Unsqueeze are gone).
        let expectedSteps = ["encoder.int8.onnx": 1554, "decoder.onnx": 11, "joiner.int8.onnx": 8,
                             "original/decoder.int8.onnx": 17, "original/joiner.fp32.onnx": 3]
        for (file, steps) in expectedSteps.sorted(by: { $0.key < $1.key }) {
            let graph = try CompiledGraph(path: "\(Self.model!)/\(file)", options: .reference)
            print("\(file): \(graph.memoryPlan)")
            print("\(file) ops: \(graph.operatorCounts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
            #expect(graph.memoryPlan.stepCount == steps, "\(file)")
        }
    }
}


/// Shape arithmetic computed from the input's shape (Shape → Gather → Mul/Div → Unsqueeze → Concat
/// → Reshape) is folded at load for the specialized shapes; only the Add is left to run.
@Suite struct ShapeArithmeticFoldingTests {
    static let path = Fixtures.data("RuntimeTests", "shape-arithmetic.onnx")

    @Test(arguments: [1, 3])
    func reshapeTargetIsFoldedForTheSpecializedBatch(batch: Int) throws {
        for mode in [KernelSelection.reference, .fastInGraphOrder] {
            let graph = try CompiledGraph(path: Self.path, inputShapes: ["x": [batch, 6, 4]], options: CompileOptions(kernels: mode))
            #expect(graph.operatorCounts == ["Add": 1])
            #expect(graph.memoryPlan.stepCount == 1)
            #expect(graph.type(of: "z") == TensorType(.float32, [batch, 2, 12]))
            let x = (0..<(batch * 24)).map(Float.init)
            graph.setInput("x", x)
            graph.run()
            #expect(graph.floats("z") == x.map { $0 + 1 })
        }
    }
}
