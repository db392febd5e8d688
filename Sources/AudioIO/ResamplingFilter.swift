import Foundation

/// The filter of Kaldi's `LinearResample`, the resampler sherpa-onnx runs on input that is not at
/// the model's rate: a Hann-windowed sinc with 6 zeros each side and its cutoff at 0.99 of half the
/// lower rate. Output sample n is the input evaluated at time n / outputRate (no delay).
///
/// The tables are computed with the reference's mix of Double and Float steps, so the weights, and
/// the resampled audio the fbank sees, equal the reference's bit for bit.
struct ResamplingFilter {
    static let zeroCrossings = 6
    /// The most weights a filter may have: rates recorders use need at most some thousands, while a
    /// rate sharing no factor with the other (say 546,338 Hz against 16 kHz) needs millions, and
    /// computing them would take seconds for a corrupt header.
    static let maximumWeights = 1 << 20

    /// How many weights the filter between these rates holds (an upper bound, computed without it).
    static func weightCount(inputRate: Int, outputRate: Int) -> Int {
        let outputUnit = outputRate / greatestCommonDivisor(inputRate, outputRate)
        let cutoff = 0.99 * 0.5 * Double(min(inputRate, outputRate))
        let tapsPerPhase = Int(Double(zeroCrossings) / cutoff * Double(inputRate)) + 2
        return outputUnit * tapsPerPhase
    }

    let inputRate: Int
    let outputRate: Int
    /// Input and output samples in one repeating unit (the rates divided by their gcd).
    let inputUnit: Int
    let outputUnit: Int
    /// Cutoff in Hz, as a Float like the reference's.
    let cutoff: Float
    /// Time is counted in ticks of 1 / lcm(rates) s, so both sample grids fall on whole ticks.
    let tickRate: Int
    /// The filter's half width in ticks, rounded down, computed in Float as the reference does.
    let windowWidthTicks: Int
    /// For output phase p (n mod outputUnit): the first input index relative to unit start, and
    /// its weights at `weightOffsets[p] ..< weightOffsets[p + 1]`.
    let firstIndex: [Int]
    let weightOffsets: [Int]
    let weights: [Float]

    init(inputRate: Int, outputRate: Int) {
        self.inputRate = inputRate
        self.outputRate = outputRate
        let divisor = Self.greatestCommonDivisor(inputRate, outputRate)
        inputUnit = inputRate / divisor
        outputUnit = outputRate / divisor
        cutoff = Float(0.99 * 0.5 * Double(Float(min(inputRate, outputRate))))
        let windowWidth = Double(Self.zeroCrossings) / (2.0 * Double(cutoff))
        tickRate = inputRate / divisor * outputRate
        windowWidthTicks = Int((Float(windowWidth) * Float(tickRate)).rounded(.down))
        var first: [Int] = [], offsets = [0], table: [Float] = []
        for phase in 0..<outputUnit {
            let outputTime = Double(phase) / Double(outputRate)
            let lowest = Int(((outputTime - windowWidth) * Double(inputRate)).rounded(.up))
            let highest = Int(((outputTime + windowWidth) * Double(inputRate)).rounded(.down))
            first.append(lowest)
            for index in lowest...highest {
                let delta = Double(index) / Double(inputRate) - outputTime
                table.append(Self.windowedSinc(Float(delta), cutoff: cutoff) / Float(inputRate))
            }
            offsets.append(table.count)
        }
        firstIndex = first
        weightOffsets = offsets
        weights = table
    }

    /// The filter h(t) = sinc(t) · Hann window(t), as the reference evaluates it for a Float t.
    static func windowedSinc(_ t: Float, cutoff: Float) -> Float {
        let zeros = Double(zeroCrossings), c = Double(cutoff), time = Double(t)
        let window: Float = Double(abs(t)) < zeros / (2.0 * c) ? Float(0.5 * (1 + cos(2 * Double.pi * c / zeros * time))) : 0
        let sinc: Float = t != 0 ? Float(sin(2 * Double.pi * c * time) / (Double.pi * time)) : 2 * cutoff
        return sinc * window
    }

    /// How many output samples `inputCount` input samples determine: all of them (`flush`), or only
    /// those whose filter window lies inside the input.
    func outputCount(inputCount: Int, flush: Bool) -> Int {
        var ticks = inputCount * (tickRate / inputRate)
        if !flush { ticks -= windowWidthTicks }
        guard ticks > 0 else { return 0 }
        let ticksPerOutput = tickRate / outputRate
        var last = ticks / ticksPerOutput
        if last * ticksPerOutput == ticks { last -= 1 }
        return last + 1
    }

    static func greatestCommonDivisor(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
