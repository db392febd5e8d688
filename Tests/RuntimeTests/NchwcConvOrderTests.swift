import ModelRuntime
import Testing
import TestSupport

/// 2-D convolutions that onnxruntime's optimized graph runs in its NCHWc layout (fixtures from
/// tools/make-nchwc-conv-fixtures.py): 8-channel blocks with 12 filters and asymmetric padding, a
/// 1x1 Conv over 128 + 8 channels, a Conv over 3 channels, a padded depthwise Conv, and the register
/// tiles' edges (tiles spanning rows and overlapping, output-channel groups of 16 and 8, fewer
/// positions than a tile), a Conv over one input channel, and a depthwise Conv with rows of three
/// vectors (its four-row groups, the last overlapping), and three convolutions followed by a Swoosh
/// activation (blocked, one input channel, depthwise), which `.fast` runs as one
/// step each (`ConvActivationFusion`). `.fast`
/// rounds as the optimized graph does, `.reference` as the unoptimized one; most values differ
/// in the last bits between the two.
@Suite struct NchwcConvOrderTests {
    @Test(arguments: [KernelSelection.reference, .fast])
    func convolutionsRoundAsOnnxRuntimeDoes(mode: KernelSelection) throws {
        let graph = try CompiledGraph(path: Fixtures.data("RuntimeTests", "nchwc-conv.onnx"), options: CompileOptions(kernels: mode, arithmetic: .avx2))
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "nchwc-conv.bin"))
        for name in ["xb", "xp", "xn", "xd", "xt", "xq", "xs", "xo", "xw", "xa", "xz", "xc"] { graph.setInput(name, bundle.floats(name)) }
        if mode == .fast {
            #expect(graph.operatorCounts["ConvSwoosh"] == 3)
            #expect(graph.operatorCounts["Swoosh"] == nil)
        }
        graph.run()
        for name in ["yb", "yp", "yn", "yd", "yt", "yq", "ys", "yo", "yw", "ya", "yz", "yc"] {
            let expected = bundle.floats(mode == .fast ? name : name + ".unoptimized"), ours = graph.floats(name)
            #expect(ours.count == expected.count && !expected.isEmpty, "\(name)")
            let differing = zip(ours, expected).filter { $0.0.bitPattern != $0.1.bitPattern && $0.0 != $0.1 }.count
            #expect(differing == 0, "\(name): \(differing) of \(expected.count) values differ")
        }
    }
}
