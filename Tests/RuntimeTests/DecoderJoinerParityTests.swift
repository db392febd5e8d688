import ModelRuntime
import Testing
import TestSupport

/// Decoder and joiner graphs against onnxruntime (fixtures from tools/make-runtime-parity.py), one row at a time.
@Suite struct DecoderJoinerParityTests {
    static let model = Fixtures.modelDirectory

    @Test(.enabled(if: model != nil, "model directory not found"))
    func decoderMatchesOnnxRuntime() throws {
        let decoder = try CompiledGraph(path: "\(Self.model!)/decoder.onnx", options: .reference)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "decoder-parity.bin"))
        #expect(decoder.type(of: "y") == TensorType(.int64, [1, 2]))
        let contexts = bundle.int64s("y"), expected = bundle.floats("decoder_out")
        let rows = contexts.count / 2, width = expected.count / rows
        var worst: Float = 0
        for row in 0..<rows {
            decoder.setInput("y", Array(contexts[(2 * row)..<(2 * row + 2)]))
            decoder.run()
            worst = max(worst, differences(decoder.floats("decoder_out"), Array(expected[(row * width)..<((row + 1) * width)])).max)
        }
        print("decoder.onnx: max abs diff \(worst) over \(rows) contexts")
        #expect(worst <= 1e-4)
    }

    func joinerDifference(_ file: String, expected name: String) throws -> Float {
        let joiner = try CompiledGraph(path: "\(Self.model!)/\(file)", options: .reference)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "joiner-parity.bin"))
        let encoder = bundle.floats("encoder_out"), decoder = bundle.floats("decoder_out"), expected = bundle.floats(name)
        let rows = bundle.shape("encoder_out")[0], width = bundle.shape("encoder_out")[1], vocabulary = expected.count / rows
        var worst: Float = 0
        for row in 0..<rows {
            joiner.setInput("encoder_out", Array(encoder[(row * width)..<((row + 1) * width)]))
            joiner.setInput("decoder_out", Array(decoder[(row * width)..<((row + 1) * width)]))
            joiner.run()
            let diff = differences(joiner.floats("logit"), Array(expected[(row * vocabulary)..<((row + 1) * vocabulary)]))
            worst = max(worst, diff.max)
        }
        print("\(file): max abs diff \(worst) over \(rows) rows")
        return worst
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func int8JoinerMatchesOnnxRuntime() throws {
        #expect(try joinerDifference("joiner.int8.onnx", expected: "logit.int8") <= 1e-4)
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func fp32JoinerMatchesOnnxRuntime() throws {
        #expect(try joinerDifference("original/joiner.fp32.onnx", expected: "logit.fp32") <= 1e-4)
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func int8DecoderRunsAndAgreesWithFp32Decoder() throws {
        // The int8 decoder (DequantizeLinear, DynamicQuantizeLinear, MatMulInteger) has no fixture of
        // its own; it must stay close to the fp32 decoder it was quantized from.
        let fp32 = try CompiledGraph(path: "\(Self.model!)/decoder.onnx", options: .reference)
        let int8 = try CompiledGraph(path: "\(Self.model!)/original/decoder.int8.onnx", options: .reference)
        for graph in [fp32, int8] {
            graph.setInput("y", [Int64(17), 233])
            graph.run()
        }
        let diff = differences(fp32.floats("decoder_out"), int8.floats("decoder_out"))
        #expect(diff.mean < 0.05)
    }
}
