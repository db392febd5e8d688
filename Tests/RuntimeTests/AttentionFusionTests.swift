import ModelRuntime
import Testing
import TestSupport

/// Self-attention as the zipformer2 export writes it (tools/make-attention-graph.py): the optimized
/// modes run scores, bias, mask, softmax and the first weights x values product as one step, the
/// dependent second product as a MatMul reading its transposed operands in place. With 13 query rows
/// and with one (which MLAS multiplies with its one-row kernels), every mode must give onnxruntime's bits.
@Suite struct AttentionFusionTests {
    static let path = Fixtures.data("RuntimeTests", "attention.onnx")
    static let outputs = ["attended", "weights", "narrow", "attended2"]

    @Test(arguments: [KernelSelection.reference, .fastInGraphOrder, .fast], ["attention", "attention-one-query"])
    func equalsOnnxRuntime(mode: KernelSelection, fixture: String) throws {
        let golden = try TensorBundle(path: Fixtures.data("RuntimeTests", fixture + ".bin"))
        let graph = try CompiledGraph(path: Fixtures.data("RuntimeTests", fixture + ".onnx"),
                                      options: CompileOptions(kernels: mode, arithmetic: .avx2))
        for draw in 0..<3 {
            for name in ["q", "k", "v", "bias", "key_padding", "a", "b"] { graph.setInput(name, golden.floats("\(name).\(draw)")) }
            graph.run()
            for name in Self.outputs {
                let expected = golden.floats("\(name).\(draw)"), actual = graph.floats(name)
                #expect(expected.count == actual.count && !expected.isEmpty)
                let differing = zip(expected, actual).filter { $0.bitPattern != $1.bitPattern }
                #expect(differing.isEmpty, "\(fixture) \(mode) \(name), draw \(draw): \(differing.count) differ, e.g. \(differing.prefix(2))")
            }
        }
    }

    @Test func optimizedModeFusesTheAttention() throws {
        let optimized = try CompiledGraph(path: Self.path, options: CompileOptions(kernels: .fastInGraphOrder, arithmetic: .avx2))
        let counts = optimized.operatorCounts
        #expect(counts["Attention"] == 1)
        // Scores, bias, mask and softmax live in the attention step.
        #expect(counts["Softmax"] == nil && counts["Where"] == nil && counts["Add"] == nil)
        // The second product and `narrow`; the query, key and value Transposes are read in place and
        // only the first result's Transpose (its result has two readers) is left.
        #expect(counts["MatMul"] == 2)
        #expect(counts["Transpose"] == 1)
        let reference = try CompiledGraph(path: Self.path, options: CompileOptions(kernels: .reference, arithmetic: .avx2))
        #expect(reference.operatorCounts["Attention"] == nil)
        #expect(reference.operatorCounts["Transpose"] == 6)
    }
}
