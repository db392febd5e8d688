/// y = x == value ? replacement : x, elementwise: `Where(Equal(x, value), replacement, x)` in one
/// pass, without the boolean tensor (the encoder's Swoosh activations replace an infinite log this way).
/// `replacement` has as many elements as x, or one broadcast to all.
final class ReplaceEqualKernel: Kernel {
    let count: Int
    let value: Float
    let broadcastsReplacement: Bool

    init(count: Int, value: Float, broadcastsReplacement: Bool) {
        self.count = count
        self.value = value
        self.broadcastsReplacement = broadcastsReplacement
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let x = inputs[0].assumingMemoryBound(to: Float.self), r = inputs[1].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        let step = broadcastsReplacement ? 0 : 1
        for i in 0..<count { y[i] = x[i] == value ? r[i * step] : x[i] }
    }
}
