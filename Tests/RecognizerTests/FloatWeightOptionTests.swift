import ModelRuntime
import Recognizer
import Testing
import TestSupport

/// `RecognizerConfiguration.floatWeightQuantization` reaches the model: fp32 graphs stay fp32 by
/// default, the fp32 joiner runs as an int8 linear with `.encoderAndJoiner` (`--quantize-fp32`), and
/// the decoder only when asked for by name.
@Suite(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found")) struct FloatWeightOptionTests {
    func model(_ quantization: FloatWeightQuantization?) throws -> TransducerModel {
        let directory = try #require(Fixtures.modelDirectory)
        let recognizer = try quantization.map {
            try Recognizer(modelDirectory: directory, configuration: .init(floatWeightQuantization: $0))
        } ?? Recognizer(modelDirectory: directory)
        return try #require(recognizer.model as? TransducerModel)
    }

    @Test func configurationChoosesTheDecoderPrecision() throws {
        let byDefault = try model(nil), kept = try model(.encoderAndJoiner), quantized = try model(.all)
        #expect(byDefault.operatorCounts.decoder["Gemm"] == 1)
        #expect(byDefault.operatorCounts.decoder["QuantizedLinear"] == nil)
        #expect(kept.operatorCounts.decoder["Gemm"] == 1)
        #expect(quantized.operatorCounts.decoder["QuantizedLinear"] == 1)
        #expect(quantized.operatorCounts.decoder["Gemm"] == nil)
        // The int8 encoder and joiner have no fp32 linears with constant weights: unchanged either way.
        #expect(quantized.operatorCounts.encoder == kept.operatorCounts.encoder)
        #expect(quantized.operatorCounts.joiner == kept.operatorCounts.joiner)
    }

    @Test func fp32JoinerIsKeptByDefaultAndQuantizedOnRequest() throws {
        let directory = try #require(Fixtures.modelDirectory)
        func joinerCounts(_ quantization: FloatWeightQuantization) throws -> [String: Int] {
            try TransducerModel(encoderPath: "\(directory)/encoder.int8.onnx", decoderPath: "\(directory)/decoder.onnx",
                                joinerPath: "\(directory)/original/joiner.fp32.onnx",
                                floatWeightQuantization: quantization).operatorCounts.joiner
        }
        #expect(try joinerCounts(.encoderAndJoiner)["QuantizedLinear"] == 1)
        #expect(try joinerCounts(.default)["Gemm"] == 1)
    }
}
