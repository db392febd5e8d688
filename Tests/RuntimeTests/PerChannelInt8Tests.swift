import ModelRuntime
import Testing
import TestSupport

/// A graph quantized per output channel by onnxruntime's own dynamic quantizer (fixtures from
/// tools/make-per-channel-int8-fixtures.py: 40 and 24 weight scales, an all-zero column, saturating
/// int16 pair sums, a -128 weight). Every mode equals onnxruntime bit for bit; the optimized ones run each chain as
/// one `FusedInt8Linear` with per-column scales.
@Suite struct PerChannelInt8Tests {
    static func run(_ mode: ExecutionMode, requantizes: Bool = false) throws -> (graph: CompiledGraph, bundle: TensorBundle) {
        let graph = try CompiledGraph(path: Fixtures.data("RuntimeTests", "per-channel-int8.onnx"), mode: mode,
                                      requantizesInt8Weights: requantizes, arithmetic: .avx2)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "per-channel-int8.bin"))
        graph.setInput("x", bundle.floats("x"))
        graph.run()
        return (graph, bundle)
    }

    @Test(arguments: [ExecutionMode.reference, .optimized, .onnxRuntimeOptimized])
    func equalsOnnxRuntime(mode: ExecutionMode) throws {
        let (graph, bundle) = try Self.run(mode)
        #expect(graph.operatorCounts["FusedInt8Linear"] == (mode == .reference ? nil : 2))
        #expect(graph.operatorCounts["MatMulInteger"] == (mode == .reference ? 2 : nil))
        for name in ["y", "z"] {
            let expected = bundle.floats(name), ours = graph.floats(name)
            #expect(ours.count == expected.count && !expected.isEmpty)
            #expect(ours == expected, "\(name): max diff \(differences(ours, expected).max)")
        }
    }

    /// Requantized (per-row activations): near onnxruntime's numbers and the fp32 graph's, not equal.
    @Test func requantizedStaysNear() throws {
        let (graph, bundle) = try Self.run(.onnxRuntimeOptimized, requantizes: true)
        #expect(graph.operatorCounts["FusedInt8Linear"] == 2)
        for name in ["y", "z"] {
            let ours = graph.floats(name), quantized = bundle.floats(name), fp32 = bundle.floats(name + "f")
            let magnitude = fp32.reduce(0) { $0 + abs($1) } / Float(fp32.count)
            #expect(ours != quantized)
            #expect(differences(ours, quantized).mean <= 0.05 * magnitude)
            #expect(differences(ours, fp32).mean <= 0.05 * magnitude)
        }
    }
}
