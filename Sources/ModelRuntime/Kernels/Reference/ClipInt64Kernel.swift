/// Clip of an integer tensor (the decoder clamps token ids).
final class ClipInt64Kernel: Kernel {
    let low: Int64, high: Int64, count: Int

    init(low: Int64, high: Int64, count: Int) {
        self.low = low
        self.high = high
        self.count = count
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let x = inputs[0].assumingMemoryBound(to: Int64.self)
        let y = outputs[0].assumingMemoryBound(to: Int64.self)
        for i in 0..<count { y[i] = Swift.min(Swift.max(x[i], low), high) }
    }
}
