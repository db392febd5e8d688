import ModelRuntime
import Testing
import TestSupport

/// Sums whose last bits depend on the order of rounding, against onnxruntime running each operator
/// as a node of its own (fixtures from tools/make-rounding-fixtures.py): depthwise Conv in 2-D and
/// 1-D (15 and 6 taps: four-tap blocks, then a pair, then a single tap), ReduceSum / ReduceMean
/// over a middle axis of 7, 8-lane dot products (a grouped Conv with one output value per filter,
/// depthwise Convs with kernels as wide as the input) and a Gemm with a constant B (K slices
/// 256 + 44). Summed in any other order, some outputs differ in the last bit.
@Suite struct RoundingOrderTests {
    @Test(arguments: [KernelSelection.reference, .fastInGraphOrder])
    func sumsRoundAsOnnxRuntimeDoes(mode: KernelSelection) throws {
        // The Gemm stays fp32 (its summation order is what is pinned here), not quantized at load.
        let graph = try CompiledGraph(path: Fixtures.data("RuntimeTests", "rounding-order.onnx"), options: CompileOptions(kernels: mode))
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "rounding-order.bin"))
        for name in ["x2d", "x1d", "r", "xg", "a", "xw2d", "xw1d"] { graph.setInput(name, bundle.floats(name)) }
        graph.run()
        for name in ["y2d", "y1d", "sum", "mean", "yg", "g", "yw2d", "yw1d"] {
            let expected = bundle.floats(name), ours = graph.floats(name)
            #expect(ours.count == expected.count && !expected.isEmpty, "\(name)")
            let differing = zip(ours, expected).filter { $0.0.bitPattern != $0.1.bitPattern && $0.0 != $0.1 }.count
            #expect(differing == 0, "\(name): \(differing) of \(expected.count) values differ")
        }
    }
}
