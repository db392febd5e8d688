/// Neg of an integer tensor (zipformer's masks negate lengths); wraps as onnxruntime's does.
final class NegateInt64Kernel: Kernel {
    let count: Int

    init(count: Int) { self.count = count }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let x = inputs[0].assumingMemoryBound(to: Int64.self)
        let y = outputs[0].assumingMemoryBound(to: Int64.self)
        for i in 0..<count { y[i] = 0 &- x[i] }
    }
}
