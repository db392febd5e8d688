import ModelRuntime
import Recognizer
import Testing
import TestSupport

/// `RecognizerConfiguration.compileOptions.quantizesFloatLinears` reaches the model: fp32 graphs
/// stay fp32 by default, the fp32 joiner runs as an int8 linear on request (`--quantize-fp32`), and
/// the decoder stays fp32 either way.
@Suite(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found")) struct FloatWeightOptionTests {
    func model(quantizesFloatLinears: Bool) throws -> TransducerModel {
        let directory = try #require(Fixtures.modelDirectory)
        let options = CompileOptions(quantizesFloatLinears: quantizesFloatLinears)
        let recognizer = try Recognizer(modelDirectory: directory, configuration: .init(compileOptions: options))
        return try #require(recognizer.model as? TransducerModel)
    }

    @Test func theDecoderStaysFp32() throws {
        let byDefault = try model(quantizesFloatLinears: false), quantized = try model(quantizesFloatLinears: true)
        #expect(byDefault.operatorCounts.decoder["Gemm"] == 1)
        #expect(byDefault.operatorCounts.decoder["QuantizedLinear"] == nil)
        #expect(quantized.operatorCounts.decoder["Gemm"] == 1)
        #expect(quantized.operatorCounts.decoder["QuantizedLinear"] == nil)
        // The int8 encoder and joiner have no fp32 linears with constant weights: unchanged either way.
        #expect(quantized.operatorCounts.encoder == byDefault.operatorCounts.encoder)
        #expect(quantized.operatorCounts.joiner == byDefault.operatorCounts.joiner)
    }

    @Test func fp32JoinerIsKeptByDefaultAndQuantizedOnRequest() throws {
        let directory = try #require(Fixtures.modelDirectory)
        func joinerCounts(quantizesFloatLinears: Bool) throws -> [String: Int] {
            try TransducerModel(encoderPath: "\(directory)/encoder.int8.onnx", decoderPath: "\(directory)/decoder.onnx",
                                joinerPath: "\(directory)/original/joiner.fp32.onnx",
                                options: CompileOptions(quantizesFloatLinears: quantizesFloatLinears)).operatorCounts.joiner
        }
        #expect(try joinerCounts(quantizesFloatLinears: true)["QuantizedLinear"] == 1)
        #expect(try joinerCounts(quantizesFloatLinears: false)["Gemm"] == 1)
    }
}
