import ModelRuntime
import Testing
import TestSupport

/// fp32 products with one output row or one output column (fixtures from
/// tools/make-small-matmul-fixtures.py), which MLAS runs with its M = 1 kernels when B is not packed
/// at load: MatMul with one row, one column, both, batched rows (an attention query of one frame) and
/// batched columns, Gemms with one row (B as is and transposed, C added). And the ordinary kernel for
/// one row against a constant B, which MLAS packs; for batches against a 2-D B, which onnxruntime
/// multiplies as one product of all their rows (also with A read through a transpose); for a Gemm of
/// several rows and columns. And int8 MatMulIntegers whose B is an input, with one row, seven rows and
/// one row per batch, where onnxruntime's AVX2 kernels saturate adjacent pairs of products. Every
/// kernel selection and kernel set must give onnxruntime's bits.
@Suite struct SmallMatMulTests {
    static let inputs = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w",
                         "x1", "w1", "x2", "w2", "x3", "w3"]
    static let outputs = ["ya", "yb", "yc", "yd", "ye", "yf", "yg", "yh", "yi", "yj", "yk", "yl", "ym", "yn", "yo"]

    @Test(arguments: [CompileOptions(kernels: .reference, arithmetic: .avx2), CompileOptions(kernels: .fast, arithmetic: .avx2),
                      CompileOptions(kernels: .fast, arithmetic: .avx2, kernelSet: .portable)])
    func productsEqualOnnxRuntime(options: CompileOptions) throws {
        let graph = try CompiledGraph(path: Fixtures.data("RuntimeTests", "small-matmul.onnx"), options: options)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "small-matmul.bin"))
        for name in Self.inputs { graph.setInput(name, bundle.floats(name)) }
        graph.run()
        for name in Self.outputs {
            let expected = bundle.floats(name), ours = graph.floats(name)
            #expect(ours.count == expected.count && !expected.isEmpty, "\(name)")
            let differing = zip(ours, expected).filter { $0.0.bitPattern != $0.1.bitPattern }.count
            #expect(differing == 0, "\(name): \(differing) of \(expected.count) values differ")
        }
    }
}
