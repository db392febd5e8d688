import ModelRuntime
import Testing
import TestSupport

/// Pointwise 1-D convolutions with constant weights (fixtures from tools/make-pointwise-conv-fixtures.py):
/// one position (a single output column, which MLAS multiplies as a row times a transposed B),
/// planes of 3, 5 and 8 positions, whose packed kernel spans output channels through transposes,
/// and of 9 and 16, whose kernel spans positions; output channels past whole panels, two images,
/// input channels past one K slice. Every kernel selection and kernel set must give onnxruntime's bits.
@Suite struct PointwiseConvTests {
    static let cases = ["a", "b", "c", "d", "e", "f"]

    @Test(arguments: [CompileOptions(kernels: .reference, arithmetic: .avx2), CompileOptions(kernels: .fast, arithmetic: .avx2),
                      CompileOptions(kernels: .fast, arithmetic: .avx2, kernelSet: .portable)])
    func convolutionsEqualOnnxRuntime(options: CompileOptions) throws {
        let graph = try CompiledGraph(path: Fixtures.data("RuntimeTests", "pointwise-conv.onnx"), options: options)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "pointwise-conv.bin"))
        for name in Self.cases { graph.setInput("x" + name, bundle.floats("x" + name)) }
        graph.run()
        for name in Self.cases {
            let expected = bundle.floats("y" + name), ours = graph.floats("y" + name)
            #expect(ours.count == expected.count && !expected.isEmpty, "y\(name)")
            let differing = zip(ours, expected).filter { $0.0.bitPattern != $0.1.bitPattern }.count
            #expect(differing == 0, "y\(name): \(differing) of \(expected.count) values differ")
        }
    }
}
