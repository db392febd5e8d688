/// Streaming band-limited sample-rate converter (polyphase windowed sinc).
///
/// Feed blocks of any size with `process`; call `flush` once at the end of the stream to get the
/// samples that depend on input past the last block. Output sample n is the input signal evaluated
/// at time n / outputRate, so the two streams stay aligned (no group delay).
public final class Resampler {
    public let inputRate: Int
    public let outputRate: Int
    private let filter: ResamplingFilter

    /// Input history; `history[0]` is absolute input sample `historyStart` (negative at the start,
    /// where the signal is taken as zero).
    private var history: [Float]
    private var historyStart: Int
    private var consumed = 0
    private var inputCount = 0
    private var nextOutput = 0

    public init(inputRate: Int, outputRate: Int) {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive")
        self.inputRate = inputRate
        self.outputRate = outputRate
        filter = ResamplingFilter(inputRate: inputRate, outputRate: outputRate)
        history = [Float](repeating: 0, count: filter.halfWidth - 1)
        historyStart = -(filter.halfWidth - 1)
    }

    /// Appends `input` and returns every output sample that is now fully determined.
    public func process(_ input: [Float]) -> [Float] {
        history.append(contentsOf: input)
        inputCount += input.count
        return produce(limit: Int.max)
    }

    /// Ends the stream: pads with silence and returns the remaining output samples, so the total
    /// output is ceil(inputCount * outputRate / inputRate) samples.
    public func flush() -> [Float] {
        history.append(contentsOf: repeatElement(0, count: filter.halfWidth + filter.tapCount))
        let total = (inputCount * filter.upFactor + filter.downFactor - 1) / filter.downFactor
        return produce(limit: total)
    }

    private func produce(limit: Int) -> [Float] {
        var output: [Float] = []
        let up = filter.upFactor, down = filter.downFactor
        let available = historyStart + history.count
        output.reserveCapacity(max(0, (available - filter.halfWidth) * up / down - nextOutput + 1))
        history.withUnsafeBufferPointer { samples in
            filter.coefficients.withUnsafeBufferPointer { table in
                while nextOutput < limit {
                    let position = nextOutput * down
                    let base = position / up
                    // The newest input this output needs is base + halfWidth.
                    guard base + filter.halfWidth < available else { break }
                    let first = base - filter.halfWidth + 1 - historyStart
                    let phase = position % up
                    let input = samples.baseAddress! + first
                    let value: Float
                    if filter.phaseSteps == up {
                        value = DotProduct.compute(input, table.baseAddress! + phase * filter.tapCount, count: filter.tapCount)
                    } else {
                        // More phases than stored rows: blend the two nearest rows.
                        let exact = Double(phase) * Double(filter.phaseSteps) / Double(up)
                        let row = Int(exact)
                        let weight = Float(exact - Double(row))
                        let lower = DotProduct.compute(input, table.baseAddress! + row * filter.tapCount, count: filter.tapCount)
                        let upper = DotProduct.compute(input, table.baseAddress! + (row + 1) * filter.tapCount, count: filter.tapCount)
                        value = lower + weight * (upper - lower)
                    }
                    output.append(value)
                    nextOutput += 1
                }
            }
        }
        discardUnneededHistory()
        return output
    }

    /// Drops input the next output no longer reaches, keeping the buffer bounded on long streams.
    private func discardUnneededHistory() {
        let oldestNeeded = nextOutput * filter.downFactor / filter.upFactor - filter.halfWidth + 1
        let removable = oldestNeeded - historyStart
        if removable > 4096 && removable * 2 > history.count {
            history.removeFirst(removable)
            historyStart += removable
        }
    }
}
