import ModelRuntime
import Testing
import TestSupport

/// fp32 linears quantized at load (`CompileOptions.quantizesFloatLinears`): the int8 scheme's exact
/// numbers on a synthetic graph (tools/make-quantized-linear-golden.py), and on the model's fp32
/// joiner and decoder closeness to the fp32 graph; keeping fp32 reproduces the reference kernels exactly.
@Suite struct FloatLinearQuantizationTests {
    static let model = Fixtures.modelDirectory

    @Test func syntheticLinearsEqualTheSchemeComputedInNumpy() throws {
        let path = Fixtures.data("RuntimeTests", "float-linears.onnx")
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "float-linears.bin"))
        let graph = try CompiledGraph(path: path, options: CompileOptions(quantizesFloatLinears: true))
        // The two large linears are quantized; the 16 x 16 Gemm (256 weights) is under the threshold.
        #expect(graph.operatorCounts["QuantizedLinear"] == 2)
        #expect(graph.operatorCounts["Gemm"] == 1)
        #expect(graph.operatorCounts["MatMul"] == nil)
        graph.setInput("x", bundle.floats("x"))
        graph.run()
        #expect(graph.floats("gemm") == bundle.floats("gemm.int8"))
        #expect(graph.floats("mm") == bundle.floats("mm.int8"))
        #expect(differences(graph.floats("small"), bundle.floats("small.fp32")).max <= 1e-5)
        // Quantized, but near fp32: the int8 results stay within 2 % of the output range.
        for name in ["gemm", "mm"] {
            let fp32 = bundle.floats("\(name).fp32")
            let range = fp32.max()! - fp32.min()!
            #expect(differences(graph.floats(name), fp32).max <= 0.02 * range, "\(name)")
        }
    }

    @Test func keepingFp32EqualsReference() throws {
        let path = Fixtures.data("RuntimeTests", "float-linears.onnx")
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "float-linears.bin"))
        let kept = try CompiledGraph(path: path)
        let reference = try CompiledGraph(path: path, options: .reference)
        #expect(kept.operatorCounts["QuantizedLinear"] == nil)
        #expect(kept.operatorCounts["Gemm"] == 2)
        for graph in [kept, reference] {
            graph.setInput("x", bundle.floats("x"))
            graph.run()
        }
        for name in ["gemm", "mm", "small"] { #expect(kept.floats(name) == reference.floats(name), "\(name)") }
    }

    @Test func referenceModeIgnoresTheFlag() throws {
        let graph = try CompiledGraph(path: Fixtures.data("RuntimeTests", "float-linears.onnx"), options: CompileOptions(kernels: .reference, quantizesFloatLinears: true))
        #expect(graph.operatorCounts["QuantizedLinear"] == nil)
    }

    /// The fp32 joiner's logits, one fixture pair per call, from a graph built with `quantizes`.
    func joinerLogits(mode: KernelSelection, quantizes: Bool) throws -> (graph: CompiledGraph, rows: [[Float]]) {
        let joiner = try CompiledGraph(path: "\(Self.model!)/original/joiner.fp32.onnx", options: CompileOptions(kernels: mode, quantizesFloatLinears: quantizes))
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "joiner-parity.bin"))
        let encoder = bundle.floats("encoder_out"), decoder = bundle.floats("decoder_out")
        let rows = bundle.shape("encoder_out")[0], width = bundle.shape("encoder_out")[1]
        var logits: [[Float]] = []
        for row in 0..<rows {
            joiner.setInput("encoder_out", Array(encoder[(row * width)..<((row + 1) * width)]))
            joiner.setInput("decoder_out", Array(decoder[(row * width)..<((row + 1) * width)]))
            joiner.run()
            logits.append(joiner.floats("logit"))
        }
        return (joiner, logits)
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func quantizedFp32JoinerIsCloseAndAgreesOnArgmax() throws {
        let (quantized, ours) = try joinerLogits(mode: .fast, quantizes: true)
        let (_, expected) = try joinerLogits(mode: .reference, quantizes: false)
        #expect(quantized.operatorCounts["QuantizedLinear"] == 1)
        #expect(quantized.operatorCounts["Gemm"] == nil)
        #expect(ours.count == 6)
        var worstRelative: Float = 0
        for (a, b) in zip(ours, expected) {
            let range = b.max()! - b.min()!
            worstRelative = max(worstRelative, differences(a, b).max / range)
            #expect(a.firstIndex(of: a.max()!) == b.firstIndex(of: b.max()!))
        }
        // Measured: 0.0063 of the logit range on these 6 pairs (7-bit activations, int8 weights).
        print("joiner.fp32.onnx quantized: max |diff| / logit range \(worstRelative)")
        #expect(worstRelative <= 0.015)
        #expect(worstRelative > 0)
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func fp32JoinerKeptFp32EqualsReference() throws {
        let (kept, ours) = try joinerLogits(mode: .fast, quantizes: false)
        let (_, expected) = try joinerLogits(mode: .reference, quantizes: false)
        #expect(kept.operatorCounts["Gemm"] == 1)
        #expect(ours == expected)
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func quantizedDecoderIsCloseToFp32() throws {
        let quantized = try CompiledGraph(path: "\(Self.model!)/decoder.onnx", options: CompileOptions(quantizesFloatLinears: true))
        let kept = try CompiledGraph(path: "\(Self.model!)/decoder.onnx")
        let reference = try CompiledGraph(path: "\(Self.model!)/decoder.onnx", options: .reference)
        #expect(quantized.operatorCounts["QuantizedLinear"] == 1)
        #expect(quantized.operatorCounts["Gemm"] == nil)
        #expect(kept.operatorCounts["Gemm"] == 1)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "decoder-parity.bin"))
        let contexts = bundle.int64s("y")
        var worstRelative: Float = 0
        for row in 0..<(contexts.count / 2) {
            for graph in [quantized, kept, reference] {
                graph.setInput("y", Array(contexts[(2 * row)..<(2 * row + 2)]))
                graph.run()
            }
            let expected = reference.floats("decoder_out")
            #expect(kept.floats("decoder_out") == expected)
            let range = expected.max()! - expected.min()!
            worstRelative = max(worstRelative, differences(quantized.floats("decoder_out"), expected).max / range)
        }
        // Measured: 0.0045 of the output range over the 6 contexts.
        print("decoder.onnx quantized: max |diff| / output range \(worstRelative)")
        #expect(worstRelative <= 0.015)
        #expect(worstRelative > 0)
    }
}
