import Benchmark
#if arch(x86_64)
import CKernels
#endif
import Foundation
import Recognizer
import ModelRuntime
import TestSupport

/// The runtime's kernels and the encoder per chunk, in each execution mode.
/// Run: `ASR_MODEL=DIR swift package benchmark --target RuntimeBenchmarks`.
/// Malloc counts include the harness's own per sample: the empty benchmark shows that baseline.
/// `tools/time-onnxruntime-encoder.py` times onnxruntime on the same chunk for the ratio.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .microseconds,
        warmupIterations: 10,
        maxDuration: .seconds(3),
        maxIterations: 2000
    )

    // Nothing: the harness's own mallocs and time per sample, to subtract from the others.
    Benchmark("empty body (harness baseline)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(0) }
    }

    // Float elementwise chains (Swoosh, gate, clamps) over 1003 values: one fused loop each.
    for mode in [KernelSelection.reference, .fastInGraphOrder] {
        guard let graph = try? CompiledGraph(path: Fixtures.data("RuntimeTests", "elementwise-chains.onnx"), options: CompileOptions(kernels: mode))
        else { continue }
        let x = graph.input(at: graph.inputIndex("x")!).assumingMemoryBound(to: Float.self)
        for i in 0..<1003 { x[i] = Float(i % 97) / 8 - 6 }
        graph.input(at: graph.inputIndex("s")!).assumingMemoryBound(to: Float.self).pointee = 0.5
        Benchmark("elementwise chains, 1003 values (\(mode))") { benchmark in
            for _ in benchmark.scaledIterations { graph.run() }
        }
    }

    #if arch(x86_64)
    // The int8 product on AVX512-VNNI registers and on AMX tiles (the same int32 sums), rows x K x N:
    // a chunk through a 70M feed-forward layer, one row through a joiner, and the size below which
    // `Int8Linear` keeps VNNI.
    if asr_cpu_has_avx512_vnni() != 0 {
        let amx = asr_cpu_enable_amx_int8() != 0
        for (rows, k, n) in [(16, 512, 2048), (1, 512, 512), (1, 128, 128)] {
            let blocks = (n + 15) / 16 * 2
            let activations = (0..<(rows * k)).map { UInt8(truncatingIfNeeded: $0 &* 37) }
            let weights = (0..<(blocks * 8 * k)).map { Int8(truncatingIfNeeded: $0 &* 91) }
            var sums = [Int32](repeating: 0, count: rows * blocks * 8)
            Benchmark("int8 product \(rows) x \(k) x \(n) (VNNI)") { benchmark in
                for _ in benchmark.scaledIterations {
                    asr_u8s8_product_vnni(Int32(rows), Int32(k), Int32(blocks), activations, weights, &sums)
                }
            }
            guard amx else { continue }
            Benchmark("int8 product \(rows) x \(k) x \(n) (AMX)") { benchmark in
                for _ in benchmark.scaledIterations {
                    asr_u8s8_product_amx(Int32(rows), Int32(k), Int32(blocks), activations, weights, &sums)
                }
            }
        }
    }
    #endif

    guard let directory = Fixtures.modelDirectory else {
        print("RuntimeBenchmarks: no model directory (set ASR_MODEL); model benchmarks skipped")
        return
    }
    let features = (try? TensorBundle(path: Fixtures.data("RuntimeTests", "encoder-parity.bin")).floats("x.0")) ?? []

    // The fp32 graphs with their linears quantized at load (decoder 320 -> 320, joiner 320 -> 500;
    // `quantizesFloatLinears`, `--quantize-fp32`) or kept fp32 (the default).
    for quantizes in [true, false] {
        let label = quantizes ? "quantized at load" : "kept fp32"
        guard let decoder = try? CompiledGraph(path: "\(directory)/decoder.onnx", options: CompileOptions(quantizesFloatLinears: quantizes)),
              let joiner = try? CompiledGraph(path: "\(directory)/original/joiner.fp32.onnx", options: CompileOptions(quantizesFloatLinears: quantizes)),
              let y = decoder.inputNames.first
        else { continue }
        decoder.input(at: decoder.inputIndex(y)!).assumingMemoryBound(to: Int64.self).update(from: [17, 233], count: 2)
        for name in joiner.inputNames {
            let values = joiner.input(at: joiner.inputIndex(name)!).assumingMemoryBound(to: Float.self)
            for i in 0..<(joiner.type(of: name)?.count ?? 0) { values[i] = Float(i % 13) / 16 - 0.4 }
        }
        Benchmark("fp32 decoder call (\(label))") { benchmark in
            for _ in benchmark.scaledIterations { decoder.run() }
        }
        Benchmark("fp32 joiner call (\(label))") { benchmark in
            for _ in benchmark.scaledIterations { joiner.run() }
        }
    }

    for mode in [KernelSelection.reference, .fastInGraphOrder, .fast] {
        guard let model = try? TransducerModel(encoderPath: "\(directory)/encoder.int8.onnx", decoderPath: "\(directory)/decoder.onnx",
                                               joinerPath: "\(directory)/joiner.int8.onnx", options: CompileOptions(kernels: mode)),
              features.count == model.chunkLength * model.featureDimension
        else { continue }
        var encoded = [Float](repeating: 0, count: model.encoderFramesPerChunk * model.joinerInputDimension)
        var decoded = [Float](repeating: 0, count: model.joinerInputDimension)
        var logits = [Float](repeating: 0, count: model.vocabularySize)
        let context: [Int64] = [17, 233]
        let network = model.makeNetwork()

        // One encoder chunk (45 feature frames in, 8 frames out) with carried state.
        Benchmark("encoder chunk (\(mode))") { benchmark in
            features.withUnsafeBufferPointer { input in
                encoded.withUnsafeMutableBufferPointer { output in
                    for _ in benchmark.scaledIterations { try? network.encode(features: input, into: output) }
                }
            }
        }
        // The decoder for one token context.
        Benchmark("decoder call (\(mode))") { benchmark in
            context.withUnsafeBufferPointer { tokens in
                decoded.withUnsafeMutableBufferPointer { output in
                    for _ in benchmark.scaledIterations { try? network.decode(context: tokens, into: output) }
                }
            }
        }
        // The joiner: int8 linear 320 -> 500 after tanh, for one (frame, context) pair.
        Benchmark("joiner call (\(mode))") { benchmark in
            encoded.withUnsafeBufferPointer { frames in
                decoded.withUnsafeBufferPointer { decoder in
                    logits.withUnsafeMutableBufferPointer { output in
                        let frame = UnsafeBufferPointer(rebasing: frames[0..<model.joinerInputDimension])
                        for _ in benchmark.scaledIterations { try? network.join(encoderFrame: frame, decoderOutput: decoder, into: output) }
                    }
                }
            }
        }
    }
}
