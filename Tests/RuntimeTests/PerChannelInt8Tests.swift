import ModelRuntime
import Testing
import TestSupport

/// A graph quantized per output channel by onnxruntime's own dynamic quantizer (fixtures from
/// tools/make-per-channel-int8-fixtures.py: 40 and 24 weight scales, an all-zero column, saturating
/// int16 pair sums, a -128 weight). Every mode equals onnxruntime bit for bit; the optimized ones run each chain as
/// one `FusedInt8Linear` with per-column scales.
@Suite struct PerChannelInt8Tests {
    static func run(_ mode: KernelSelection) throws -> (graph: CompiledGraph, bundle: TensorBundle) {
        let graph = try CompiledGraph(path: Fixtures.data("RuntimeTests", "per-channel-int8.onnx"),
                                      options: CompileOptions(kernels: mode, arithmetic: .avx2))
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "per-channel-int8.bin"))
        graph.setInput("x", bundle.floats("x"))
        graph.run()
        return (graph, bundle)
    }

    @Test(arguments: [KernelSelection.reference, .fastInGraphOrder, .fast])
    func equalsOnnxRuntime(mode: KernelSelection) throws {
        let (graph, bundle) = try Self.run(mode)
        #expect(graph.operatorCounts["FusedInt8Linear"] == (mode == .reference ? nil : 2))
        #expect(graph.operatorCounts["MatMulInteger"] == (mode == .reference ? 2 : nil))
        for name in ["y", "z"] {
            let expected = bundle.floats(name), ours = graph.floats(name)
            #expect(ours.count == expected.count && !expected.isEmpty)
            #expect(ours == expected, "\(name): max diff \(differences(ours, expected).max)")
        }
    }
}
