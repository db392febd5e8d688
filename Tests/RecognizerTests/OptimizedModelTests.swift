import Recognizer
import ModelRuntime
import Testing
import TestSupport

/// The fused, re-quantized model (`.fastInGraphOrder`) against onnxruntime's outputs over the 10 carried
/// chunks of the parity fixture, with the accuracy targets of the optimized mode.
@Suite struct OptimizedModelTests {
    static let directory = Fixtures.modelDirectory

    static func argmax(_ values: ArraySlice<Float>) -> Int {
        var best = values.startIndex
        for i in values.indices where values[i] > values[best] { best = i }
        return best - values.startIndex
    }

    /// encoder_out of all 10 chunks, state carried.
    static func encode(_ model: TransducerNetwork, _ bundle: TensorBundle) throws -> [Float] {
        var all: [Float] = []
        var output = [Float](repeating: 0, count: model.encoderFramesPerChunk * model.joinerInputDimension)
        for chunk in 0..<10 {
            try bundle.floats("x.\(chunk)").withUnsafeBufferPointer { input in
                try output.withUnsafeMutableBufferPointer { try model.encode(features: input, into: $0) }
            }
            all += output
        }
        return all
    }

    /// Per encoder frame, the joiner's best token after the blank context [0, 0] (the first step of search).
    static func bestTokens(_ model: TransducerNetwork, frames: [Float]) throws -> [Int] {
        let width = model.joinerInputDimension
        var decoded = [Float](repeating: 0, count: width), logits = [Float](repeating: 0, count: model.vocabularySize)
        let context: [Int64] = [0, 0]
        try context.withUnsafeBufferPointer { tokens in
            try decoded.withUnsafeMutableBufferPointer { try model.decode(context: tokens, into: $0) }
        }
        var best: [Int] = []
        for frame in 0..<(frames.count / width) {
            try Array(frames[(frame * width)..<((frame + 1) * width)]).withUnsafeBufferPointer { encoded in
                try decoded.withUnsafeBufferPointer { decoder in
                    try logits.withUnsafeMutableBufferPointer { try model.join(encoderFrame: encoded, decoderOutput: decoder, into: $0) }
                }
            }
            best.append(argmax(logits[...]))
        }
        return best
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func encoderStaysWithinOnePercentOfOnnxRuntime() throws {
        let model = try TransducerModelTests.load(kernels: .fastInGraphOrder)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity.bin"))
        let ours = try Self.encode(model.makeNetwork(), bundle)
        let expected = (0..<10).flatMap { bundle.floats("encoder_out.\($0)") }
        let meanMagnitude = expected.reduce(0) { $0 + abs($1) } / Float(expected.count)
        let diff = differences(ours, expected)
        print("optimized encoder_out: mean |diff| \(diff.mean), max \(diff.max), mean |y| \(meanMagnitude)")
        #expect(diff.mean <= 0.01 * meanMagnitude)
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func joinerArgmaxAgreesWithTheReferenceGraph() throws {
        let optimized = try TransducerModelTests.load(kernels: .fastInGraphOrder)
        let reference = try TransducerModelTests.load(kernels: .reference)
        let bundle = try TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity.bin"))
        // The reference path follows onnxruntime (TransducerModelTests); the optimized one is compared to it end to end.
        let expected = try Self.bestTokens(reference.makeNetwork(), frames: try Self.encode(reference.makeNetwork(), bundle))
        let ours = try Self.bestTokens(optimized.makeNetwork(), frames: try Self.encode(optimized.makeNetwork(), bundle))
        let agreeing = zip(ours, expected).filter { $0 == $1 }.count
        print("joiner argmax agrees on \(agreeing) of \(expected.count) frames")
        #expect(expected.count == 80)
        #expect(Double(agreeing) >= 0.99 * Double(expected.count))
    }

    @Test(.enabled(if: directory != nil, "model directory not found"))
    func optimizedGraphsFuseEveryQuantizedLinear() throws {
        let model = try TransducerModelTests.load(kernels: .fastInGraphOrder)
        let counts = model.operatorCounts
        // 104 constant-weight chains in the encoder, all fused; the 6 batched ones (attention) stay.
        #expect(counts.encoder["FusedInt8Linear"] == 104)
        #expect(counts.encoder["MatMulInteger"] == 6)
        #expect(counts.joiner["MatMulInteger"] == nil)
    }
}
