import Dispatch
import Foundation
import Recognizer
import ModelRuntime
import Testing
import TestSupport

/// Prints rough timings of the model when `ASR_TIMING` is set (asserts nothing; `asr bench` is the
/// benchmark). Run: ASR_TIMING=1 swift test -c release --filter TimingReport (with ASR_TOP_STEPS=N it
/// also lists the N slowest steps of each mode)
@Suite struct TimingReport {
    static let enabled = ProcessInfo.processInfo.environment["ASR_TIMING"] != nil && Fixtures.modelDirectory != nil

    /// The encoder's time per chunk, best of 20 runs of 10 chunks, after one warm-up chunk.
    static func bestEncoderMilliseconds(_ model: TransducerNetwork, features: [Float], into encoded: inout [Float]) throws -> Double {
        try features.withUnsafeBufferPointer { input in
            try encoded.withUnsafeMutableBufferPointer { output in
                try model.encode(features: input, into: output)
                var best = Double.infinity
                for _ in 0..<20 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<10 { try model.encode(features: input, into: output) }
                    best = min(best, milliseconds(since: start, runs: 10))
                }
                return best
            }
        }
    }

    static func milliseconds(since start: UInt64, runs: Int) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(runs)
    }

    @Test(.enabled(if: enabled, "set ASR_TIMING=1 to print timings"))
    func encoderDecoderJoiner() throws {
        let d = Fixtures.modelDirectory!
        let model = try TransducerModel(encoderPath: "\(d)/encoder.int8.onnx", decoderPath: "\(d)/decoder.onnx",
                                        joinerPath: "\(d)/joiner.int8.onnx", options: CompileOptions(kernels: .fastInGraphOrder))
        let features = try TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity.bin")).floats("x.0")
        var encoded = [Float](repeating: 0, count: model.encoderFramesPerChunk * model.joinerInputDimension)
        var decoded = [Float](repeating: 0, count: model.joinerInputDimension)
        var logits = [Float](repeating: 0, count: model.vocabularySize)
        let context: [Int64] = [0, 17]
        let network = model.makeNetwork()
        let ordered = try TransducerModel(encoderPath: "\(d)/encoder.int8.onnx", decoderPath: "\(d)/decoder.onnx",
                                          joinerPath: "\(d)/joiner.int8.onnx")
        for (label, timed) in [("the graph's order", model), ("onnxruntime's order (the default)", ordered)] {
            let best = try Self.bestEncoderMilliseconds(timed.makeNetwork(), features: features, into: &encoded)
            print("encoder in \(label): \(best) ms per chunk (best of 20 x 10 chunks)")
        }
        try context.withUnsafeBufferPointer { tokens in
            try decoded.withUnsafeMutableBufferPointer { output in
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<1000 { try network.decode(context: tokens, into: output) }
                print("decoder: \(Self.milliseconds(since: start, runs: 1000) * 1000) us per call")
            }
        }
        try encoded.withUnsafeBufferPointer { frames in
            try decoded.withUnsafeBufferPointer { decoder in
                try logits.withUnsafeMutableBufferPointer { output in
                    let frame = UnsafeBufferPointer(rebasing: frames[0..<model.joinerInputDimension])
                    let start = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<1000 { try network.join(encoderFrame: frame, decoderOutput: decoder, into: output) }
                    print("joiner: \(Self.milliseconds(since: start, runs: 1000) * 1000) us per call")
                }
            }
        }
        for mode in [KernelSelection.fastInGraphOrder, .fast] {
            let encoder = try CompiledGraph(path: "\(d)/encoder.int8.onnx", options: CompileOptions(kernels: mode))
            encoder.run()
            // The fastest of 50 runs per step: other processes on the machine only ever add time.
            var steps = encoder.profileSteps(iterations: 1)
            for _ in 1..<50 {
                for (index, step) in encoder.profileSteps(iterations: 1).enumerated() where step.seconds < steps[index].seconds {
                    steps[index].seconds = step.seconds
                }
            }
            let total = steps.reduce(0) { $0 + $1.seconds }
            print("encoder (\(mode)): \(total * 1000) ms per chunk over all steps (fastest run of each)")
            if let top = ProcessInfo.processInfo.environment["ASR_TOP_STEPS"].map({ Int($0) ?? 12 }) {
                for step in steps.sorted(by: { $0.seconds > $1.seconds }).prefix(top) {
                    print("top (\(mode)) \(step.opType) \(step.kernel) \(step.output): \(step.seconds * 1e6) us")
                }
            }
            var byType: [String: Double] = [:]
            for step in steps { byType[step.opType, default: 0] += step.seconds }
            for (op, seconds) in byType.sorted(by: { $0.value > $1.value }).prefix(8) {
                print("encoder (\(mode)) \(op): \(seconds * 1000) ms per chunk")
            }
            // The embedding's convolutions (ungrouped or 2-D depthwise, with their Swoosh when it is
            // fused) and the step after each.
            for (index, step) in steps.enumerated() where step.opType.hasPrefix("Conv") && !step.output.contains("causal_conv") && !step.output.contains("chunkwise_conv") {
                print("encoder (\(mode)) \(step.kernel) \(step.output): \(step.seconds * 1e6) us")
                if index + 1 < steps.count {
                    let next = steps[index + 1]
                    print("encoder (\(mode))   then \(next.opType) \(next.output): \(next.seconds * 1e6) us")
                }
            }
        }
    }
}
