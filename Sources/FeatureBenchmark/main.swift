// Times our 512-point real FFT against FFTW (FFTW_MEASURE, one thread) and the streaming fbank per
// second of audio, in one run. Build and run: swift run -c release FeatureBenchmark
import CFFTW
import Features
import Foundation

/// Monotonic wall-clock seconds.
func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// CPU seconds used by this process (all threads; the benchmark uses one).
func cpuTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Best time per call of each body over `rounds` rounds of `calls` calls. The bodies alternate within
/// every round so they see the same machine load; the minimum is the least disturbed measurement.
func bestTimesPerCall(calls: Int, rounds: Int = 300, _ bodies: [() -> Void]) -> [Double] {
    var best = [Double](repeating: .infinity, count: bodies.count)
    for _ in 0..<rounds {
        for (index, body) in bodies.enumerated() {
            let start = now()
            for _ in 0..<calls { body() }
            best[index] = min(best[index], (now() - start) / Double(calls))
        }
    }
    return best
}

/// `FeatureBenchmark fbank-only SECONDS` only streams SECONDS of audio through the fbank (for counting
/// heap allocations under valgrind: the count must not grow with the length of the stream).
func streamFbank(seconds: Int) -> Int {
    var generator = SplitMix64(state: 7)
    let block = (0..<160).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
    let extractor = FbankExtractor()
    var output = [Float](repeating: 0, count: 80)
    block.withUnsafeBufferPointer { samples in
        output.withUnsafeMutableBufferPointer { row in
            for _ in 0..<(100 * seconds) {
                extractor.accept(samples)
                let ready = extractor.framesReady
                if ready > extractor.firstStoredFrame {
                    extractor.copyFrames(from: ready - 1, count: 1, into: row)
                    extractor.discardFrames(before: ready)
                }
            }
        }
    }
    extractor.inputFinished()
    return extractor.framesReady
}

if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "fbank-only", let seconds = Int(CommandLine.arguments[2]) {
    print("fbank-only: \(streamFbank(seconds: seconds)) frames")
    exit(0)
}

let size = 512
let calls = 4_000
/// A fixed-seed generator so every run times the same data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
var generator = SplitMix64(state: 2026)
let signal = (0..<size).map { _ in Float.random(in: -1...1, using: &generator) }

// FFTW: out-of-place real-to-complex, planned with FFTW_MEASURE, single thread (the library default).
let fftwInput = fftwf_alloc_real(size)!
let fftwOutput = fftwf_alloc_complex(size / 2 + 1)!
let plan = fftwf_plan_dft_r2c_1d(Int32(size), fftwInput, fftwOutput, FFTW_MEASURE)!
for i in 0..<size { fftwInput[i] = signal[i] }

let fft = RealFFT(count: size)
let ours = UnsafeMutableBufferPointer<Float>.allocate(capacity: size)
let power = UnsafeMutableBufferPointer<Float>.allocate(capacity: size / 2 + 1)
let input = UnsafeMutableBufferPointer<Float>.allocate(capacity: size)
_ = input.initialize(from: signal)
let times = bestTimesPerCall(calls: calls, [
    { fftwf_execute(plan) },
    { fft.forward(UnsafeBufferPointer(input), into: ours) },
    { fft.powerSpectrum(of: UnsafeBufferPointer(input), into: power) },
])
let (fftwSeconds, oursSeconds, powerSeconds) = (times[0], times[1], times[2])

// Sanity: both give the same spectrum.
var largestDifference: Float = 0
largestDifference = max(largestDifference, abs(ours[0] - fftwOutput[0].0), abs(ours[1] - fftwOutput[size / 2].0))
for k in 1..<(size / 2) {
    largestDifference = max(largestDifference, abs(ours[2 * k] - fftwOutput[k].0), abs(ours[2 * k + 1] - fftwOutput[k].1))
}

print(String(format: "fft %d real, FFTW r2c (FFTW_MEASURE): %8.1f ns/call", size, fftwSeconds * 1e9))
print(String(format: "fft %d real, ours (packed spectrum):  %8.1f ns/call  ratio ours/FFTW %.2f", size, oursSeconds * 1e9, oursSeconds / fftwSeconds))
print(String(format: "fft %d real, ours (power spectrum):   %8.1f ns/call  ratio ours/FFTW %.2f", size, powerSeconds * 1e9, powerSeconds / fftwSeconds))
print(String(format: "max |ours - FFTW| over the spectrum: %.3g", largestDifference))
fftwf_destroy_plan(plan)

// Fbank: 60 s of noisy tone fed in 10 ms pieces, CPU seconds per second of audio (best of 3 runs),
// without dither and with the recognizer's default (one 16-bit step).
let sampleRate = 16000
let audio = (0..<(60 * sampleRate)).map { index in
    0.5 * sin(Float(index) * 0.1) + Float.random(in: -0.1...0.1, using: &generator)
}
let audioSeconds = Double(audio.count) / Double(sampleRate)
var dithered = FbankOptions()
dithered.dither = 1.0 / 32768
for (label, options) in [("fbank", FbankOptions()), ("fbank, dither 1/32768", dithered)] {
    var bestCPU = Double.infinity
    var frameCount = 0
    for _ in 0..<3 {
        let start = cpuTime()
        let extractor = FbankExtractor(options: options)
        audio.withUnsafeBufferPointer { all in
            var position = 0
            while position < all.count {
                let end = min(position + 160, all.count)
                extractor.accept(UnsafeBufferPointer(rebasing: all[position..<end]))
                extractor.discardFrames(before: extractor.framesReady)
                position = end
            }
        }
        extractor.inputFinished()
        frameCount = extractor.framesReady
        bestCPU = min(bestCPU, cpuTime() - start)
    }
    print(String(format: "%@: %d frames from %.0f s of audio in %.4f s CPU: %.6f s CPU per second of audio (%.2f us/frame)",
                 label, frameCount, audioSeconds, bestCPU, bestCPU / audioSeconds, bestCPU / Double(frameCount) * 1e6))
}
