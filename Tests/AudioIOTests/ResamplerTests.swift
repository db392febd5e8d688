import AudioIO
import Foundation
import Testing
import TestSupport

/// Frequency response of the resampler measured with pure tones: gain in the passband, leakage of
/// everything that must not reach the output (aliases when downsampling, images when upsampling).
@Suite struct ResamplerTests {
    struct Response {
        /// Gain at the tone's frequency, dB.
        let gain: Double
        /// Everything in the output except the tone, relative to the input tone, dB.
        let leakage: Double
    }

    /// Resamples a unit tone of `frequency` Hz in uneven blocks and fits a sinusoid to the output.
    static func response(from inputRate: Int, to outputRate: Int, frequency: Double) -> Response {
        let resampler = Resampler(inputRate: inputRate, outputRate: outputRate)
        let seconds = 0.5
        let input = (0..<Int(seconds * Double(inputRate))).map { Float(sin(2 * Double.pi * frequency * Double($0) / Double(inputRate))) }
        var output: [Float] = []
        var start = 0
        for size in [1, 999, 4096, 123_457] {
            let end = min(input.count, start + size)
            output += resampler.process(Array(input[start..<end]))
            start = end
        }
        output += resampler.flush()
        // Steady state only: skip the first and last 50 ms where the filter sees the edges.
        let margin = outputRate / 20
        let window = margin..<(output.count - margin)
        let omega = 2 * Double.pi * frequency / Double(outputRate)
        let representable = frequency < Double(outputRate) / 2
        var sine = 0.0, cosine = 0.0
        if representable {
            for n in window {
                sine += Double(output[n]) * sin(omega * Double(n))
                cosine += Double(output[n]) * cos(omega * Double(n))
            }
            sine *= 2 / Double(window.count)
            cosine *= 2 / Double(window.count)
        }
        var residual = 0.0
        for n in window {
            let fitted = sine * sin(omega * Double(n)) + cosine * cos(omega * Double(n))
            let error = Double(output[n]) - fitted
            residual += error * error
        }
        let amplitude = (sine * sine + cosine * cosine).squareRoot()
        // A unit sine has power 1/2.
        let leakage = 10 * log10(max(residual / Double(window.count), 1e-30) / 0.5)
        return Response(gain: 20 * log10(max(amplitude, 1e-15)), leakage: leakage)
    }

    /// The reference resampler's output (tools/make-resampler-golden.py, through sherpa-onnx's C API).
    static func golden(_ rate: Int, _ name: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("AudioIOTests", "resampler/\(rate).\(name).f32")))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// Feeds `input` in pieces of `pieceSize`, flushing at the end or not.
    static func resample(_ input: [Float], from rate: Int, pieceSize: Int, flush: Bool) -> [Float] {
        let resampler = Resampler(inputRate: rate, outputRate: 16_000)
        var output: [Float] = []
        var start = 0
        while start < input.count {
            let end = min(input.count, start + pieceSize)
            output += resampler.process(Array(input[start..<end]))
            start = end
        }
        return flush ? output + resampler.flush() : output
    }

    /// Equal to the reference value for value, however the input is split, so a file at any rate
    /// reaches the fbank exactly as it does in sherpa-onnx.
    @Test(arguments: [8_000, 22_050, 44_100, 48_000])
    func equalsTheReferenceResamplerBitForBit(rate: Int) throws {
        let input = try Self.golden(rate, "input")
        for (name, flush) in [("streamed", false), ("flushed", true)] {
            let expected = try Self.golden(rate, name)
            for pieceSize in [1, 160, 1000, input.count] {
                let output = Self.resample(input, from: rate, pieceSize: pieceSize, flush: flush)
                #expect(output.count == expected.count, "\(rate) Hz \(name), pieces of \(pieceSize): \(output.count) samples, reference \(expected.count)")
                let differing = zip(output, expected).filter { $0.0.bitPattern != $0.1.bitPattern }.count
                #expect(differing == 0, "\(rate) Hz \(name), pieces of \(pieceSize): \(differing) samples differ")
            }
        }
    }

    /// The reference's filter (6 zero crossings, cutoff at 0.99 of 8 kHz) is short: measured ripple
    /// 0.055 dB over 50-6000 Hz, and tones above 9 kHz leak through as aliases at up to -16.8 dB.
    /// It is what the reference recognizer feeds the model; these bounds pin its response, so a
    /// change of filter shows up here.
    @Test(arguments: [22_050, 44_100, 48_000])
    func downsamplingTo16kHz(inputRate: Int) {
        var worstRipple = 0.0, worstPassLeak = -300.0, worstStop = -300.0
        for frequency in stride(from: 50.0, through: 6_000, by: 250) {
            let response = Self.response(from: inputRate, to: 16_000, frequency: frequency)
            worstRipple = max(worstRipple, abs(response.gain))
            worstPassLeak = max(worstPassLeak, response.leakage)
        }
        for frequency in stride(from: 9_000.0, to: Double(inputRate) / 2, by: 337) {
            worstStop = max(worstStop, Self.response(from: inputRate, to: 16_000, frequency: frequency).leakage)
        }
        print("\(inputRate) -> 16000 Hz: passband 50-6000 Hz ripple \(String(format: "%.4f", worstRipple)) dB, "
              + "passband leakage \(String(format: "%.1f", worstPassLeak)) dB, above 9 kHz \(String(format: "%.1f", worstStop)) dB")
        #expect(worstRipple < 0.1)
        #expect(worstPassLeak < -70)
        #expect(worstStop < -15)
    }

    @Test func outputLengthFollowsTheRateRatio() {
        for (input, output) in [(22_050, 16_000), (8_000, 16_000), (48_000, 16_000), (44_101, 16_000)] {
            let resampler = Resampler(inputRate: input, outputRate: output)
            let samples = resampler.process([Float](repeating: 0.25, count: input)) + resampler.flush()
            #expect(samples.count == output, "\(input) Hz")
            // DC passes with unit gain away from the edges.
            #expect(abs(samples[output / 2] - 0.25) < 1e-3, "\(input) Hz")
        }
    }
}
