/// Streaming sample-rate converter with the arithmetic of the reference recognizer's resampler
/// (Kaldi's `LinearResample`, see `ResamplingFilter`), so resampled audio equals the reference's
/// bit for bit.
///
/// Feed blocks of any size with `process`: it returns every output sample whose filter window lies
/// inside the input so far, which is all the reference ever produces when the caller pads the end
/// with silence itself. `flush` ends the stream and returns the rest, reading silence past the end.
/// Output sample n is the input signal evaluated at time n / outputRate (no delay).
public final class Resampler {
    public let inputRate: Int
    public let outputRate: Int
    private let filter: ResamplingFilter

    /// Input history; `history[0]` is absolute input sample `historyStart`.
    private var history: [Float] = []
    private var historyStart = 0
    private var inputCount = 0
    private var nextOutput = 0

    public init(inputRate: Int, outputRate: Int) {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive")
        self.inputRate = inputRate
        self.outputRate = outputRate
        filter = ResamplingFilter(inputRate: inputRate, outputRate: outputRate)
    }

    /// Appends `input` and returns every output sample that is now fully determined.
    public func process(_ input: [Float]) -> [Float] {
        history.append(contentsOf: input)
        inputCount += input.count
        return produce(upTo: filter.outputCount(inputCount: inputCount, flush: false))
    }

    /// Ends the stream: returns the remaining output samples, up to the last one before the end of
    /// the input, reading silence past the end.
    public func flush() -> [Float] {
        produce(upTo: filter.outputCount(inputCount: inputCount, flush: true))
    }

    private func produce(upTo total: Int) -> [Float] {
        guard total > nextOutput else { return [] }
        var output = [Float](repeating: 0, count: total - nextOutput)
        history.withUnsafeBufferPointer { samples in
            filter.weights.withUnsafeBufferPointer { weights in
                for n in nextOutput..<total {
                    let phase = n % filter.outputUnit
                    let first = filter.firstIndex[phase] + (n / filter.outputUnit) * filter.inputUnit
                    let start = filter.weightOffsets[phase], end = filter.weightOffsets[phase + 1]
                    // One running Float sum in tap order, as the reference adds; samples before the
                    // start or past the end of the input count as silence (adding 0 changes nothing).
                    var sum: Float = 0
                    for tap in start..<end {
                        let index = first + tap - start
                        guard index >= 0 && index < inputCount else { continue }
                        sum += samples[index - historyStart] * weights[tap]
                    }
                    output[n - nextOutput] = sum
                }
            }
        }
        nextOutput = total
        discardUnneededHistory()
        return output
    }

    /// Drops input the next output no longer reaches, keeping the buffer bounded on long streams.
    private func discardUnneededHistory() {
        let phase = nextOutput % filter.outputUnit
        let oldestNeeded = filter.firstIndex[phase] + (nextOutput / filter.outputUnit) * filter.inputUnit
        let removable = min(oldestNeeded - historyStart, history.count)
        if removable > 4096 && removable * 2 > history.count {
            history.removeFirst(removable)
            historyStart += removable
        }
    }
}
